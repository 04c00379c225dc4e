"""Internal audit rules: the programme and its approval, independent auditors, pinned scope, findings to CAPA.

Every function takes the acting user, flushes and never commits (the route commits once) and writes the
audit event beside its change. An audit goes planned -> notified -> in_progress -> reported -> closed;
its checklist answers and findings can change only while it is in progress, and are frozen once reported.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.audit.services import record
from app.capa import services as capa_services
from app.capa.models import CLOSED as CAPA_CLOSED
from app.capa.models import VERIFIED as CAPA_VERIFIED
from app.extensions import db
from app.internal_audits import permissions as perm
from app.internal_audits.models import (APPROVED, CHECK_RESULTS, CLOSED, FINDING_KINDS, IN_PROGRESS, NC, NOTIFIED,
                                        PLANNED, REPORTED, Audit, AuditProgramme, AuditScope, AuditTeamMember,
                                        ChecklistItem, Finding)
from app.procedures.models import ISSUED
from app.timeutil import utcnow

# questions every audit asks, whatever its scope (ISO 9001:2015 clause, question)
STANDARD_QUESTIONS = (
    ("7.5", "Các quy trình đang áp dụng tại đơn vị có đúng lần ban hành hiện hành, không dùng bản hết hiệu lực?"),
    ("7.5.3", "Hồ sơ cần lưu theo quy trình có được lập, lưu giữ đầy đủ và truy xuất được?"),
    ("9.1", "Kết quả thực hiện mục tiêu chất lượng của đơn vị có được theo dõi, báo cáo đúng kỳ?"),
    ("10.2", "Các hành động khắc phục của kỳ trước đã được thực hiện và kiểm tra hiệu quả?"),
)


class AuditError(Exception):
    """A step the audit's state, its data or the user's role does not allow; `key` names it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class PermissionDenied(AuditError):
    def __init__(self):
        super().__init__("forbidden")


def _allow(ok: bool) -> None:
    if not ok:
        raise PermissionDenied()


def _require(ok: bool, key: str, **params) -> None:
    if not ok:
        raise AuditError(key, **params)


def _text(value) -> str:
    return (value or "").strip()


def _event(actor, action: str, audit: Audit, summary: str, payload: dict | None = None) -> None:
    record(actor, action, "internal_audit", audit.number, summary, payload, unit_code=audit.unit_code)


# -- programme -----------------------------------------------------------------------------------
def programme_for(year: int) -> AuditProgramme | None:
    return db.session.scalar(select(AuditProgramme).where(AuditProgramme.year == year))


def create_programme(actor, *, year: int, title: str, note: str = "") -> AuditProgramme:
    _allow(perm.can_plan_audits(actor))
    _require(2000 <= year <= 2100, "invalid_year")
    _require(programme_for(year) is None, "programme_exists", year=year)
    _require(bool(_text(title)), "title_required")
    programme = AuditProgramme(year=year, title=_text(title)[:300], note=_text(note), created_by_id=actor.id,
                               created_at=utcnow())
    db.session.add(programme)
    db.session.flush()
    record(actor, "audit_programme.create", "audit_programme", year, f"Lập chương trình đánh giá nội bộ năm {year}",
           {"title": programme.title, "note": programme.note})
    return programme


def approve_programme(actor, programme: AuditProgramme) -> None:
    _allow(perm.can_approve_programme(actor))
    _require(programme.status != APPROVED, "already_approved")
    _require(bool(programme.audits), "programme_empty")
    programme.status, programme.approved_by_id, programme.approved_at = APPROVED, actor.id, utcnow()
    record(actor, "audit_programme.approve", "audit_programme", programme.year,
           f"Phê duyệt chương trình đánh giá nội bộ năm {programme.year}",
           {"audits": [a.number for a in programme.audits]})


# -- planning an audit ---------------------------------------------------------------------------
def check_independence(unit, lead_auditor, team) -> None:
    """An auditor never audits their own unit (ISO 9001 9.2.2 c: objectivity and impartiality)."""
    for person in [lead_auditor, *team]:
        if person is not None and person.unit_id is not None and person.unit_id == unit.id:
            raise AuditError("auditor_own_unit", name=person.full_name)


