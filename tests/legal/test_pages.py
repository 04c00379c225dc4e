"""The register's pages, the procedure page's bases with their status, home tasks, the digest, the period's changes."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.legal import queries, services
from app.legal.hooks import change_review_digest, change_review_tasks
from app.legal.services import DocumentData
from tests.conftest import login
from tests.legal.conftest import DECREE_61, LAW_KHCN


def test_a_procedure_page_shows_each_basis_with_its_status(people, client, issued, decree_61):
    issued("QT-QLKH-01", bases=[DECREE_61, LAW_KHCN])
    services.record_change(people.secretary, decree_61, "repealed")
    db.session.commit()
    login(client, people.other_member)
    page = client.get("/procedures/QT-QLKH-01").get_data(as_text=True)
    panel = page.split('data-testid="legal-panel"')[1]
    assert f"/legal/{decree_61.id}" in panel and "Bị bãi bỏ (hết hiệu lực)" in panel
    assert "chưa có trong danh mục" in panel  # the law is not in the register


def test_register_filters_by_kind_status_year_and_citation(people, client, issued, decree_61, decree_107):
    issued("QT-QLKH-01")
    services.create_document(people.secretary, DocumentData(number="29/2013/QH13", kind="law", title="Luật KH&CN",
                                                            signed_on=date(2013, 6, 18)))
    services.record_change(people.secretary, decree_61, "amended", by_document=decree_107)
    db.session.commit()
    login(client, people.member)

    def numbers(query):
        page = client.get(f"/legal/?{query}").get_data(as_text=True)
        found = [n for n in ("61/2018/NĐ-CP", "107/2021/NĐ-CP", "29/2013/QH13") if f">{n}</a>" in page]
        return sorted(found, key=lambda n: page.index(f">{n}</a>"))

    assert numbers("") == ["107/2021/NĐ-CP", "61/2018/NĐ-CP", "29/2013/QH13"]
    assert numbers("kind=law") == ["29/2013/QH13"]
    assert numbers("status=amended") == ["61/2018/NĐ-CP"]
    assert numbers("year=2021") == ["107/2021/NĐ-CP"]
    assert numbers("cited=yes") == ["61/2018/NĐ-CP"]
    assert numbers("cited=no") == ["107/2021/NĐ-CP", "29/2013/QH13"]
    assert numbers("q=nd-cp 61") == [] and numbers("q=61/2018/ND") == ["61/2018/NĐ-CP"]
    assert "Không có văn bản nào khớp bộ lọc." in client.get("/legal/?kind=directive").get_data(as_text=True)
    assert client.get("/legal/?page=abc&year=x").status_code == 200


def test_document_page_lists_citing_procedures_and_status_history(people, client, issued, decree_61, decree_107):
    issued("QT-QLKH-01")
    services.add_relation(people.secretary, decree_107, "amends", decree_61)
    db.session.commit()
    login(client, people.member)
    page = client.get(f"/legal/{decree_61.id}").get_data(as_text=True)
    assert "QT-QLKH-01" in page.split('data-testid="citing"')[1]
    history = page.split('data-testid="legal-history"')[1]
    assert "Còn hiệu lực → Đã được sửa đổi, bổ sung" in history and "107/2021/NĐ-CP" in history
    assert client.get("/legal/999999").status_code == 404


def test_a_bad_form_keeps_what_was_typed(people, client, decree_61):
    login(client, people.secretary)
    resp = client.post("/legal/new", data={"number": "61/2018/ND-CP", "kind": "decree", "title": "Nhập lại"})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Văn bản 61/2018/NĐ-CP đã có trong danh mục." in page and "Nhập lại" in page
    resp = client.post("/legal/new", data={"number": "5/2022/NĐ-CP", "kind": "decree", "title": "Mới",
                                           "relation": "amends", "target_number": "999/2030/NĐ-CP"})
    assert resp.status_code == 400 and "Không tìm thấy văn bản 999/2030/NĐ-CP" in resp.get_data(as_text=True)
    assert services.find("5/2022/NĐ-CP") is None  # nothing half-created


def test_secretary_records_a_change_from_the_document_page(people, client, issued, decree_61, decree_107):
    issued("QT-QLKH-01")
    login(client, people.secretary)
    resp = client.post(f"/legal/{decree_61.id}/change", data={"change-kind": "amended",
                                                              "change-by_number": "Nghị định 107/2021/ND-CP"})
    assert resp.status_code == 302 and "/legal/changes/" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "QT-QLKH-01" in page.split('data-testid="change-reviews"')[1]


def test_the_owner_unit_sees_the_review_at_home_and_in_its_digest(people, client, issued, decree_61):
    proc = issued("QT-QLKH-01")
    services.record_change(people.secretary, decree_61, "amended", today=date(2026, 11, 30))
    db.session.commit()
    tasks = change_review_tasks(people.member, date(2026, 12, 1))
    assert [t.title for t in tasks] == ["QT-QLKH-01 – Quy trình QT-QLKH-01"]
    assert not tasks[0].overdue and tasks[0].due == date(2026, 12, 30)
    assert change_review_tasks(people.other_member, date(2026, 12, 1)) == []
    assert change_review_tasks(people.member, date(2027, 1, 5))[0].overdue
    assert len(change_review_tasks(people.secretary, date(2027, 1, 5))) == 1  # overdue ones, for the secretary
    digest = change_review_digest(proc.unit, date(2026, 12, 1))
    assert len(digest) == 1 and digest[0].url.endswith("/QT-QLKH-01")
    login(client, people.member)
    assert "Rà soát khi có thay đổi văn bản pháp luật" in client.get("/").get_data(as_text=True)


def test_changes_of_a_period_for_the_management_review(people, issued, decree_61, decree_107):
    issued("QT-QLKH-01")
    services.record_change(people.secretary, decree_61, "amended", by_document=decree_107, today=date(2026, 3, 1))
    services.record_change(people.secretary, decree_107, "repealed", today=date(2027, 2, 1))
    changes = queries.changes_between(date(2026, 1, 1), date(2026, 12, 31))
    assert [(c.change.document.number, c.change.kind) for c in changes] == [("61/2018/NĐ-CP", "amended")]
    assert [r.procedure.code for r in changes[0].reviews] == ["QT-QLKH-01"] and changes[0].done == 0
    pack = queries.changes_for_pack(date(2026, 1, 1), date(2026, 12, 31))
    assert pack[0]["document"] == "61/2018/NĐ-CP" and pack[0]["by"] == "107/2021/NĐ-CP"
    assert pack[0]["procedures"] == [{"code": "QT-QLKH-01", "unit": "QLKH", "status": "pending", "outcome": None,
                                      "done_on": None}]


def test_the_editor_offers_the_register(people, client, issued, decree_61, decree_107):
    issued("QT-QLKH-01")
    services.record_change(people.secretary, decree_107, "repealed")
    db.session.commit()
    login(client, people.secretary)
    page = client.get("/procedures/QT-QLKH-01/metadata").get_data(as_text=True)
    options = page.split('<datalist id="legal-options">')[1].split("</datalist>")[0]
    assert "Nghị định số 61/2018/NĐ-CP ngày 23/04/2018 của Chính phủ" in options
    assert "107/2021" not in options  # a repealed document is no longer offered
    assert "legal/legal.js" in page


def test_qms_remind_sends_the_unit_its_change_triggered_review(people, runner, issued, decree_61, app):
    from app.tasks import digest_for

    proc = issued("QT-QLKH-01")
    services.record_change(people.secretary, decree_61, "amended", today=date(2026, 11, 30))
    db.session.commit()
    titles = [t.title for t in digest_for(proc.unit, date(2026, 12, 1)) if "change_review" in t.tags]
    assert titles == ["QT-QLKH-01 – Quy trình QT-QLKH-01"]
    result = runner.invoke(args=["qms", "remind", "--date", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "QLKH: 1 item(s)" in result.output


def test_the_management_review_input_pack_lists_the_period_s_legal_changes(people, issued, decree_61, decree_107):
    from app.management_review.inputs import INPUT_PROVIDERS, InputContext, compute

    issued("QT-QLKH-01")
    services.record_change(people.secretary, decree_61, "amended", by_document=decree_107, today=date(2026, 3, 1))
    ctx = InputContext(review=None, year=2026, since=date(2026, 1, 1), until=date(2026, 12, 15), previous=None)
    data = compute(INPUT_PROVIDERS["legal_changes"], ctx)
    assert data["figures"][0]["value"] == 1 and data["figures"][1]["value"] == 1
    assert data["rows"] == [["2026-03-01", "61/2018/NĐ-CP", decree_61.title, "amended", "107/2021/NĐ-CP", None,
                             "QT-QLKH-01", "0/1"]]
    assert data["labels"]["3"]["amended"] == "Được sửa đổi, bổ sung"
