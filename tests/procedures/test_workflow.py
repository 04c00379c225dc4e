"""Lifecycle: draft -> submitted -> issued -> withdrawn, with the rules of who may do what."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.procedures import core
from app.procedures.services import PermissionDenied, WorkflowError


def _actions(db, code):
    return db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == code)
                              .order_by(AuditEvent.id)).all()


def test_member_edits_head_submits_leadership_issues_with_tag_and_audit(db, dc, people, draft):
    dc.save_draft(people.member, draft, body="## 1. Mục đích\n\nNội dung mới.\n", base_revision=draft.current_revision)
    dc.submit(people.head, draft)
    assert draft.draft_state == "submitted"
    number = dc.approve(people.leader, draft, effective_on=date.today() + timedelta(days=10), message="Ban hành lần đầu")
    db.session.commit()
    assert number == 1 and draft.status == "issued" and draft.draft_state is None
    assert draft.issued_revision == draft.current_revision
    issues = core.store().issues(draft.code)
    assert [i.number for i in issues] == [1] and issues[0].approver_name == "Lê Hoàng Nam"
    doc = core.store().read(draft.code, draft.issued_revision).document
    assert doc.issue == 1 and doc.approved_by == "Lê Hoàng Nam"
    assert _actions(db, draft.code) == ["procedure.create", "procedure.save", "procedure.submit", "procedure.issue"]


def test_the_store_commit_is_authored_by_the_real_user(db, dc, people, draft):
    dc.save_draft(people.member, draft, body="Nội dung\n", base_revision=draft.current_revision, message="Sửa bước 1")
    db.session.commit()
    newest = core.store().history(draft.code)[0]
    assert newest.author_name == "Võ Thị Mỹ Linh" and "Sửa bước 1" in newest.message


def test_a_new_revision_of_an_issued_procedure_is_a_draft_while_the_issued_text_stays(db, dc, people, issued):
    issued_rev = issued.issued_revision
    dc.save_draft(people.member, issued, body="## Bản sửa đổi\n", base_revision=issued.current_revision)
    db.session.commit()
    assert issued.status == "issued" and issued.draft_state == "editing"
    assert issued.issued_revision == issued_rev
    assert "Bản sửa đổi" not in core.store().read(issued.code, issued.issued_revision).document.body


def test_rejection_returns_the_draft_with_the_approvers_comment(db, dc, people, draft):
    dc.submit(people.head, draft)
    dc.reject(people.leader, draft, "Bổ sung căn cứ pháp lý")
    db.session.commit()
    assert draft.draft_state == "editing" and draft.review_comment == "Bổ sung căn cứ pháp lý"
    with pytest.raises(WorkflowError):
        dc.reject(people.leader, draft, "lần nữa")


def test_rejection_needs_a_comment(dc, people, draft):
    dc.submit(people.head, draft)
    with pytest.raises(WorkflowError) as err:
        dc.reject(people.leader, draft, "  ")
    assert err.value.key == "comment_required"


@pytest.mark.parametrize("who", ["member", "other_member", "committee", "secretary"])
def test_only_the_unit_head_submits(dc, people, draft, who):
    with pytest.raises(PermissionDenied):
        dc.submit(getattr(people, who), draft)


@pytest.mark.parametrize("who", ["member", "head", "secretary", "committee"])
def test_only_leadership_approves(dc, people, draft, who):
    dc.submit(people.head, draft)
    with pytest.raises(PermissionDenied):
        dc.approve(getattr(people, who), draft, effective_on=date.today())


def test_another_units_member_cannot_edit_the_draft(dc, people, draft):
    with pytest.raises(PermissionDenied):
        dc.save_draft(people.other_member, draft, body="x\n", base_revision=draft.current_revision)


def test_a_submitted_draft_cannot_be_edited_by_the_unit(dc, people, draft):
    dc.submit(people.head, draft)
    with pytest.raises(WorkflowError) as err:
        dc.save_draft(people.member, draft, body="x\n", base_revision=draft.current_revision)
    assert err.value.key == "draft_submitted"


def test_effective_date_before_issue_date_is_refused(dc, people, draft):
    dc.submit(people.head, draft)
    with pytest.raises(WorkflowError) as err:
        dc.approve(people.leader, draft, effective_on=date.today() - timedelta(days=1))
    assert err.value.key == "effective_before_issue"


def test_second_issue_gets_the_next_number_and_a_second_tag(db, dc, people, issued):
    dc.save_draft(people.member, issued, body="## Lần 2\n", base_revision=issued.current_revision)
    dc.submit(people.head, issued)
    assert dc.approve(people.leader, issued, effective_on=date.today()) == 2
    db.session.commit()
    assert [i.number for i in core.store().issues(issued.code)] == [1, 2]
    assert issued.issue_number == 2


def test_withdrawal_is_recorded_in_git_and_needs_a_reason(db, dc, people, issued):
    with pytest.raises(WorkflowError):
        dc.withdraw(people.leader, issued, reason="")
    dc.withdraw(people.leader, issued, reason="Thủ tục đã bị bãi bỏ", on=date(2026, 1, 5))
    db.session.commit()
    assert issued.status == "withdrawn" and issued.withdrawn_on == date(2026, 1, 5)
    assert core.store().withdrawals(issued.code)[0].reason == "Thủ tục đã bị bãi bỏ"
    with pytest.raises(PermissionDenied):
        dc.save_draft(people.member, issued, body="x\n", base_revision=issued.current_revision)


def test_the_store_tells_which_text_was_in_force_on_a_date(db, dc, people, issued):
    dc.save_draft(people.member, issued, body="## Lần 2\n", base_revision=issued.current_revision)
    dc.submit(people.head, issued)
    dc.approve(people.leader, issued, effective_on=date.today() + timedelta(days=30))
    db.session.commit()
    st = core.store()
    assert st.in_force_on(issued.code, date(2021, 3, 14)) is None
    assert st.in_force_on(issued.code, date(2022, 1, 1)).number == 1
    assert st.in_force_on(issued.code, date.today() + timedelta(days=31)).number == 2


def test_secretary_edits_metadata_and_a_transfer_moves_the_unit(db, dc, people, issued, make):
    vp = make.unit("VP")
    dc.edit_metadata(people.secretary, issued, title="Quy trình đăng ký (sửa tên)", unit=vp,
                     legal_bases=["Luật KH&CN 2013", "Nghị định 08/2014/NĐ-CP"], drafted_by="A", reviewed_by="B",
                     base_revision=issued.current_revision)
    db.session.commit()
    assert issued.unit_code == "VP" and issued.title == "Quy trình đăng ký (sửa tên)"
    doc = core.store().read(issued.code).document
    assert doc.unit == "VP" and doc.legal_bases[1] == "Nghị định 08/2014/NĐ-CP"


def test_home_pages_list_what_waits_for_each_role(app, client, db, dc, people, draft, login_as):
    from tests.conftest import login

    leader, head = app.test_client(), app.test_client()
    login(head, people.head)
    assert "Dự thảo đang soạn thảo" in head.get("/").data.decode()
    dc.submit(people.head, draft)
    db.session.commit()
    login(leader, people.leader)
    assert "Quy trình chờ phê duyệt" in leader.get("/").data.decode()
    dc.reject(people.leader, draft, "Thiếu căn cứ pháp lý")
    db.session.commit()
    page = head.get("/").data.decode()
    assert "Dự thảo bị trả lại" in page and "Thiếu căn cứ pháp lý" in page


def test_a_save_adds_one_revision_row_and_leaves_the_history_rows_as_they_are(app, db, dc, people, draft):
    """Each save of a long-edited draft costs the same: the mirror writes the new revision, not all of them."""
    from sqlalchemy import event, func, select

    from app.procedures.models import ProcedureRevision

    for i in range(5):
        dc.save_draft(people.member, draft, body=f"Nội dung lần {i}\n", base_revision=draft.current_revision)
        db.session.commit()
    before = {r.sha: (r.authored_at, r.message) for r in db.session.scalars(select(ProcedureRevision))}
    written = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if "procedure_revision" in statement and statement.lstrip().upper().startswith(("UPDATE", "DELETE",
                                                                                       "INSERT")):
            written.append(statement.split()[0].upper())

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        sha = dc.save_draft(people.member, draft, body="Nội dung cuối\n", base_revision=draft.current_revision)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert written == ["INSERT"]
    rows = {r.sha: (r.authored_at, r.message) for r in db.session.scalars(select(ProcedureRevision))}
    assert set(rows) - set(before) == {sha} and all(rows[s] == before[s] for s in before)
    assert db.session.scalar(select(func.count(ProcedureRevision.id))
                             .where(ProcedureRevision.procedure_id == draft.id)) == 7
