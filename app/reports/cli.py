"""The year close in `qms demo`: last year's audit, management review, announcement and yearly report."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Unit, User
from app.capa import services as capa_services
from app.extensions import db
from app.internal_audits import services as audits
from app.management_review import services as reviews
from app.procedures.models import ISSUED, Procedure
from app.reports import services as reports
from app.timeutil import local_today


def register(qms) -> None:
    """No command of its own: the year close is done in the pages."""
    return None


def on_demo() -> None:
    """One closed year (the previous one), once: every record made through the services, as people would."""
    year = local_today().year - 1
    db.session.commit()
    if audits.programme_for(year) is not None:
        return
    users = {u.username: u for u in db.session.scalars(select(User))}
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    procs = {p.code: p for p in db.session.scalars(select(Procedure).where(Procedure.status == ISSUED))}
    needed = {"thuky", "lanhdao", "ttr.cv", "qlcn.cv", "qlkh.cv", "qlkh.tp", "vp.cv"}
    if not needed <= set(users) or "QT-QLKH-01" not in procs:
        return
    secretary, leader = users["thuky"], users["lanhdao"]
    _audit(year, users, units, procs)
    _review(year, users, units, procs)
    reports.announce(secretary, number="15/QĐ-SKHCN", signed_on=date(year, 3, 1), signer=leader.full_name,
                     codes=list(procs), note="Công bố lại sau khi cập nhật các quy trình năm " + str(year))
    db.session.commit()
    data = reports.figures(None, year, local_today())
    sections = reports.sections_of(None, data)
    sections["difficulties"] = ("Một số quy trình chưa kịp cập nhật theo văn bản pháp luật mới; nhân lực làm công "
                                "tác ISO kiêm nhiệm.")
    sections["proposals"] = "Đề nghị Sở Khoa học và Công nghệ tỉnh tổ chức tập huấn chuyên gia đánh giá nội bộ."
    reports.save(secretary, year, number="52/BC-SKHCN", sections=sections)
    reports.finalise(secretary, year)
    db.session.commit()


def _audit(year, users, units, procs) -> None:
    secretary, leader, lead = users["thuky"], users["lanhdao"], users["ttr.cv"]
    programme = audits.create_programme(secretary, year=year, title=f"Chương trình đánh giá nội bộ năm {year}",
                                        note="Đánh giá toàn bộ các phòng, đơn vị theo TCVN ISO 9001:2015.")
    scope = [procs[c] for c in ("QT-QLKH-01", "QT-QLKH-02") if c in procs]
    audit = audits.plan_audit(secretary, programme, unit=units["QLKH"], starts_on=date(year, 10, 15),
                              ends_on=date(year, 10, 16), lead_auditor=lead, team=[users["qlcn.cv"]],
                              procedures=scope, objective="Đánh giá việc áp dụng các quy trình của phòng.")
    audits.approve_programme(leader, programme)
    audits.notify(secretary, audit)
    audits.start(lead, audit)
    for item in audit.checklist:
        audits.answer(lead, audit, item, result="nonconform" if item.reference == "7.5.3" else "conform",
                      note="Xem hồ sơ năm " + str(year))
    db.session.commit()  # a CAPA number must be the first write of its transaction
    finding = audits.record_finding(
        lead, audit, kind="nc", clause="7.5.3", procedure=scope[0],
        description="Hồ sơ đăng ký kết quả nhiệm vụ KH&CN không lưu phiếu kiểm soát quá trình giải quyết.",
        evidence="3/10 hồ sơ kiểm tra (quý III) thiếu phiếu kiểm soát.",
        correction="Bổ sung phiếu kiểm soát cho 3 hồ sơ ngay trong buổi đánh giá.")
    db.session.commit()
    audits.record_finding(lead, audit, kind="observation", clause="9.1",
                          description="Báo cáo tháng của phòng đôi khi gửi sau ngày 14.",
                          evidence="Báo cáo tháng 7 và tháng 8 gửi ngày 16.")
    audits.record_finding(users["qlcn.cv"], audit, kind="ofi", clause="7.5",
                          description="Có thể số hóa sổ theo dõi hồ sơ để tra cứu nhanh hơn.",
                          evidence="Sổ theo dõi giấy, tra cứu mất 10 phút mỗi hồ sơ.")
    audits.report(lead, audit, conclusion="Hệ thống được áp dụng và duy trì; 1 điểm không phù hợp, 1 điểm cần lưu ý, "
                                          "1 cơ hội cải tiến.")
    db.session.commit()
    capa, member, head = finding.capa, users["qlkh.cv"], users["qlkh.tp"]
    capa_services.accept(secretary, capa, units["QLKH"])
    capa_services.analyse(member, capa, root_cause="Chuyên viên mới chưa được hướng dẫn bước lập phiếu kiểm soát.",
                          similar_elsewhere=False)
    capa_services.add_action(member, capa, description="Hướng dẫn lại quy trình cho chuyên viên của phòng",
                             due_on=date(year, 11, 15), planned_on=date(year, 10, 20))  # a past year's history
    capa_services.plan(head, capa)
    capa_services.start(head, capa)
    capa_services.complete_action(member, capa, capa.actions[0], done_on=date(year, 11, 10),
                                  evidence="Biên bản sinh hoạt chuyên môn ngày 10/11.")
    capa_services.verify(leader, capa, verified_on=date(year, 12, 5), effective=True,
                         evidence="Kiểm tra 10 hồ sơ tháng 11: đủ phiếu kiểm soát.")
    capa_services.close(secretary, capa)
    audits.close(secretary, audit)
    db.session.commit()


def _review(year, users, units, procs) -> None:
    secretary, leader = users["thuky"], users["lanhdao"]
    review = reviews.create(secretary, year=year, title=f"Họp xem xét của lãnh đạo năm {year}",
                            meeting_on=date(year, 12, 10), chair=leader, location="Phòng họp Sở",
                            attendees="Ban Giám đốc Sở; trưởng các phòng, đơn vị; Thư ký ISO")
    texts = {
        "satisfaction": "Khảo sát 120 tổ chức, cá nhân: 97% hài lòng; 2 phản ánh về thời gian trả kết quả, đã xử lý.",
        "on_time": "Tiếp nhận 236 hồ sơ, trả đúng hạn 234 (99,2%); 2 hồ sơ trễ hạn đã lập phiếu khắc phục.",
        "objectives": "Mục tiêu 1, 3, 4 đạt; mục tiêu 2 đạt 99,2% (chưa đạt 100%).",
        "resources": "Nhân lực ISO kiêm nhiệm; cần bổ sung máy quét tài liệu cho bộ phận một cửa.",
        "risks": "Rủi ro trễ hạn hồ sơ do văn thư chuyển chậm: đã thêm bước kiểm tra hạn hằng ngày.",
        "improvements": "Số hóa sổ theo dõi hồ sơ; kết nối số liệu iGate vào hệ thống ISO.",
        "external_providers": "Đơn vị cung cấp phần mềm một cửa xử lý sự cố trong 4 giờ, đạt yêu cầu.",
    }
    for key, text in texts.items():
        if key in {i.key for i in review.inputs}:
            reviews.set_input_text(secretary, review, key, text)
    reviews.hold(secretary, review)
    reviews.save_minutes(secretary, review, "Lãnh đạo Sở kết luận hệ thống quản lý chất lượng phù hợp, được áp dụng "
                                            "và duy trì có hiệu lực. Giao các phòng thực hiện các kết luận dưới đây.")
    today = local_today()
    reviews.add_output(secretary, review, kind="change", owner_unit=units["QLKH"],
                                description="Cập nhật QT-QLKH-01 theo thông tư mới về đăng ký kết quả nhiệm vụ.",
                                procedure=procs.get("QT-QLKH-01"), due_on=today + timedelta(days=20))
    scanner = reviews.add_output(secretary, review, kind="resources", owner_unit=units["VP"],
                                 description="Trang bị máy quét tài liệu cho bộ phận một cửa.",
                                 due_on=date(year + 1, 1, 31))
    reviews.add_output(secretary, review, kind="improvement", owner_unit=units["VP"],
                       description="Số hóa sổ theo dõi hồ sơ của các phòng.", due_on=today - timedelta(days=3))
    reviews.approve_minutes(leader, review)
    reviews.complete_output(users["vp.cv"], scanner, done_on=min(today, date(year + 1, 1, 20)),
                            result="Đã bàn giao máy quét cho bộ phận một cửa.")
    db.session.commit()
