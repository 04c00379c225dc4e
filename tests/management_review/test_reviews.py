"""Management review: the frozen input pack, outputs as tasks and as the next review's first input, minutes."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.capa.models import Capa
from app.extensions import db
from app.management_review import inputs, services
from app.management_review.services import ManagementReviewError, PermissionDenied
from flask_babel import force_locale

from app.tasks import digest_for as _digest_for
from app.tasks import tasks_for as _tasks_for
from app.timeutil import local_today
from tests.internal_audits.conftest import plan, unit
from tests.management_review.conftest import meeting


def tasks_for(user, today):
    with force_locale("vi"):  # as outside a request, like `qms remind`
        return _tasks_for(user, today)


def _figure(data, label):
    return next(f["value"] for f in data["figures"] if f["label"] == label)


def test_the_pack_lists_every_iso_input_in_order_with_manual_items_for_the_secretary(people, review):
    keys = [p.key for p in inputs.providers()]
    assert keys[0] == "previous_actions"
    assert {"changes", "objectives", "objective4", "satisfaction", "on_time", "capa", "audits", "resources",
            "risks", "improvements"} <= set(keys)
    assert {i.key for i in review.inputs} == set(keys)
    assert inputs.INPUT_PROVIDERS["satisfaction"].manual and not inputs.INPUT_PROVIDERS["capa"].manual


def test_a_provider_registered_later_replaces_the_manual_item_and_joins_a_planned_review(people, review):
    saved = dict(inputs.INPUT_PROVIDERS)
    try:
        inputs.input_provider("objectives", title="Kết quả mục tiêu", clause="9.3.2 c 2", order=30)(
            lambda ctx: {"figures": [{"label": "Đạt", "value": 3}]})
        inputs.input_provider("legal", title="Văn bản pháp lý thay đổi", clause="9.3.2 b", order=21)(
            lambda ctx: {"figures": [{"label": "Văn bản", "value": 1}]})
        services.set_input_text(people.secretary, review, "resources", "Đủ nhân lực")
        services.hold(people.secretary, review)
        assert review.input("objectives").data == {"figures": [{"label": "Đạt", "value": 3}]}
        assert review.input("legal").data["figures"][0]["value"] == 1
    finally:
        inputs.INPUT_PROVIDERS.clear()
        inputs.INPUT_PROVIDERS.update(saved)


def test_the_input_pack_is_frozen_when_the_meeting_is_held(people, procedure, review):
    audit = plan(people, procedure)
    from app.internal_audits import services as audit_services

    audit_services.record_finding(people.auditor, audit, kind="nc", description="Thiếu hồ sơ", evidence="E")
    services.set_input_text(people.secretary, review, "satisfaction", "98% hài lòng")
    db.session.commit()
    services.hold(people.secretary, review)
    db.session.commit()
    frozen_capa = review.input("capa").data
    assert _figure(frozen_capa, "Đang mở") == 1
    assert _figure(review.input("audits").data, "Điểm không phù hợp") == 1
    # more nonconformities after the meeting: the frozen pack still says what the committee saw
    audit_services.record_finding(people.auditor, audit, kind="nc", description="Thiếu sổ", evidence="E2")
    db.session.commit()
    db.session.expire_all()
    assert review.input("capa").data == frozen_capa
    assert _figure(review.input("audits").data, "Điểm không phù hợp") == 1
    assert review.input("satisfaction").text == "98% hài lòng"
    with pytest.raises(ManagementReviewError) as err:
        services.set_input_text(people.secretary, review, "satisfaction", "Sửa sau họp")
    assert err.value.key == "inputs_frozen"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "management_review.hold"))
    assert json.loads(event.payload)["inputs"]["capa"]["data"] == frozen_capa


def test_a_meeting_in_the_future_cannot_be_held(people):
    future = meeting(people, local_today() + timedelta(days=3))
    with pytest.raises(ManagementReviewError) as err:
        services.hold(people.secretary, future)
    assert err.value.key == "meeting_in_future"


def test_outputs_become_tasks_of_their_owners_and_the_first_input_of_the_next_review(people, review):
    services.hold(people.secretary, review)
    output = services.add_output(people.secretary, review, kind="change", description="Cập nhật QT-QLKH-01",
                                 due_on=local_today() + timedelta(days=20), owner_unit=unit("QLKH"))
    done = services.add_output(people.secretary, review, kind="resources", description="Bổ sung máy scan",
                               due_on=local_today() + timedelta(days=5), owner_unit=unit("VP"))
    db.session.commit()
    titles = [t.title for t in tasks_for(people.member, local_today())]
    assert any("Cập nhật QT-QLKH-01" in t for t in titles)
    assert not any("Bổ sung máy scan" in t for t in titles)
    assert not any("Cập nhật QT-QLKH-01" in t for t in (x.title for x in tasks_for(people.auditor, local_today())))
    with force_locale("vi"):
        assert [t.title for t in _digest_for(unit("VP"), local_today()) if "máy scan" in t.title]
    with pytest.raises(PermissionDenied):
        services.complete_output(people.auditor, output, done_on=None, result="x")
    services.complete_output(people.secretary, done, done_on=local_today(), result="Đã mua")
    db.session.commit()

    nxt = meeting(people, local_today(), title="Họp lần 2")
    first = nxt.inputs[0]
    assert first.key == "previous_actions"
    data = services.live_pack(nxt)["previous_actions"]
    assert [r[2] for r in data["rows"]] == ["Cập nhật QT-QLKH-01", "Bổ sung máy scan"]
    assert _figure(data, "Còn mở") == 1
    services.hold(people.secretary, nxt)
    assert nxt.input("previous_actions").data["rows"][0][5] == "open"


def test_an_output_raises_a_capa_for_its_unit(people, review):
    services.hold(people.secretary, review)
    output = services.add_output(people.secretary, review, kind="improvement", description="Giảm hồ sơ trễ hạn",
                                 due_on=local_today() + timedelta(days=30), owner_unit=unit("QLKH"))
    db.session.commit()
    capa = services.raise_capa(people.secretary, output)
    db.session.commit()
    assert capa.source == "management_review" and capa.unit_code == "QLKH" and output.capa is capa
    assert capa.management_review_output is output
    with pytest.raises(ManagementReviewError):
        services.raise_capa(people.secretary, output)
    assert db.session.scalar(select(Capa).where(Capa.source == "management_review")) is capa


def test_leadership_approves_the_minutes_and_the_print_shows_inputs_and_outputs(client, login_as, people, review):
    services.hold(people.secretary, review)
    services.add_output(people.secretary, review, kind="change", description="Sửa quy trình tiếp nhận",
                        due_on=local_today(), owner_unit=unit("QLKH"))
    with pytest.raises(ManagementReviewError) as err:
        services.approve_minutes(people.leader, review)
    assert err.value.key == "minutes_required"
    services.save_minutes(people.secretary, review, "Lãnh đạo kết luận hệ thống phù hợp, hiệu lực.")
    with pytest.raises(PermissionDenied):
        services.approve_minutes(people.secretary, review)
    services.approve_minutes(people.leader, review)
    db.session.commit()
    assert review.status == "approved"
    login_as(people.committee)
    page = client.get(f"/management-reviews/{review.id}/print").get_data(as_text=True)
    assert "Sửa quy trình tiếp nhận" in page and "hệ thống phù hợp, hiệu lực" in page
    assert "Tình trạng các hành động từ các lần xem xét trước" in page


def test_holding_the_meeting_gives_the_yearly_review_cycle_its_meeting_date(people, review):
    from app.reviews import services as review_services

    cycle = review_services.open_cycle(people.secretary, year=review.year, deadline=local_today() + timedelta(30))
    db.session.commit()
    services.hold(people.secretary, review)
    assert cycle.meeting_on == review.meeting_on


def test_the_review_page_shows_the_live_pack_and_keeps_the_secretarys_text(client, login_as, people, review):
    login_as(people.secretary)
    resp = client.post(f"/management-reviews/{review.id}/inputs/resources",
                       data={"in-resources-text": "Thiếu 1 biên chế"})
    assert resp.status_code == 302
    page = client.get(f"/management-reviews/{review.id}").get_data(as_text=True)
    assert "Thiếu 1 biên chế" in page and "Mục tiêu 4: rà soát quy trình hằng năm" in page


def test_the_yearly_review_cycle_links_the_meeting_its_maintained_deadline_depends_on(client, login_as, people,
                                                                                      review):
    from app.reviews import services as review_services

    review_services.open_cycle(people.secretary, year=review.year, deadline=local_today() + timedelta(30))
    services.hold(people.secretary, review)
    db.session.commit()
    login_as(people.secretary)
    page = client.get(f"/reviews/{review.year}").get_data(as_text=True)
    assert f'href="/management-reviews/{review.id}" data-testid="cycle-meeting"' in page


def test_a_plugged_in_item_shows_its_coded_values_as_words_in_either_language(client, login_as, people, review):
    saved = dict(inputs.INPUT_PROVIDERS)
    try:
        inputs.input_provider("objectives", title="Kết quả thực hiện mục tiêu chất lượng", clause="9.3.2 c 2",
                              order=30)(lambda ctx: {"columns": ["Mục tiêu", "Đánh giá"], "rows": [["MT2", "met"]],
                                                     "labels": {"1": {"met": "Phù hợp"}}})
        services.hold(people.secretary, review)
        db.session.commit()
        login_as(people.committee)
        page = client.get(f"/management-reviews/{review.id}").get_data(as_text=True)
        assert "<td>Phù hợp</td>" in page and "<td>met</td>" not in page
        people.committee.locale = "en"
        db.session.commit()
        page = client.get(f"/management-reviews/{review.id}").get_data(as_text=True)
        assert "<td>Conforms</td>" in page
    finally:
        inputs.INPUT_PROVIDERS.clear()
        inputs.INPUT_PROVIDERS.update(saved)