def plan_audit(actor, programme: AuditProgramme, *, unit, starts_on: date | None, ends_on: date | None,
               lead_auditor, team=(), procedures=(), objective: str = "") -> Audit:
    _allow(perm.can_plan_audits(actor))
    _require(unit is not None, "unit_required")
    _require(starts_on is not None and ends_on is not None, "dates_required")
    _require(starts_on <= ends_on, "dates_order")
    _require(starts_on.year == programme.year, "date_outside_year", year=programme.year)
    _require(lead_auditor is not None, "lead_required")
    team = [u for u in dict.fromkeys(team) if u is not None and u.id != lead_auditor.id]
    check_independence(unit, lead_auditor, team)
    _require(bool(procedures), "scope_required")
    for proc in procedures:
        _require(proc.status == ISSUED and proc.issued_revision is not None, "procedure_not_issued", code=proc.code)
    seq = max((a.seq for a in programme.audits), default=0) + 1
    audit = Audit(programme=programme, seq=seq, number=f"DGNB-{programme.year}-{seq:02d}", unit=unit,
                  starts_on=starts_on, ends_on=ends_on, lead_auditor=lead_auditor, objective=_text(objective),
                  status=PLANNED)
    db.session.add(audit)
    for person in team:
        audit.team.append(AuditTeamMember(user=person))
    for proc in procedures:
        # pinned: the revision in force when planned is the text the audit checks, whatever is issued later
        audit.scope.append(AuditScope(procedure=proc, code=proc.code, title=proc.title,
                                      revision=proc.issued_revision, issue_number=proc.issue_number))
    questions = [(clause, text) for clause, text in STANDARD_QUESTIONS]
    questions += [(p.code, f"Quy trình {p.code} (lần ban hành {p.issue_number}) có được thực hiện đúng các bước, "
                           f"đúng thời hạn và đúng biểu mẫu?") for p in procedures]
    for i, (reference, question) in enumerate(questions, 1):
        audit.checklist.append(ChecklistItem(seq=i, reference=reference, question=question))
    db.session.flush()
    _event(actor, "internal_audit.plan", audit, f"Lập kế hoạch cuộc đánh giá {audit.number} tại {unit.code}",
           {"unit": unit.code, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
            "lead_auditor": lead_auditor.username, "team": [u.username for u in team],
            "scope": [{"code": s.code, "revision": s.revision, "issue": s.issue_number} for s in audit.scope]})
    return audit


def notify(actor, audit: Audit) -> None:
    """The secretary sends the notice to the unit and the team once leadership has approved the programme."""
    _allow(perm.can_plan_audits(actor))
    _require(audit.status == PLANNED, "wrong_state")
    _require(audit.programme.is_approved, "programme_not_approved")
    audit.status, audit.notified_at = NOTIFIED, utcnow()
    _event(actor, "internal_audit.notify", audit, f"Thông báo cuộc đánh giá {audit.number} đến {audit.unit_code}")


def start(actor, audit: Audit) -> None:
    _allow(perm.can_report_audit(actor, audit))
    _require(audit.status == NOTIFIED, "wrong_state")
    audit.status, audit.started_at = IN_PROGRESS, utcnow()
    _event(actor, "internal_audit.start", audit, f"Bắt đầu cuộc đánh giá {audit.number}")


# -- during the audit ------------------------------------------------------------------------------
def _recording(actor, audit: Audit) -> None:
    _allow(perm.can_record_findings(actor, audit))
    _require(not audit.findings_frozen, "findings_frozen")
    _require(audit.status == IN_PROGRESS, "not_in_progress")


def answer(actor, audit: Audit, item: ChecklistItem, *, result: str | None, note: str = "") -> None:
    _recording(actor, audit)
    _require(item.audit_id == audit.id, "unknown_item")
    _require(result in CHECK_RESULTS, "invalid_result")
    item.result, item.note = result, _text(note)
    _event(actor, "internal_audit.checklist", audit, f"Ghi kết quả câu hỏi {item.seq} của {audit.number}",
           {"item": item.seq, "result": result, "note": item.note})


