"""Demo data: the department's 2022 plan in its own words, a year of reports in every state, this year's copy."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Unit, User
from app.extensions import db
from app.objectives import assignments, consolidation, reports, rules, services
from app.objectives.models import (IN_FORCE, NOT_MET_KIND, MISSING_KIND, ObjectivePlan, Period)

TITLE = "Kế hoạch thực hiện mục tiêu chất lượng năm 2022 của Sở Khoa học và Công nghệ"
MONITORING = (
    "1. Định kỳ tổng hợp báo cáo lãnh đạo Sở Khoa học và Công nghệ theo chức năng và nhiệm vụ các phòng "
    "(thông qua Văn phòng).\n"
    "2. Lấy ý kiến của các phòng và chỉ đạo trực tiếp của lãnh đạo Sở Khoa học và Công nghệ tại các cuộc họp giao ban.\n"
    "3. Sử dụng các hành động khắc phục và phòng ngừa khi mục tiêu chất lượng không được đảm bảo.\n"
    "4. Báo cáo kết quả thực hiện mục tiêu chất lượng của các phòng theo tháng, quý, năm.")
SIGNED_BY = "KT. GIÁM ĐỐC – PHÓ GIÁM ĐỐC Lư Phước Hiệp"
HOLIDAYS_2022 = ("03/01/2022 Tết Dương lịch (nghỉ bù)\n31/01/2022 Tết Nguyên đán\n01/02/2022 Tết Nguyên đán\n"
                 "02/02/2022 Tết Nguyên đán\n03/02/2022 Tết Nguyên đán\n04/02/2022 Tết Nguyên đán\n"
                 "11/04/2022 Giỗ Tổ Hùng Vương (nghỉ bù)\n02/05/2022 Ngày Chiến thắng (nghỉ bù)\n"
                 "03/05/2022 Quốc tế Lao động (nghỉ bù)\n01/09/2022 Quốc khánh\n02/09/2022 Quốc khánh")

MT1 = ("Tham mưu đầy đủ và đúng thời hạn các nội dung về chỉ đạo của Thường trực Tỉnh uỷ, Kế hoạch của UBND tỉnh "
       "liên quan đến quản lý Nhà nước về khoa học và công nghệ.")
MT2 = ("100% hồ sơ sau khi tiếp nhận được xử lý và trả kết quả đúng thời gian quy định; đạt từ loại Tốt trở lên ở "
       "Phiếu chấm điểm, đánh giá theo Quyết định số 170/QĐ-UBND ngày 29/01/2019 của Chủ tịch Ủy ban nhân dân tỉnh.")
MT3 = ("Tập thể công chức, viên chức, người lao động thuộc Sở Khoa học và Công nghệ luôn lấy sự hài lòng của các tổ "
       "chức, cá nhân liên quan làm kim chỉ nam phát triển.")
MT4 = ("Hàng năm, các quy trình và thủ tục của Hệ thống quản lý chất lượng được tiến hành rà soát, duy trì, cập nhật "
       "ít nhất 01 lần.")

TASKS = {
    "MT1": [
        dict(content="Xây dựng ban hành Kế hoạch triển khai thực hiện Quyết định số 162/QĐ-UBND ngày 20/01/2022 của Ủy "
             "ban nhân dân tỉnh Trà Vinh ban hành Kế hoạch hành động thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2022 "
             "của Chính phủ về nhiệm vụ, giải pháp chủ yếu thực hiện Kế hoạch phát triển kinh tế - xã hội và dự toán "
             "ngân sách nhà nước năm 2022.",
             performer_text="- Các phòng, đơn vị theo chức năng nhiệm vụ xây dựng kế hoạch gửi Văn phòng Sở tổng hợp Kế "
             "hoạch chung của Sở tham mưu Lãnh đạo ký ban hành để triển khai thực hiện.\n- Các phòng, đơn vị triển "
             "khai thực hiện Kế hoạch, định kỳ hàng tháng, quý báo cáo, đánh giá tình hình triển khai kết quả thực "
             "hiện của phòng, đơn vị mình (lồng ghép vào báo cáo tháng, quý) gửi Văn phòng tổng hợp, tham mưu Ban "
             "Giám đốc Sở gửi Sở Kế hoạch và Đầu tư tổng hợp báo cáo Ủy ban nhân dân tỉnh.",
             coordination_text="Văn phòng Sở",
             deadline_text="- Các phòng, đơn vị trực thuộc Sở định kỳ (hàng tháng (chậm nhất ngày 14), quý (chậm nhất "
             "ngày 14 của tháng cuối quý), năm trước ngày 05/11/2021, báo cáo, đánh giá tình hình triển khai kết quả "
             "thực hiện của phòng, đơn vị mình (lồng ghép vào báo cáo tháng, quý) gửi Văn phòng tổng hợp, tham mưu "
             "Ban Giám đốc Sở gửi Sở Kế hoạch và Đầu tư tổng hợp báo cáo Ủy ban nhân dân tỉnh.\n- Văn phòng Sở tổng "
             "hợp gửi Sở Kế hoạch và Đầu tư ngày 17 hàng tháng, đối với báo cáo quý (ngày 17 của tháng cuối quý), "
             "báo cáo năm trước ngày 10/11/2021.",
             rule=rules.MONTHLY, rule_day=14, all_units=True, coordinating_codes=["VP"]),
        dict(content="Ban hành Quyết định về việc giao chỉ tiêu kế hoạch hoạt động khoa học và công nghệ cho các phòng "
             "và đơn vị trực thuộc Sở Khoa học và Công nghệ năm 2022.",
             performer_text="Các phòng, đơn vị xây dựng kế hoạch triển khai thực hiện Quyết định đảm bảo theo tiến độ, "
             "định kỳ hàng tháng gửi báo cáo về Văn phòng Sở để tổng hợp báo cáo Lãnh đạo Sở tại cuộc họp giao ban "
             "tháng.", coordination_text="Văn phòng Sở",
             deadline_text="Các phòng, đơn vị gửi báo cáo về VPS ngày 14 hàng tháng",
             rule=rules.MONTHLY, rule_day=14, all_units=True, coordinating_codes=["VP"]),
        dict(content="Thực hiện các nhiệm vụ khác do Tỉnh ủy, UBND tỉnh giao (nếu có).",
             performer_text="Các phòng, đơn vị trực thuộc Sở", deadline_text="Theo thời hạn khi được giao nhiệm vụ.",
             rule=rules.ON_ASSIGNMENT, all_units=True),
    ],
    "MT2": [
        dict(content="Trả kết quả giải quyết thủ tục hành chính cho tổ chức, cá nhân phải đảm bảo theo đúng thời gian "
             "quy định (kiểm soát chặt chẽ thời gian thực hiện của từng hồ sơ theo quy định trên Hệ thống iGate).",
             performer_text="- Các phòng, đơn vị theo chức năng, nhiệm vụ có thủ tục hành chính tham mưu Lãnh đạo giải "
             "quyết.\n- Chuyên viên tiếp nhận hồ sơ và trả kết quả tại Trung tâm Phục vụ hành chính công tỉnh.\n"
             "- Lãnh đạo Sở.\n- Văn thư.",
             deadline_text="Theo thời gian quy định của thủ tục hành chính", rule=rules.CONTINUOUS,
             lead_codes=["QLKH", "QLCN", "CCTDC", "VP"]),
        dict(content="- Công chức, viên chức thực hiện tiếp nhận, giải quyết và trả kết quả hồ sơ thủ tục hành chính "
             "thực hiện đúng quy định (Trung tâm Phục vụ hành chính công tỉnh lấy Phiếu chấm điểm đánh giá theo Phụ lục "
             "1 kèm theo Quyết định số 170/QĐ-UBND ngày 29/01/2019, tổng hợp kết quả).\n- Đánh giá cơ quan tổ chức "
             "tham gia tiếp nhận, giải quyết, trả kết quả hồ sơ thủ tục hành chính và trách nhiệm của người đứng đầu "
             "(Sở Khoa học và Công nghệ chấm điểm đánh giá theo Phụ lục 2 kèm theo Quyết định số 170/QĐ-UBND ngày "
             "29/01/2019 gửi Trung tâm Phục vụ hành chính công tổng hợp kết quả).",
             performer_text="- Chuyên viên tiếp nhận hồ sơ và trả kết quả tại Trung tâm Phục vụ hành chính công tỉnh.\n"
             "- Lãnh đạo Sở chỉ đạo thực hiện.", deadline_text="Hàng quý\nHàng quý",
             rule=rules.QUARTERLY, rule_day=14, lead_codes=["VP"]),
    ],
    "MT3": [
        dict(content="Thực hiện các nội dung nhiệm vụ được giao có liên quan đến tổ chức, cá nhân theo đúng quy định "
             "trên tinh thần nhiệt tình hướng dẫn, hỗ trợ luôn luôn làm hài lòng tổ chức, cá nhân liên hệ làm việc "
             "với Sở Khoa học và Công nghệ.",
             performer_text="Công chức, viên chức, người lao động thuộc Sở Khoa học và Công nghệ.",
             deadline_text="Khi có liên hệ công tác", rule=rules.CONTINUOUS, all_units=True),
    ],
    "MT4": [
        dict(content="- Rà soát, cập nhật các quy trình thủ tục của Hệ thống quản lý chất lượng theo TCVN ISO 9001: "
             "2015 khi có thay đổi.\n- Rà soát, duy trì các quy trình thủ tục của Hệ thống quản lý chất lượng theo "
             "TCVN ISO 9001: 2015 đối với trường hợp không có thay đổi.",
             performer_text="Các phòng, đơn vị trực thuộc Sở rà soát thủ tục hành chính thuộc chức năng, nhiệm vụ của "
             "phòng, đơn vị mình tham mưu Lãnh đạo Sở giải quyết gửi Văn phòng Sở (Thư ký ISO) tổng hợp.",
             coordination_text="Văn phòng Sở (Thư ký ISO) tổng hợp tham mưu Ban Chỉ đạo ISO của Sở.",
             deadline_text="- Khi có thay đổi.\n- Trường hợp không có thay đổi thì thực hiện vào cuối năm sau cuộc họp "
             "xem xét của Lãnh đạo.", rule=rules.YEARLY, rule_date=date(2022, 12, 30), all_units=True,
             coordinating_codes=["VP"]),
    ],
}
PAPER_NOTE = ("Kỳ báo cáo trước khi kế hoạch được theo dõi trên hệ thống: báo cáo của các phòng, đơn vị và báo "
              "cáo tổng hợp lưu trong hồ sơ giấy tại Văn phòng Sở.")
RATING = "Yếu|Trung bình|Khá|Tốt|Xuất sắc"
INDICATORS = {
    "MT1": [dict(name="Nội dung chỉ đạo, nhiệm vụ được giao tham mưu đầy đủ, đúng thời hạn", measure="%",
                 kind="number", scale="", target=100, direction=">=", margin=5, frequency="month", source="unit")],
    "MT2": [dict(name="Hồ sơ thủ tục hành chính trả kết quả đúng hạn (Hệ thống iGate)", measure="%", kind="number",
                 scale="", target=100, direction=">=", margin=0, frequency="month", source="imported"),
            dict(name="Xếp loại theo Phiếu chấm điểm (Quyết định 170/QĐ-UBND)", measure="", kind="rating", scale=RATING,
                 target="Tốt", direction=">=", margin=1, frequency="quarter", source="unit", owner_code="VP")],
    "MT3": [dict(name="Phản ánh, kiến nghị về sự không hài lòng của tổ chức, cá nhân", measure="phản ánh",
                 kind="number", scale="", target=0, direction="<=", margin=0, frequency="month", source="unit")],
    "MT4": [dict(name="Quy trình, thủ tục của HTQLCL được rà soát, duy trì, cập nhật trong năm", measure="%",
                 kind="number", scale="", target=100, direction=">=", margin=0, frequency="year", source="computed")],
}
# iGate on-time share per month of 2022 (what the one-stop system's export says); September is the miss
IGATE = {m: 100.0 for m in range(1, 13)}
IGATE[9] = 97.8


def build_2022(secretary, leader, units: dict[str, Unit]) -> ObjectivePlan:
    plan = services.create_plan(secretary, 2022, TITLE)
    services.update_settings(secretary, plan, title=TITLE, window_start_day=15, unit_due_day=14, office_due_day=17,
                             year_due_on=date(2022, 11, 5), year_office_due_on=date(2022, 11, 10),
                             holidays=HOLIDAYS_2022, monitoring=MONITORING, signed_by=SIGNED_BY)
    for code, statement in (("MT1", MT1), ("MT2", MT2), ("MT3", MT3), ("MT4", MT4)):
        obj = services.add_objective(secretary, plan, code, statement)
        for fields in INDICATORS[code]:
            fields = dict(fields)
            owner = fields.pop("owner_code", None)
            services.add_indicator(secretary, obj, owner_unit_id=units[owner].id if owner else None, **fields)
        for fields in TASKS[code]:
            services.add_task(secretary, obj, **fields)
    services.approve(leader, plan)
    services.put_in_force(secretary, plan)
    return plan


def _report(period: Period, unit: Unit, member: User, values: dict, *, not_done: bool = False) -> None:
    plan = period.plan
    draft = reports.Draft(note="")
    for task in reports.tasks_for_unit(plan, unit.id, period.kind):
        status = "not_done" if not_done and task.rule == rules.ON_ASSIGNMENT else "done"
        draft.entries[task.id] = {
            "done_text": f"Đã thực hiện theo kế hoạch trong kỳ {period.key}.", "status": status,
            "reason": "Chưa được giao nhiệm vụ trong kỳ." if status == "not_done" else "",
            "evidence": "QT-VP-01" if unit.code == "VP" else ""}
    for ind in reports.indicators_owed(plan, unit.id, period.kind):
        draft.values[ind.id] = values.get(ind.name[:12], "")
    reports.save_draft(member, period, unit, draft)


def load(today: date) -> None:
    """Idempotent: nothing happens once a 2022 plan exists."""
    if db.session.scalar(select(ObjectivePlan.id).where(ObjectivePlan.year == 2022)) is not None:
        return
    users = {u.username: u for u in db.session.scalars(select(User))}
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    if "thuky" not in users or "lanhdao" not in users or not {"VP", "QLKH", "TTR"} <= set(units):
        return
    secretary, leader = users["thuky"], users["lanhdao"]
    plan = build_2022(secretary, leader, units)
    periods = {p.key: p for p in services.periods_of(plan)}
    igate = next(i for o in plan.objectives for i in o.indicators if i.source == "imported")
    consolidation.import_values(secretary, igate, [(m + 1, f"2022-{m:02d}", str(v)) for m, v in IGATE.items()],
                                periods)
    ratings = {"2022-Q1": "Tốt", "2022-Q2": "Tốt", "2022-Q3": "Khá", "2022-Q4": "Tốt"}
    open_keys = {"2022-12", "2022-Q4", "2022"}
    for key, period in sorted(periods.items(), key=lambda kv: kv[1].due_on):
        for code, unit in sorted(units.items()):
            member, head = users.get(f"{code.lower()}.cv"), users.get(f"{code.lower()}.tp")
            if member is None or head is None:
                continue
            if key == "2022-06" and code == "TTR":
                continue                       # missing: Thanh tra never sent June
            if key == "2022-12" and code in ("TTUD", "QLCN"):
                continue                       # not yet written for December
            values = {"Nội dung chỉ": "100", "Phản ánh, ki": "0", "Xếp loại the": ratings.get(key, "Tốt")}
            if key == "2022-08" and code == "QLCN":
                values["Nội dung chỉ"] = "97"  # at risk (within the 5-point margin)
            _report(period, unit, member, values, not_done=(code == "TTUD" and key == "2022-05"))
            if key == "2022-12" and code == "QLKH":
                continue                       # December: QLKH's draft waits for its head
            late = 3 if (key == "2022-04" and code == "TTUD") else 0
            rep = reports.get_report(period, unit)
            reports.send(head, rep, today=period.due_on + timedelta(days=late) if late else period.due_on)
            if key == "2022-11" and code == "QLCN":
                reports.return_report(secretary, rep, "Bổ sung minh chứng kết quả thực hiện Quyết định giao chỉ tiêu.")
            elif key not in open_keys:
                reports.accept(secretary, rep)
        if key not in open_keys and key != "2022-11":
            consolidation.close_period(secretary, period, f"Trong kỳ {key}, các phòng, đơn vị thực hiện đầy đủ các "
                                       "nhiệm vụ theo kế hoạch; kết quả các chỉ số như bảng trên.", date(2023, 1, 20))
    db.session.commit()
    september = periods["2022-09"]
    consolidation.raise_capa(secretary, september, NOT_MET_KIND, f"i{igate.id}", date(2023, 1, 20),
                             unit=units["VP"])
    db.session.commit()
    june = periods["2022-06"]
    consolidation.dismiss(secretary, june, MISSING_KIND, f"u{units['TTR'].id}",
                          "Thanh tra Sở đã báo cáo trực tiếp tại cuộc họp giao ban tháng 6.", date(2023, 1, 20))
    other_tasks = plan.objectives[0].tasks[2]          # "Thực hiện các nhiệm vụ khác do Tỉnh ủy, UBND tỉnh giao"
    given = assignments.assign(secretary, other_tasks, units["QLKH"], "Báo cáo tình hình thực hiện các chương trình "
                               "khoa học và công nghệ cấp tỉnh 6 tháng đầu năm theo yêu cầu của UBND tỉnh.",
                               date(2022, 7, 30))
    assignments.complete(users.get("qlkh.cv") or secretary, given, "Đã gửi báo cáo cho UBND tỉnh.", date(2022, 7, 29))
    services.close_plan(secretary, plan)
    if today.year > 2022 and services.get_plan(today.year) is None:
        current = services.copy_plan(secretary, plan, today.year)
        services.approve(leader, current)
        services.put_in_force(secretary, current)
        # the months before the system was used: their reports are on paper, so the periods are closed as such
        for earlier in services.periods_of(current):
            if earlier.kind != rules.YEAR and earlier.office_due_on < today - timedelta(days=14):
                consolidation.close_period(secretary, earlier, PAPER_NOTE, today)
    db.session.commit()


__all__ = ["load", "IN_FORCE"]
