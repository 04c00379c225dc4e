"""Yearly report, conformity announcement and inspection pack: from the data, kept as issued, openable files."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.internal_audits import services as audit_services
from app.management_review import services as mr_services
from app.procedures.services import DocumentControl
from app.reports import services
from app.reports.docx import docx_text
from app.reports.services import ReportError
from app.timeutil import local_today
from tests.internal_audits.conftest import import_procedure, people, plan, procedure  # noqa: F401


def test_the_announcement_warns_when_the_scope_has_changed_since(client, login_as, people, procedure):
    login_as(people.secretary)
    resp = client.post("/reports/announcements", data={
        "ann-number": "125/QĐ-SKHCN", "ann-signed_on": local_today().isoformat(), "ann-signer": "Lê Hoàng Nam",
        "ann-scope": [procedure.code]})
    assert resp.status_code == 302
    page = client.get("/reports/").get_data(as_text=True)
    assert 'data-testid="scope-changed"' not in page and "125/QĐ-SKHCN" in page
    newer = import_procedure("QT-QLKH-02")  # issued after the announcement
    page = client.get("/reports/").get_data(as_text=True)
    assert 'data-testid="scope-changed"' in page and newer.code in page
    DocumentControl().withdraw(people.leader, procedure, reason="Thủ tục bị bãi bỏ")
    db.session.commit()
    changes = services.yearly.scope_changes(services.yearly.latest_announcement())
    assert changes["removed"] == [procedure.code] and [c for c, _t in changes["added"]] == [newer.code]


def test_the_announcement_form_keeps_what_was_typed_on_error(client, login_as, people, procedure):
    login_as(people.secretary)
    resp = client.post("/reports/announcements", data={"ann-number": "9/QĐ", "ann-signer": "Người ký đã gõ"})
    assert resp.status_code == 200 and "Người ký đã gõ".encode() in resp.data


def test_the_yearly_report_is_filled_from_data_editable_then_kept_as_issued(people, procedure):
    year = local_today().year
    plan(people, procedure)
    data = services.figures(None, year, local_today())
    assert data["procedures"]["in_force"] == 1 and len(data["audits"]) == 1
    sections = services.sections_of(None, data)
    assert "1 quy trình đang hiệu lực" in sections["general"]
    with pytest.raises(ReportError):
        services.finalise(people.secretary, year)
    services.save(people.secretary, year, number="", sections=dict(sections, difficulties="Thiếu nhân lực"))
    with pytest.raises(ReportError) as err:
        services.finalise(people.secretary, year)
    assert err.value.key == "number_required"
    services.save(people.secretary, year, number="45/BC-SKHCN", sections=dict(sections, difficulties="Thiếu nhân lực"))
    report = services.finalise(people.secretary, year)
    db.session.commit()
    issued_docx = report.docx
    assert "Thiếu nhân lực" in docx_text(issued_docx) and "45/BC-SKHCN" in docx_text(issued_docx)
    import_procedure("QT-QLKH-02")  # the data moves on; the issued report does not
    assert services.figures(report, year, local_today())["procedures"]["in_force"] == 1
    assert services.docx_bytes(report, year, local_today()) == issued_docx
    with pytest.raises(ReportError) as err:
        services.save(people.secretary, year, number="x", sections={})
    assert err.value.key == "report_final"


def test_the_docx_export_reads_back_with_the_report_text(client, login_as, people, procedure):
    login_as(people.committee)
    resp = client.get(f"/reports/yearly/{local_today().year}/export.docx")
    assert resp.status_code == 200 and resp.mimetype.endswith("wordprocessingml.document")
    text = docx_text(resp.data)
    assert "BÁO CÁO TÌNH HÌNH XÂY DỰNG" in text and "Quy trình đang hiệu lực | 1" in text


def test_the_inspection_pack_holds_every_record_and_each_file_opens(client, login_as, people, procedure):
    today = local_today()
    audit = plan(people, procedure)
    audit_services.record_finding(people.auditor, audit, kind="nc", description="Thiếu hồ sơ", evidence="E")
    audit_services.report(people.auditor, audit, conclusion="Phù hợp, còn 1 KPH")
    review = mr_services.create(people.secretary, year=today.year, title="Họp XXLĐ", meeting_on=today,
                                chair=people.leader)
    mr_services.hold(people.secretary, review)
    services.announce(people.secretary, number="1/QĐ", signed_on=today, signer="Giám đốc", codes=[procedure.code])
    db.session.commit()
    login_as(people.leader)
    resp = client.get(f"/reports/inspection/{today.year}.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    names = zf.namelist()
    assert names == ["01-quyet-dinh-cong-bo.docx", "02-danh-muc-quy-trinh-hieu-luc.xlsx",
                     f"03-danh-gia-noi-bo-{audit.number}.docx",
                     f"04-xem-xet-cua-lanh-dao-{today:%Y-%m-%d}.docx", "05-so-theo-doi-capa.xlsx",
                     f"07-bao-cao-htqlcl-{today.year}.docx"]
    assert "1/QĐ" in docx_text(zf.read(names[0]))
    register = load_workbook(io.BytesIO(zf.read(names[1]))).active
    assert [c.value for c in register[3]][:2] == [procedure.code, procedure.title]  # title row, header, rows
    assert "Thiếu hồ sơ" in docx_text(zf.read(names[2]))
    assert "Sự không phù hợp và hành động khắc phục" in docx_text(zf.read(names[3]))
    capa_sheet = load_workbook(io.BytesIO(zf.read(names[4]))).active
    assert capa_sheet.max_row == 3
    assert "BÁO CÁO" in docx_text(zf.read(names[5]))


def test_a_unit_member_cannot_read_the_reports(client, login_as, people):
    login_as(people.member)
    assert client.get(f"/reports/yearly/{local_today().year}").status_code == 403
    assert client.get("/reports/yearly/1999").status_code in (403, 404)


def test_a_report_page_for_an_absurd_year_is_not_found(client, login_as, people):
    login_as(people.secretary)
    assert client.get("/reports/yearly/1999").status_code == 404
    assert client.get(f"/reports/yearly/{local_today().year + 5}").status_code == 404


def test_a_long_list_of_scope_changes_folds_after_twenty_codes(app):
    from flask import render_template_string

    many = [f"QT-ATBX-{i:02d}" for i in range(11, 71)]
    with app.test_request_context("/"):
        html = render_template_string('{% from "_macros.html" import codes %}{{ codes(items, "x") }}',
                                      items=many)
        short = render_template_string('{% from "_macros.html" import codes %}{{ codes(items, "x") }}',
                                       items=many[:3])
    shown, folded = html.split("<details", 1)
    assert "60 quy trình" in shown and "QT-ATBX-30" in shown and "QT-ATBX-31" not in shown
    assert "Xem cả 60 quy trình" in folded and all(code in folded for code in many)
    assert short.strip() == "QT-ATBX-11, QT-ATBX-12, QT-ATBX-13"
