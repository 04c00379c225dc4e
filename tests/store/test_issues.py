"""Issuing revisions and withdrawing procedures as annotated tags, and what is in force on a date."""
from __future__ import annotations

from datetime import date

import pytest

from app.store import Author, InvalidProcedure, ProcedureNotFound

from .helpers import git, make_doc


@pytest.fixture
def two_issues(store, drafter, approver):
    """QT-VP-01 issued twice: issue 1 from 2022-04-01, issue 2 from 2023-07-01."""
    r1 = store.create(make_doc(body="Lần 1\n", issue=1, effective_on=date(2022, 4, 1)), drafter, "Tạo mới")
    store.issue("QT-VP-01", r1, 1, date(2022, 4, 1), approver, "Ban hành lần 1")
    r2 = store.save(make_doc(body="Lần 2\n", issue=2, effective_on=date(2023, 7, 1)), r1, drafter, "Sửa đổi")
    store.issue("QT-VP-01", r2, 2, date(2023, 7, 1), approver, "Ban hành lần 2")
    return r1, r2


def test_issue_records_an_annotated_tag_by_the_approver(store, drafter, approver):
    rev = store.create(make_doc(), drafter, "Tạo mới")
    record = store.issue("QT-VP-01", rev, 1, date(2022, 4, 1), approver, "Quyết định số 12/QĐ-SKHCN")
    assert record.number == 1 and record.revision == rev and record.effective_on == date(2022, 4, 1)
    assert (record.approver_name, record.approver_email) == ("Lê Văn Cường", "cuong@skhcn.example.vn")
    assert record.message == "Quyết định số 12/QĐ-SKHCN" and record.tagged_at.tzinfo is not None
    assert git(store, "cat-file", "-t", "QT-VP-01/issue-1").strip() == "tag"
    assert git(store, "rev-parse", "QT-VP-01/issue-1^{commit}").strip() == rev
    assert git(store, "for-each-ref", "--format=%(taggername) %(taggeremail)",
               "refs/tags/QT-VP-01/issue-1").strip() == "Lê Văn Cường <cuong@skhcn.example.vn>"


def test_the_tag_message_carries_machine_readable_lines(store, drafter, approver):
    rev = store.create(make_doc(), drafter, "Tạo mới")
    store.issue("QT-VP-01", rev, 3, date(2024, 1, 15), approver, "Ban hành lần 3")
    message = git(store, "for-each-ref", "--format=%(contents)", "refs/tags/QT-VP-01/issue-3")
    lines = message.splitlines()
    assert "Issue: 3" in lines and "Effective: 2024-01-15" in lines
    assert "Approved-by: Lê Văn Cường <cuong@skhcn.example.vn>" in lines
    assert "Ban hành lần 3" in lines


def test_a_duplicate_issue_number_is_refused(two_issues, store, approver):
    r1, r2 = two_issues
    with pytest.raises(InvalidProcedure) as err:
        store.issue("QT-VP-01", r2, 2, date(2024, 1, 1), approver, "Lại")
    assert err.value.code == "exists"
    assert [i.number for i in store.issues("QT-VP-01")] == [1, 2]


def test_issues_are_listed_in_number_order(two_issues, store):
    r1, r2 = two_issues
    assert [(i.number, i.revision, i.tag) for i in store.issues("QT-VP-01")] == [
        (1, r1, "QT-VP-01/issue-1"), (2, r2, "QT-VP-01/issue-2")]


def test_issuing_a_later_commit_tags_the_revision_that_last_changed_the_file(store, drafter, approver):
    own = store.create(make_doc("QT-VP-01"), drafter, "A")
    later = store.create(make_doc("QT-VP-02"), drafter, "B")
    assert store.issue("QT-VP-01", later, 1, date(2024, 1, 1), approver, "x").revision == own


def test_issuing_where_the_procedure_does_not_exist_is_not_found(store, drafter, approver):
    rev = store.create(make_doc("QT-VP-02"), drafter, "B")
    with pytest.raises(ProcedureNotFound):
        store.issue("QT-VP-01", rev, 1, date(2024, 1, 1), approver, "x")
    with pytest.raises(ProcedureNotFound):
        store.issue("QT-VP-02", "f" * 40, 1, date(2024, 1, 1), approver, "x")


@pytest.mark.parametrize("number", [0, -1, True, "1", 1.0])
def test_issue_numbers_must_be_positive_whole_numbers(store, drafter, approver, number):
    rev = store.create(make_doc(), drafter, "A")
    with pytest.raises(InvalidProcedure):
        store.issue("QT-VP-01", rev, number, date(2024, 1, 1), approver, "x")


