"""Today's free-text bases: mirrored with their keys, matched to entries created from them, the rest listed."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.legal import citations, matching, services
from app.legal.services import DocumentData
from app.procedures import core
from tests.legal.conftest import DECREE_61, LAW_KHCN

VAGUE = "Các quy chuẩn kỹ thuật quốc gia do Bộ Khoa học và Công nghệ ban hành"


def test_entries_created_from_the_bases_match_them_and_the_unreadable_ones_are_listed(people, issued):
    issued("QT-QLKH-01", bases=[DECREE_61, LAW_KHCN, VAGUE])
    issued("QT-QLKH-02", bases=["Nghị định 61/2018/ND-CP", "TCVN ISO 9001:2015 Hệ thống quản lý chất lượng"])
    report = matching.create_from_citations(people.secretary)
    db.session.commit()
    assert sorted(d.number for d in report.created) == ["29/2013/QH13", "61/2018/NĐ-CP", "TCVN ISO 9001:2015"]
    decree = services.find("61/2018/NĐ-CP")
    assert (decree.kind, decree.issuer, decree.signed_on) == ("decree", "Chính phủ", date(2018, 4, 23))
    assert [(u.text, u.procedures) for u in report.unmatched] == [(VAGUE, ["QT-QLKH-01"])]
    assert [p.code for p in services.citing_procedures(decree)] == ["QT-QLKH-01", "QT-QLKH-02"]
    # running it again creates nothing more
    assert matching.create_from_citations(people.secretary).created == []


def test_a_document_entered_later_links_the_lines_that_cite_it(people, issued):
    proc = issued("QT-QLKH-01", bases=[DECREE_61])
    assert [b.document for b in citations.bases_of(proc)] == [None]
    doc = services.create_document(people.secretary, DocumentData(number="61/2018/ND-CP", kind="decree", title="x"))
    assert [b.document for b in citations.bases_of(proc)] == [doc]


def test_a_new_basis_saved_by_the_secretary_is_matched(people, issued, decree_61):
    proc = issued("QT-QLKH-01", bases=[LAW_KHCN])
    assert services.citing_procedures(decree_61) == []
    dc = core.store  # noqa: F841
    from app.procedures.services import DocumentControl
    from tests.reviews.conftest import NoIndex

    DocumentControl(core.store(), index=NoIndex()).edit_metadata(
        people.secretary, proc, title=proc.title, unit=proc.unit, legal_bases=[LAW_KHCN, "Nghị định 61/2018/NĐ-CP"],
        drafted_by="", reviewed_by="", base_revision=proc.current_revision)
    db.session.commit()
    # the draft cites it at once; the text in force only once issued
    assert [b.document for b in citations.bases_of(proc, "draft")][1] == decree_61
    assert services.citing_procedures(decree_61) == []


def test_the_command_lists_what_it_could_not_match(people, issued, runner):
    issued("QT-QLKH-01", bases=[DECREE_61, VAGUE])
    result = runner.invoke(args=["qms", "legal-match", "--create"])
    assert result.exit_code == 0, result.output
    assert "+ 61/2018/NĐ-CP" in result.output
    assert "Unmatched bases: 1" in result.output and VAGUE in result.output