def add_question(actor, audit: Audit, *, reference: str, question: str) -> ChecklistItem:
    _allow(perm.can_record_findings(actor, audit) or perm.can_plan_audits(actor))
    _require(not audit.findings_frozen, "findings_frozen")
    _require(bool(_text(question)), "question_required")
    seq = max((i.seq for i in audit.checklist), default=0) + 1
    item = ChecklistItem(seq=seq, reference=_text(reference)[:80], question=_text(question))
    audit.checklist.append(item)
    db.session.flush()
    _event(actor, "internal_audit.question", audit, f"Thêm câu hỏi {seq} vào danh mục kiểm tra {audit.number}",
           {"item": seq, "reference": item.reference, "question": item.question})
    return item


def record_finding(actor, audit: Audit, *, kind: str, description: str, evidence: str, clause: str = "",
                   procedure=None, correction: str = "") -> Finding:
    """A nonconformity raises a CAPA record for the audited unit, linked both ways."""
    _recording(actor, audit)
    _require(kind in FINDING_KINDS, "invalid_kind")
    _require(bool(_text(description)), "description_required")
    _require(bool(_text(evidence)), "evidence_required")
    if procedure is not None:
        _require(any(s.procedure_id == procedure.id for s in audit.scope), "procedure_not_in_scope")
    seq = max((f.seq for f in audit.findings), default=0) + 1
    capa = None
    if kind == NC:
        # the CAPA number is taken first: it must be the transaction's first write (see capa.services)
        text = _text(description) + "\n\n" + f"Bằng chứng: {_text(evidence)}"
        if _text(correction):
            text += "\n\n" + f"Khắc phục tức thời: {_text(correction)}"
        capa = capa_services.propose(
            actor, kind="corrective", source="audit", title=f"{audit.number}/{seq}: {_text(description)}"[:300],
            year=audit.programme.year,
            description=text, unit=audit.unit, procedures=[procedure] if procedure is not None else [])
    finding = Finding(seq=seq, kind=kind, clause=_text(clause)[:80], procedure=procedure,
                      description=_text(description), evidence=_text(evidence), correction=_text(correction),
                      recorded_by_id=actor.id, recorded_at=utcnow())
    audit.findings.append(finding)
    db.session.flush()
    if capa is not None:
        capa.audit_finding_id = finding.id
        db.session.flush()
    _event(actor, "internal_audit.finding", audit, f"Ghi nhận phát hiện {seq} ({kind}) của {audit.number}",
           {"finding": seq, "kind": kind, "clause": finding.clause, "description": finding.description,
            "evidence": finding.evidence, "correction": finding.correction,
            "procedure": procedure.code if procedure is not None else None,
            "capa": capa.number if capa is not None else None})
    return finding


def report(actor, audit: Audit, *, conclusion: str) -> None:
    """The lead auditor reports: from now on the findings and checklist answers are frozen."""
    _allow(perm.can_report_audit(actor, audit))
    _require(audit.status == IN_PROGRESS, "wrong_state")
    _require(bool(_text(conclusion)), "conclusion_required")
    audit.status, audit.conclusion = REPORTED, _text(conclusion)
    audit.reported_at, audit.reported_by_id = utcnow(), actor.id
    _event(actor, "internal_audit.report", audit, f"Báo cáo kết quả cuộc đánh giá {audit.number}",
           {"conclusion": audit.conclusion, "findings": [
               {"seq": f.seq, "kind": f.kind, "capa": f.capa.number if f.capa else None} for f in audit.findings]})


def open_capas(audit: Audit) -> list:
    """CAPA records of the audit's nonconformities not yet verified effective (nor closed)."""
    return [f.capa for f in audit.findings
            if f.kind == NC and f.capa is not None and f.capa.status not in (CAPA_VERIFIED, CAPA_CLOSED)]


def close(actor, audit: Audit, *, reason: str = "") -> None:
    """Closed once every nonconformity's CAPA is verified, or with the reason it is closed before that."""
    _allow(perm.can_close_audit(actor, audit))
    _require(audit.status == REPORTED, "wrong_state")
    pending = open_capas(audit)
    _require(not pending or bool(_text(reason)), "capa_not_verified",
             numbers=", ".join(c.number for c in pending))
    audit.status, audit.closed_at, audit.close_reason = CLOSED, utcnow(), _text(reason)
    _event(actor, "internal_audit.close", audit, f"Kết thúc cuộc đánh giá {audit.number}",
           {"reason": audit.close_reason, "pending_capa": [c.number for c in pending]})


def get(number: str) -> Audit | None:
    return db.session.scalar(select(Audit).where(Audit.number == number))
