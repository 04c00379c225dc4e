"""Procedure pages as users see them: register, issued text, drafts, history, diff, editor, exports."""
from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from app.procedures import core


def test_register_lists_procedures_with_filters_and_sorting(client, login_as, people, issued, draft):
    login_as(people.member)
    page = client.get("/procedures/").data.decode()
    assert "QT-QLKH-01" in page and "QT-QLKH-02" in page and "Đang hiệu lực" in page
    only_issued = client.get("/procedures/?status=issued").data.decode()
    assert "QT-QLKH-01" in only_issued and "QT-QLKH-02" not in only_issued
    by_code_desc = client.get("/procedures/?sort=-code").data.decode()
    assert by_code_desc.index("QT-QLKH-02") < by_code_desc.index("QT-QLKH-01")
    assert "Không có quy trình nào" in client.get("/procedures/?unit=VP").data.decode()


def test_another_unit_does_not_see_a_never_issued_draft_in_the_register(client, login_as, people, draft, issued):
    login_as(people.other_member)
    page = client.get("/procedures/").data.decode()
    assert "QT-QLKH-01" in page and "QT-QLKH-02" not in page
    assert client.get("/procedures/QT-QLKH-02").status_code == 403


def test_issued_page_has_header_block_toc_and_amendment_log(client, login_as, people, issued):
    login_as(people.committee)
    html = client.get("/procedures/QT-QLKH-01").data.decode()
    assert 'data-testid="header-block"' in html and "15/03/2021" in html
    assert 'id="1-muc-dich"' in html and 'data-testid="toc"' in html
    assert 'data-testid="amendment-log"' in html and "nhập từ hồ sơ giấy" in html
    assert "data-watermark" not in html


def test_draft_page_shows_the_draft_watermark(client, login_as, people, draft):
    login_as(people.member)
    html = client.get("/procedures/QT-QLKH-02").data.decode()
    assert 'data-watermark="DỰ THẢO"' in html


def test_withdrawn_page_shows_the_withdrawn_watermark(client, db, dc, login_as, people, issued):
    dc.withdraw(people.leader, issued, reason="Hết hiệu lực", on=date.today())
    db.session.commit()
    login_as(people.member)
    assert 'data-watermark="ĐÃ BÃI BỎ"' in client.get("/procedures/QT-QLKH-01").data.decode()


def test_markdown_with_scripts_renders_inert(client, db, dc, login_as, people, draft):
    evil = ('<script>alert(1)</script>\n\n[x](javascript:alert(2))\n\n<img src=x onerror="alert(3)">\n\n'
            '<a href="#" onclick="alert(4)">y</a>\n')
    dc.save_draft(people.member, draft, body=evil, base_revision=draft.current_revision)
    db.session.commit()
    login_as(people.member)
    html = client.get("/procedures/QT-QLKH-02/draft").data.decode()
    body = html[html.index('data-testid="procedure-body"'):]
    assert "<script>alert" not in body and "javascript:" not in body
    assert "onerror" not in body and "onclick" not in body


def test_history_and_diff_show_revisions_and_word_changes(client, db, dc, login_as, people, issued):
    dc.save_draft(people.member, issued, body=issued_body_changed(), base_revision=issued.current_revision,
                  message="Đổi thời hạn")
    db.session.commit()
    login_as(people.member)
    history = client.get("/procedures/QT-QLKH-01/history").data.decode()
    assert "Đổi thời hạn" in history and "Lần 1" in history
    revs = core.store().history("QT-QLKH-01")
    diff = client.get(f"/procedures/QT-QLKH-01/diff?from={revs[1].sha}&to={revs[0].sha}").data.decode()
    assert "diff-ins" in diff and "15 ngày" in diff


def issued_body_changed():
    from tests.procedures.conftest import BODY

    return BODY.replace("Tiếp nhận hồ sơ", "Tiếp nhận hồ sơ trong 15 ngày")