@pytest.mark.parametrize("day, expected", [
    (date(2022, 3, 31), None),
    (date(2022, 4, 1), 1),
    (date(2023, 6, 30), 1),
    (date(2023, 7, 1), 2),
    (date(2030, 1, 1), 2),
])
def test_in_force_on_picks_the_latest_effective_issue(two_issues, store, day, expected):
    found = store.in_force_on("QT-VP-01", day)
    assert (found.number if found else None) == expected


def test_an_issue_effective_later_is_not_yet_in_force(store, drafter, approver):
    rev = store.create(make_doc(), drafter, "A")
    store.issue("QT-VP-01", rev, 1, date(2030, 1, 1), approver, "Sắp có hiệu lực")
    assert store.in_force_on("QT-VP-01", date(2029, 12, 31)) is None


def test_withdrawal_ends_the_issue_in_force_from_its_date(two_issues, store, approver):
    tag = store.withdraw("QT-VP-01", approver, "Thủ tục bị bãi bỏ theo Quyết định 99/QĐ-UBND", date(2024, 12, 31))
    assert tag == "QT-VP-01/withdrawn-20241231"
    assert store.in_force_on("QT-VP-01", date(2024, 12, 30)).number == 2
    assert store.in_force_on("QT-VP-01", date(2024, 12, 31)) is None
    assert store.in_force_on("QT-VP-01", date(2026, 1, 1)) is None
    assert store.in_force_on("QT-VP-01", date(2023, 1, 1)).number == 1


def test_withdrawal_is_recorded_on_the_head_with_reason_and_author(two_issues, store, approver):
    r1, r2 = two_issues
    store.withdraw("QT-VP-01", approver, "Bãi bỏ", date(2024, 12, 31))
    (w,) = store.withdrawals("QT-VP-01")
    assert (w.revision, w.withdrawn_on, w.reason) == (r2, date(2024, 12, 31), "Bãi bỏ")
    assert (w.by_name, w.by_email) == (approver.name, approver.email)
    message = git(store, "for-each-ref", "--format=%(contents)", f"refs/tags/{w.tag}")
    assert "Withdrawn: 2024-12-31" in message.splitlines()


def test_a_reissue_after_withdrawal_is_in_force_again(two_issues, store, drafter, approver):
    r1, r2 = two_issues
    store.withdraw("QT-VP-01", approver, "Tạm dừng", date(2024, 1, 1))
    r3 = store.save(make_doc(body="Lần 3\n", issue=3), r2, drafter, "Khôi phục")
    store.issue("QT-VP-01", r3, 3, date(2024, 6, 1), approver, "Ban hành lần 3")
    assert store.in_force_on("QT-VP-01", date(2024, 3, 1)) is None
    assert store.in_force_on("QT-VP-01", date(2024, 6, 1)).number == 3


def test_two_withdrawals_on_one_day_get_distinct_tags(store, drafter, approver):
    store.create(make_doc(), drafter, "A")
    first = store.withdraw("QT-VP-01", approver, "Lần 1", date(2024, 1, 1))
    second = store.withdraw("QT-VP-01", approver, "Lần 2", date(2024, 1, 1))
    assert first != second and len(store.withdrawals("QT-VP-01")) == 2


def test_withdrawal_needs_a_reason_and_an_existing_procedure(store, drafter, approver):
    with pytest.raises(ProcedureNotFound):
        store.withdraw("QT-VP-01", approver, "Lý do", date(2024, 1, 1))
    store.create(make_doc(), drafter, "A")
    with pytest.raises(InvalidProcedure):
        store.withdraw("QT-VP-01", approver, "  ", date(2024, 1, 1))


def test_tags_of_a_code_do_not_leak_into_a_longer_code(store, drafter, approver):
    a = store.create(make_doc("QT-VP-01"), drafter, "A")
    b = store.create(make_doc("QT-VP-010"), drafter, "B")
    store.issue("QT-VP-010", b, 1, date(2024, 1, 1), approver, "x")
    assert store.issues("QT-VP-01") == []
    store.issue("QT-VP-01", a, 1, date(2024, 1, 1), Author("Khác", "k@x.vn"), "y")
    assert [i.approver_name for i in store.issues("QT-VP-01")] == ["Khác"]


def test_a_message_with_hash_lines_and_headers_is_kept_verbatim(store, drafter, approver):
    rev = store.create(make_doc(), drafter, "A")
    text = "# Quyết định\nIssue: 99\n\n# giữ nguyên"
    assert store.issue("QT-VP-01", rev, 1, date(2024, 1, 1), approver, text).message == text
    assert store.issues("QT-VP-01")[0].number == 1
