"""Internal audits: independent auditors, pinned scope, states, findings to CAPA both ways, frozen findings."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.capa import services as capa_services
from app.capa.models import Capa
from app.extensions import db
from app.internal_audits import services
from app.internal_audits.services import AuditError, PermissionDenied
from app.timeutil import local_today
from tests.internal_audits.conftest import plan, unit


def test_an_auditor_never_audits_their_own_unit(people, procedure):
    programme = services.create_programme(people.secretary, year=local_today().year, title="CT")
    today = local_today()
    with pytest.raises(AuditError) as err:
        services.plan_audit(people.secretary, programme, unit=unit("QLKH"), starts_on=today, ends_on=today,
                            lead_auditor=people.member, procedures=[procedure])
    assert err.value.key == "auditor_own_unit"
    with pytest.raises(AuditError) as err:  # a team member from the audited unit is refused too
        services.plan_audit(people.secretary, programme, unit=unit("QLKH"), starts_on=today, ends_on=today,
                            lead_auditor=people.auditor, team=[people.head], procedures=[procedure])
    assert err.value.key == "auditor_own_unit" and err.value.params["name"] == people.head.full_name


def test_the_plan_page_refuses_an_auditor_from_the_audited_unit_and_keeps_the_form(client, login_as, people,
                                                                                   procedure):
    services.create_programme(people.secretary, year=local_today().year, title="CT")
    db.session.commit()
    login_as(people.secretary)
    today = local_today().isoformat()
    resp = client.post(f"/internal-audits/{local_today().year}/audits", data={
        "plan-unit_id": unit("QLKH").id, "plan-starts_on": today, "plan-ends_on": today,
        "plan-lead_auditor_id": people.member.id, "plan-procedures": [procedure.code],
        "plan-objective": "Mục đích đã gõ"})
    assert resp.status_code == 200
    assert "không được đánh giá đơn vị mình".encode() in resp.data
    assert "Mục đích đã gõ".encode() in resp.data


def test_scope_is_pinned_to_the_revision_issued_when_planned(people, procedure):
    audit = plan(people, procedure, upto="planned")
    pinned = audit.scope[0]
    assert pinned.revision == procedure.issued_revision and pinned.issue_number == procedure.issue_number
    procedure.issued_revision, procedure.issue_number = "f" * 40, procedure.issue_number + 1  # a later issue
    db.session.commit()
    db.session.refresh(pinned)
    assert pinned.revision != procedure.issued_revision


def test_an_audit_cannot_be_notified_before_leadership_approves_the_programme(people, procedure):
    audit = plan(people, procedure, upto="planned")
    with pytest.raises(AuditError) as err:
        services.notify(people.secretary, audit)
    assert err.value.key == "programme_not_approved"
    with pytest.raises(PermissionDenied):
        services.approve_programme(people.secretary, audit.programme)
    services.approve_programme(people.leader, audit.programme)
    services.notify(people.secretary, audit)
    assert audit.status == "notified"


def test_a_nonconformity_raises_a_capa_linked_both_ways(people, procedure):
    audit = plan(people, procedure)
    finding = services.record_finding(people.auditor2, audit, kind="nc", clause="7.5.3", procedure=procedure,
                                      description="Hồ sơ không lưu phiếu kiểm soát",
                                      evidence="Hồ sơ số 12/2026 thiếu phiếu", correction="Bổ sung phiếu ngay")
    db.session.commit()
    capa = db.session.scalar(select(Capa).where(Capa.audit_finding_id == finding.id))
    assert capa is not None and finding.capa is capa and capa.audit_finding is finding
    assert capa.source == "audit" and capa.unit_code == "QLKH"
    assert [link.procedure.code for link in capa.links] == [procedure.code]
    assert "Bổ sung phiếu ngay" in capa.description
    observation = services.record_finding(people.auditor, audit, kind="observation", description="Lưu ý",
                                          evidence="Quan sát")
    assert observation.capa is None


def test_the_capa_page_links_back_to_the_audit_and_the_audit_page_to_the_capa(client, login_as, people, procedure):
    audit = plan(people, procedure)
    finding = services.record_finding(people.auditor, audit, kind="nc", description="Thiếu hồ sơ", evidence="E")
    db.session.commit()
    login_as(people.secretary)
    capa_page = client.get(f"/capa/{finding.capa.number}").get_data(as_text=True)
    assert f"/internal-audits/audit/{audit.number}" in capa_page
    audit_page = client.get(f"/internal-audits/audit/{audit.number}").get_data(as_text=True)
    assert f"/capa/{finding.capa.number}" in audit_page


def test_only_the_audits_own_team_records_findings(people, procedure):
    audit = plan(people, procedure)
    for outsider in (people.secretary, people.member, people.leader):
        with pytest.raises(PermissionDenied):
            services.record_finding(outsider, audit, kind="ofi", description="x", evidence="y")


def test_findings_are_frozen_once_reported(people, procedure):
    audit = plan(people, procedure)
    finding = services.record_finding(people.auditor, audit, kind="nc", description="Thiếu hồ sơ", evidence="E")
    services.answer(people.auditor, audit, audit.checklist[0], result="conform", note="OK")
    services.report(people.auditor, audit, conclusion="Hệ thống được duy trì, còn 1 điểm không phù hợp.")
    db.session.commit()
    with pytest.raises(AuditError) as err:
        services.record_finding(people.auditor, audit, kind="ofi", description="Muộn", evidence="E")
    assert err.value.key == "findings_frozen"
    with pytest.raises(AuditError):
        services.answer(people.auditor, audit, audit.checklist[0], result="nonconform")
    # later work on the CAPA does not rewrite what the audit found
    capa_services.accept(people.secretary, finding.capa, unit("QLKH"))
    db.session.commit()
    db.session.refresh(finding)
    assert finding.description == "Thiếu hồ sơ" and audit.checklist[0].result == "conform"
    assert audit.count("nc") == 1


def test_an_audit_closes_only_when_its_capas_are_verified_or_with_a_reason(people, procedure):
    audit = plan(people, procedure)
    finding = services.record_finding(people.auditor, audit, kind="nc", description="Thiếu hồ sơ", evidence="E")
    services.report(people.auditor, audit, conclusion="Kết luận")
    db.session.commit()
    with pytest.raises(AuditError) as err:
        services.close(people.secretary, audit)
    assert err.value.key == "capa_not_verified" and finding.capa.number in err.value.params["numbers"]
    services.close(people.secretary, audit, reason="Phiếu CAPA chuyển theo dõi sang năm sau")
    assert audit.status == "closed"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == audit.number)).all()
    assert actions == ["internal_audit.plan", "internal_audit.notify", "internal_audit.start",
                       "internal_audit.finding", "internal_audit.report", "internal_audit.close"]


def test_the_audit_report_prints_with_scope_findings_and_conclusion(client, login_as, people, procedure):
    audit = plan(people, procedure)
    services.record_finding(people.auditor, audit, kind="ofi", description="Nên số hóa sổ theo dõi", evidence="E")
    services.report(people.auditor, audit, conclusion="Phù hợp")
    db.session.commit()
    login_as(people.committee)
    page = client.get(f"/internal-audits/audit/{audit.number}/print").get_data(as_text=True)
    assert "Báo cáo đánh giá nội bộ".upper() in page.upper() and procedure.issued_revision[:10] in page
    assert "Nên số hóa sổ theo dõi" in page and "print-view" in page


def test_units_read_their_own_audits_only(client, login_as, people, procedure, make):
    audit = plan(people, procedure)
    login_as(make.user("member", unit="VP"))
    assert client.get(f"/internal-audits/audit/{audit.number}").status_code == 403
    assert client.get(f"/internal-audits/{audit.year}").status_code == 200


def test_audit_work_reaches_each_person_s_home_page(client, login_as, people, procedure):
    audit = plan(people, procedure, upto="planned")
    login_as(people.leader)
    assert f"Phê duyệt chương trình đánh giá năm {audit.year}" in client.get("/").get_data(as_text=True)
    services.approve_programme(people.leader, audit.programme)
    services.notify(people.secretary, audit)
    db.session.commit()
    client.post("/logout")
    login_as(people.auditor)
    assert f"Thực hiện cuộc đánh giá {audit.number} tại QLKH" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login_as(people.head)
    assert f"Đơn vị được đánh giá nội bộ: {audit.number}" in client.get("/").get_data(as_text=True)
