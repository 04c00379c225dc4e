"""The timeline reads in the interface language and is not drowned in sign-ins (issue #11, audit part)."""
from __future__ import annotations

import re
from datetime import date

from app.extensions import db
from app.procedures.services import DocumentControl
from app.store import ProcedureDocument

BODY = "## 1. Mục đích\n\nQuy định trình tự.\n"
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _issue_once(make):
    make.unit("QLKH")
    secretary = make.user("secretary", unit="QLKH")
    member, head = make.user("member", unit="QLKH"), make.user("head", unit="QLKH")
    leader = make.user("leadership")
    dc = DocumentControl()
    doc = ProcedureDocument(code="QT-QLKH-07", title="Quy trình thử", unit="QLKH", body=BODY, issue=1,
                            issued_on=date(2024, 1, 2), effective_on=date(2024, 1, 2))
    proc, _ = dc.import_document(secretary, doc)
    dc.save_draft(member, proc, body=BODY + "\nThêm.\n", base_revision=proc.current_revision)
    dc.submit(head, proc)
    dc.approve(leader, proc, effective_on=date.today())
    db.session.commit()
    return leader


def test_an_english_reader_sees_no_vietnamese_generated_line_in_a_new_timeline(client, login_as, make):
    _issue_once(make)
    reader = make.user("committee")
    reader.locale = "en"
    db.session.commit()
    login_as(reader)
    timeline = client.get("/audit/?kind=procedure").data.decode()
    summaries = re.findall(r'data-testid="event-summary">([^<]*)<', timeline)
    assert summaries, "the timeline lists the events"
    assert any("Issued QT-QLKH-07, issue 2" in s for s in summaries)
    assert not [s for s in summaries if VIETNAMESE.search(s)]


def test_sign_ins_are_left_out_of_the_timeline_unless_asked_for(client, login_as, make):
    _issue_once(make)
    reader = make.user("committee")
    login_as(reader)
    default = client.get("/audit/").data.decode()
    assert 'data-action="auth.login"' not in default and 'data-action="procedure.issue"' in default
    assert 'data-action="auth.login"' in client.get("/audit/?signins=1").data.decode()