def test_readers_outside_the_unit_see_only_issued_revisions_in_history(client, db, dc, login_as, people, issued):
    dc.save_draft(people.member, issued, body="## Bí mật dự thảo\n", base_revision=issued.current_revision,
                  message="Dự thảo nội bộ")
    db.session.commit()
    login_as(people.other_member)
    assert "Dự thảo nội bộ" not in client.get("/procedures/QT-QLKH-01/history").data.decode()
    draft_sha = core.store().head("QT-QLKH-01")
    assert client.get(f"/procedures/QT-QLKH-01/revisions/{draft_sha}").status_code == 404


def test_two_users_editing_the_same_draft_the_second_is_refused_and_keeps_the_text(app, client, people, draft):
    first, second = app.test_client(), app.test_client()
    from tests.conftest import login

    login(first, people.member)
    login(second, people.head)
    base = draft.current_revision
    ok = first.post("/procedures/QT-QLKH-02/edit", data={"body": "Bản của chị Linh\n", "base_revision": base})
    assert ok.status_code == 302
    clash = second.post("/procedures/QT-QLKH-02/edit",
                        data={"body": "Bản của anh Khoa, rất dài\n", "base_revision": base})
    assert clash.status_code == 409
    html = clash.data.decode()
    assert 'data-testid="conflict"' in html and "Bản của anh Khoa, rất dài" in html and "Bản của chị Linh" in html
    assert core.store().read("QT-QLKH-02").document.body == "Bản của chị Linh\n"


def test_invalid_code_on_create_keeps_the_form(client, login_as, people):
    login_as(people.secretary)
    resp = client.post("/procedures/new", data={"code": "../../etc/passwd", "title": "Tên tôi gõ",
                                                "unit_id": people.member.unit_id, "body": "Nội dung tôi gõ"})
    html = resp.data.decode()
    assert resp.status_code == 200 and "Mã quy trình không hợp lệ" in html
    assert "Tên tôi gõ" in html and "Nội dung tôi gõ" in html


def test_too_large_text_is_refused_with_a_clear_message(client, login_as, people, draft):
    login_as(people.member)
    resp = client.post("/procedures/QT-QLKH-02/edit", data={"body": "a" * 1_100_000,
                                                            "base_revision": draft.current_revision})
    assert resp.status_code in (200, 413)
    assert "quá lớn".encode() in resp.data


def test_approve_through_the_page_issues_with_effective_date(client, db, dc, login_as, people, draft):
    dc.submit(people.head, draft)
    db.session.commit()
    login_as(people.leader)
    day = (date.today() + timedelta(days=7)).isoformat()
    resp = client.post("/procedures/QT-QLKH-02/approve", data={"effective_on": day, "message": "Ban hành"})
    assert resp.status_code == 302
    db.session.refresh(draft)
    assert draft.status == "issued" and draft.effective_on.isoformat() == day


def test_register_exports_csv_and_xlsx_with_the_same_rows(client, login_as, people, issued, draft):
    login_as(people.member)
    csv_text = client.get("/procedures/export.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Mã hiệu,Tên quy trình")
    assert "QT-QLKH-01" in csv_text
    wb = load_workbook(io.BytesIO(client.get("/procedures/export.xlsx").data))
    title, *rows = list(wb.active.iter_rows(values_only=True))
    assert title[0] == "Danh mục tài liệu"
    assert rows[0][0] == "Mã hiệu" and {r[0] for r in rows[1:]} == {"QT-QLKH-01", "QT-QLKH-02"}
    issued_row = next(r for r in rows if r[0] == "QT-QLKH-01")
    assert issued_row[5].date() == date(2021, 3, 15)  # a real date cell, shown dd/mm/yyyy
    assert wb.active.freeze_panes == "A3" and wb.active.auto_filter.ref


def test_preview_returns_sanitised_html(client, login_as, people):
    login_as(people.member)
    html = client.post("/procedures/preview", data={"body": "# Tiêu đề\n\n<script>x()</script>"}).data.decode()
    assert "<h1" in html and "<script" not in html
