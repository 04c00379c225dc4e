"""The CAPA workflow: every transition, every guard, and the audit event each change leaves."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.capa import services
from app.capa.services import CapaError, PermissionDenied
from app.extensions import db
from app.timeutil import local_today
from tests.capa.conftest import drive, unit


def events(capa):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "capa",
                                                            AuditEvent.object_id == capa.number)
                                   .order_by(AuditEvent.id)))


def actions_of(capa):
    return [e.action for e in events(capa)]


def test_anyone_signed_in_proposes_and_the_record_waits_for_the_secretary(people):
    capa = services.propose(people.other, kind="preventive", source="complaint", title="Phản ánh về thái độ",
                            description="Người dân phản ánh qua đường dây nóng.")
    db.session.commit()
    assert capa.status == "proposed" and capa.unit is None and capa.raised_by_id == people.other.id
    assert capa.number == f"CAPA-{local_today().year}-001"
    ev = events(capa)[0]
    assert (ev.action, ev.object_type, ev.object_id, ev.actor_id) == ("capa.create", "capa", capa.number,
                                                                      people.other.id)


def test_the_secretary_raising_a_record_with_a_unit_opens_it_at_once(people):
    capa = services.propose(people.secretary, kind="corrective", source="audit", title="Đánh giá nội bộ",
                            description="Phát hiện khi đánh giá nội bộ.", unit=unit("QLKH"))
    db.session.commit()
    assert capa.status == "open"
    assert actions_of(capa) == ["capa.create", "capa.accept"]
    assert events(capa)[-1].unit_code == "QLKH"


def test_proposing_needs_a_title_a_description_a_known_kind_and_source(people):
    base = dict(kind="corrective", source="other", title="T", description="D")
    for change, key in (({"title": " "}, "title_required"), ({"description": ""}, "description_required"),
                        ({"kind": "x"}, "invalid_kind"), ({"source": "x"}, "invalid_source")):
        with pytest.raises(CapaError) as exc:
            services.propose(people.member, **{**base, **change})
        assert exc.value.key == key
        db.session.rollback()


def test_proposing_from_an_unknown_review_is_refused(people):
    with pytest.raises(CapaError) as exc:
        services.propose(people.member, kind="corrective", source="review", title="T", description="D",
                         review_id=987654)
    assert exc.value.key == "unknown_review"


def test_the_secretary_accepts_and_assigns_the_unit(people):
    capa = drive(people, "proposed")
    services.accept(people.secretary, capa, unit("QLKH"), note="Giao phòng QLKH")
    db.session.commit()
    assert capa.status == "open" and capa.unit_code == "QLKH" and capa.accepted_at
    ev = events(capa)[-1]
    assert ev.action == "capa.accept" and ev.unit_code == "QLKH" and ev.data["note"] == "Giao phòng QLKH"


def test_only_the_secretary_accepts_and_only_a_proposal(people):
    capa = drive(people, "proposed")
    with pytest.raises(PermissionDenied):
        services.accept(people.head, capa, unit("QLKH"))
    with pytest.raises(CapaError) as exc:
        services.accept(people.secretary, capa, None)
    assert exc.value.key == "unit_required"
    db.session.rollback()
    services.accept(people.secretary, capa, unit("QLKH"))
    with pytest.raises(CapaError) as exc:
        services.accept(people.secretary, capa, unit("QLKH"))
    assert exc.value.key == "wrong_state"


def test_the_unit_analyses_the_root_cause_and_similar_problems(people):
    capa = drive(people, "open")
    services.analyse(people.member, capa, root_cause="Thiếu bước kiểm tra hạn", similar_elsewhere=True,
                     similar_note="Có thể xảy ra ở QLCN")
    db.session.commit()
    assert capa.status == "analysed" and capa.similar_elsewhere is True
    assert events(capa)[-1].data["root_cause"] == "Thiếu bước kiểm tra hạn"


def test_analysis_needs_a_root_cause_and_an_answer_about_similar_problems(people):
    capa = drive(people, "open")
    with pytest.raises(CapaError) as exc:
        services.analyse(people.member, capa, root_cause=" ", similar_elsewhere=False)
    assert exc.value.key == "root_cause_required"
    with pytest.raises(CapaError) as exc:
        services.analyse(people.member, capa, root_cause="X", similar_elsewhere=None)
    assert exc.value.key == "similar_required"


def test_analysis_cannot_come_before_acceptance(people):
    capa = drive(people, "proposed")
    with pytest.raises(CapaError) as exc:
        services.analyse(people.member, capa, root_cause="X", similar_elsewhere=False)
    assert exc.value.key == "wrong_state"


def test_another_unit_cannot_act_on_the_record(people):
    capa = drive(people, "open")
    with pytest.raises(PermissionDenied):
        services.analyse(people.other, capa, root_cause="X", similar_elsewhere=False)
    services.analyse(people.member, capa, root_cause="X", similar_elsewhere=False)
    for call in (lambda u: services.add_action(u, capa, description="A", due_on=local_today()),
                 lambda u: services.plan(u, capa), lambda u: services.start(u, capa),
                 lambda u: services.link_procedure(u, capa, None)):
        with pytest.raises(PermissionDenied):
            call(people.other_head)
    assert capa.status == "analysed"


def test_another_unit_cannot_complete_the_records_actions(people):
    capa = drive(people, "in_progress")
    with pytest.raises(PermissionDenied):
        services.complete_action(people.other, capa, capa.actions[0], done_on=local_today(), evidence="X")
    assert capa.actions[0].is_open


def test_the_steering_committee_and_leadership_read_but_do_not_act(people):
    from app.auth import permissions as perm

    capa = drive(people, "open")
    for user in (people.committee, people.leader):
        assert perm.can_view_capa(user, capa)
        assert not perm.can_act_on_capa(user, capa)
    assert not perm.can_view_capa(people.other, capa)


def test_the_plan_needs_an_action_still_to_do(people):
    capa = drive(people, "analysed", actions=0)
    with pytest.raises(CapaError) as exc:
        services.plan(people.head, capa)
    assert exc.value.key == "no_open_actions"
    services.add_action(people.member, capa, description="Rà soát hạn trên iGate mỗi sáng",
                        due_on=local_today() + timedelta(days=5))
    services.plan(people.head, capa)
    assert capa.status == "planned"


def test_an_action_needs_a_description_and_a_due_date_and_defaults_to_the_responsible_unit(people):
    capa = drive(people, "analysed", actions=0)
    with pytest.raises(CapaError) as exc:
        services.add_action(people.member, capa, description=" ", due_on=local_today())
    assert exc.value.key == "action_description_required"
    with pytest.raises(CapaError) as exc:
        services.add_action(people.member, capa, description="A", due_on=None)
    assert exc.value.key == "due_required"
    action = services.add_action(people.member, capa, description="A", due_on=local_today())
    assert action.owner_unit.code == "QLKH" and action.seq == 1
    person = services.add_action(people.member, capa, description="B", due_on=local_today(),
                                 owner_user=people.other)
    assert person.owner_unit.code == "TTR" and person.seq == 2


def test_actions_cannot_be_added_before_the_cause_is_analysed(people):
    capa = drive(people, "open")
    with pytest.raises(CapaError) as exc:
        services.add_action(people.member, capa, description="A", due_on=local_today())
    assert exc.value.key == "wrong_state"


def test_starting_needs_a_confirmed_plan(people):
    capa = drive(people, "analysed")
    with pytest.raises(CapaError) as exc:
        services.start(people.head, capa)
    assert exc.value.key == "wrong_state"
    services.plan(people.head, capa)
    services.start(people.head, capa)
    assert capa.status == "in_progress"


def test_completing_an_action_records_date_and_evidence(people):
    capa = drive(people, "in_progress")
    action = capa.actions[0]
    services.complete_action(people.member, capa, action, done_on=local_today(), evidence="Sổ theo dõi")
    db.session.commit()
    assert not action.is_open and action.evidence == "Sổ theo dõi"
    ev = events(capa)[-1]
    assert ev.action == "capa.action_done" and ev.data["action"] == 1 and ev.data["evidence"] == "Sổ theo dõi"


def test_completing_needs_evidence_a_past_date_and_a_started_plan(people):
    capa = drive(people, "planned")
    with pytest.raises(CapaError) as exc:
        services.complete_action(people.member, capa, capa.actions[0], done_on=local_today(), evidence="E")
    assert exc.value.key == "wrong_state"
    services.start(people.head, capa)
    with pytest.raises(CapaError) as exc:
        services.complete_action(people.member, capa, capa.actions[0], done_on=local_today(), evidence=" ")
    assert exc.value.key == "evidence_required"
    with pytest.raises(CapaError) as exc:
        services.complete_action(people.member, capa, capa.actions[0],
                                 done_on=local_today() + timedelta(days=1), evidence="E")
    assert exc.value.key == "future_date"
    services.complete_action(people.member, capa, capa.actions[0], done_on=local_today(), evidence="E")
    with pytest.raises(CapaError) as exc:
        services.complete_action(people.member, capa, capa.actions[0], done_on=local_today(), evidence="E")
    assert exc.value.key == "action_done"


def test_the_person_named_on_an_action_of_another_unit_may_complete_it(people):
    capa = drive(people, "analysed", actions=0)
    action = services.add_action(people.member, capa, description="Phối hợp kiểm tra", due_on=local_today(),
                                 owner_user=people.other)
    services.plan(people.head, capa)
    services.start(people.head, capa)
    services.complete_action(people.other, capa, action, done_on=local_today(), evidence="Biên bản")
    assert not action.is_open


def test_effectiveness_cannot_be_verified_while_an_action_is_open(people):
    capa = drive(people, "in_progress")
    with pytest.raises(CapaError) as exc:
        services.verify(people.secretary, capa, verified_on=local_today(), effective=True, evidence="E")
    assert exc.value.key == "open_actions"


def test_only_the_secretary_or_leadership_verify_and_close(people):
    capa = drive(people, "done")
    for user in (people.head, people.member, people.committee):
        with pytest.raises(PermissionDenied):
            services.verify(user, capa, verified_on=local_today(), effective=True, evidence="E")
    services.verify(people.leader, capa, verified_on=local_today(), effective=True, evidence="E")
    with pytest.raises(PermissionDenied):
        services.close(people.head, capa)
    services.close(people.leader, capa)
    assert capa.status == "closed"


def test_verifying_records_who_when_the_result_and_the_evidence(people):
    capa = drive(people, "done")
    services.verify(people.secretary, capa, verified_on=local_today(), effective=True,
                    evidence="Quý IV không còn hồ sơ trễ hạn.")
    db.session.commit()
    check = capa.latest_verification
    assert capa.status == "verified"
    assert (check.verified_by_id, check.verified_on, check.effective) == (people.secretary.id, local_today(), True)
    assert events(capa)[-1].action == "capa.verify"


def test_verification_needs_a_result_evidence_and_a_date_not_in_the_future(people):
    capa = drive(people, "done")
    for kwargs, key in (({"effective": None}, "effective_required"), ({"evidence": ""}, "evidence_required"),
                        ({"verified_on": local_today() + timedelta(days=1)}, "future_date")):
        args = {"verified_on": local_today(), "effective": True, "evidence": "E", **kwargs}
        with pytest.raises(CapaError) as exc:
            services.verify(people.secretary, capa, **args)
        assert exc.value.key == key


def test_not_effective_sends_the_record_back_to_planning(people):
    capa = drive(people, "done")
    services.verify(people.secretary, capa, verified_on=local_today(), effective=False,
                    evidence="Vẫn còn 1 hồ sơ trễ hạn trong tháng 10.")
    db.session.commit()
    assert capa.status == "analysed"
    assert events(capa)[-1].action == "capa.verify_failed"
    with pytest.raises(CapaError) as exc:
        services.close(people.secretary, capa)
    assert exc.value.key == "not_verified"
    # the unit plans a further action, carries it out, and the second check is effective
    services.add_action(people.member, capa, description="Phân công người theo dõi hạn", due_on=local_today())
    services.plan(people.head, capa)
    services.start(people.head, capa)
    services.complete_action(people.member, capa, capa.actions[-1], done_on=local_today(), evidence="Quyết định")
    services.verify(people.secretary, capa, verified_on=local_today(), effective=True, evidence="Đạt")
    services.close(people.secretary, capa)
    db.session.commit()
    assert capa.status == "closed" and [v.effective for v in capa.verifications] == [False, True]


def test_a_record_cannot_be_closed_while_an_action_is_open(people):
    capa = drive(people, "in_progress")
    with pytest.raises(CapaError) as exc:
        services.close(people.secretary, capa)
    assert exc.value.key == "open_actions"
    assert capa.status == "in_progress"


def test_a_record_cannot_be_closed_without_an_effectiveness_verification(people):
    capa = drive(people, "done")
    with pytest.raises(CapaError) as exc:
        services.close(people.secretary, capa)
    assert exc.value.key == "not_verified"
    assert capa.status == "in_progress"


def test_a_proposal_cannot_be_closed(people):
    capa = drive(people, "proposed")
    with pytest.raises(CapaError) as exc:
        services.close(people.secretary, capa)
    assert exc.value.key == "not_verified"


def test_closing_a_verified_record_and_nothing_more_after_it(people):
    capa = drive(people, "closed")
    assert capa.status == "closed" and capa.closed_at
    assert actions_of(capa) == ["capa.create", "capa.accept", "capa.analyse", "capa.action_add",
                                "capa.action_add", "capa.plan", "capa.start", "capa.action_done",
                                "capa.action_done", "capa.verify", "capa.close"]
    assert {e.unit_code for e in events(capa)[1:]} == {"QLKH"}
    for call in (lambda: services.close(people.secretary, capa), lambda: services.cancel(people.secretary, capa, "x")):
        with pytest.raises(CapaError) as exc:
            call()
        assert exc.value.key == "wrong_state"


@pytest.mark.parametrize("state", ["proposed", "open", "analysed", "planned", "in_progress", "verified"])
def test_the_secretary_cancels_with_a_reason_from_any_open_state(people, state):
    capa = drive(people, state)
    number = capa.number
    with pytest.raises(CapaError) as exc:
        services.cancel(people.secretary, capa, "  ")
    assert exc.value.key == "reason_required"
    with pytest.raises(PermissionDenied):
        services.cancel(people.head, capa, "Trùng phiếu")
    services.cancel(people.secretary, capa, "Trùng với phiếu khác")
    db.session.commit()
    assert capa.status == "cancelled" and capa.number == number and capa.cancel_reason == "Trùng với phiếu khác"
    ev = events(capa)[-1]
    assert ev.action == "capa.cancel" and ev.data["reason"] == "Trùng với phiếu khác" and ev.data["from"] == state


def test_linking_a_procedure_keeps_the_revision_in_force_at_that_time(people, procedure):
    capa = drive(people, "open", procedures=[procedure])
    assert capa.links[0].revision == procedure.issued_revision is not None
    with pytest.raises(CapaError) as exc:
        services.link_procedure(people.member, capa, procedure)
    assert exc.value.key == "already_linked"


def test_every_transition_is_an_audit_event_for_the_responsible_unit(people):
    capa = drive(people, "closed")
    evs = events(capa)
    assert all(e.object_type == "capa" and e.object_id == capa.number for e in evs)
    assert [e.actor_id for e in evs][:3] == [people.member.id, people.secretary.id, people.member.id]


def test_two_people_closing_the_same_record_at_once_close_it_only_once(app, people):
    from sqlalchemy.orm.exc import StaleDataError

    capa = drive(people, "verified")
    number = capa.number
    with app.app_context():  # someone else, in their own session, closes it first
        other = services.get(number)
        services.close(db.session.get(type(people.leader), people.leader.id), other)
        db.session.commit()
        db.session.remove()
    with pytest.raises(StaleDataError):
        services.close(people.secretary, capa)  # this page still showed it as verified
    db.session.rollback()
    assert capa.status == "closed" and actions_of(capa).count("capa.close") == 1

