"""Phase 5: corrective and preventive actions over the last years, in every state, with their actions,
linked procedures and effectiveness checks, numbered by the year's counter as app.capa.services does."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from app.capa.models import (ANALYSED, CANCELLED, CLOSED, CORRECTIVE, IN_PROGRESS, OPEN, PLANNED, PREVENTIVE,
                             PROPOSED, VERIFIED, Capa, CapaAction, CapaCounter, CapaProcedure, CapaVerification)
from app.capa.services import format_number
from app.extensions import db
from app.province_demo.events import EventLog, fix_sequence, next_id
from app.province_demo.histories import History
from app.province_demo.people import Cast
from app.timeutil import LOCAL_TZ

PROBLEMS = [
    ("objective", "Tỷ lệ hồ sơ TTHC trả đúng hạn tháng {m} chưa đạt 100%",
     "Có {n} hồ sơ trả kết quả trễ hạn trên Hệ thống thông tin giải quyết TTHC của tỉnh."),
    ("review", "Quy trình {code} chưa cập nhật căn cứ pháp lý mới",
     "Kết quả rà soát năm cho thấy quy trình còn viện dẫn văn bản đã hết hiệu lực."),
    ("audit", "Hồ sơ lưu của {unit} chưa đầy đủ theo mục 7 của quy trình {code}",
     "Đánh giá nội bộ phát hiện {n} bộ hồ sơ thiếu phiếu theo dõi quá trình xử lý."),
    ("complaint", "Phản ánh của công dân về thời gian giải quyết hồ sơ tại {unit}",
     "Tổ chức phản ánh qua đường dây nóng về việc chậm trả kết quả, đã xác minh đúng {n} trường hợp."),
    ("management_review", "Chưa bố trí đủ nhân lực tiếp nhận hồ sơ tại {unit}",
     "Cuộc họp xem xét của lãnh đạo giao rà soát, bố trí lại nhân lực bộ phận một cửa."),
    ("other", "Biểu mẫu sử dụng tại {unit} không đúng phiên bản hiện hành",
     "Kiểm tra đột xuất phát hiện {n} biểu mẫu phiên bản cũ đang được sử dụng."),
]
CAUSES = ["Chưa phân công người theo dõi hạn xử lý hồ sơ hằng ngày.", "Văn bản mới chưa được phổ biến kịp thời.",
          "Nhân sự mới chưa được hướng dẫn quy trình.", "Phần mềm một cửa chưa nhắc hạn tự động.",
          "Khối lượng hồ sơ tăng đột biến cuối năm."]
ACTIONS = ["Phân công cán bộ kiểm tra hạn xử lý hằng ngày", "Tập huấn lại quy trình cho cán bộ, công chức",
           "Cập nhật quy trình và biểu mẫu theo văn bản mới", "Thu hồi biểu mẫu cũ, phát hành bản hiện hành",
           "Đề nghị nhà cung cấp bổ sung chức năng nhắc hạn", "Rà soát, bổ sung hồ sơ còn thiếu"]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59)), LOCAL_TZ)


def write(count: int, years: list[int], histories: list[History], ids: dict[str, int], cast: Cast, today: date,
          log: EventLog, seed: int = 41, progress=None) -> int:
    rng = random.Random(seed)
    counters = dict(db.session.execute(select(CapaCounter.year, CapaCounter.last)).all())
    by_unit: dict[str, list[History]] = {}
    for h in histories:
        if h.issues:
            by_unit.setdefault(h.unit, []).append(h)
    capa_id = next_id(Capa)
    capas, actions, links, checks = [], [], [], []
    sec = cast.secretary
    for i in range(count):
        year = years[i % len(years)]
        last_day = min(date(year, 12, 28), today - timedelta(days=1))
        raised_on = date(year, 1, 3) + timedelta(days=rng.randrange(max(1, (last_day - date(year, 1, 3)).days)))
        raised = _at(raised_on, rng)
        unit = rng.choice(list(cast.units))
        member, head = cast.members[unit], cast.heads[unit]
        procs = [h for h in by_unit.get(unit, []) if h.issues[0].doc.issued_on <= raised_on]
        proc = rng.choice(procs) if procs else None
        source, title, text = rng.choice(PROBLEMS)
        fill = {"m": raised_on.month, "n": rng.randint(1, 6), "unit": cast.unit_names[unit],
                "code": proc.code if proc else "kiểm soát hồ sơ"}
        title, text = title.format(**fill), text.format(**fill)
        counters[year] = seq = counters.get(year, 0) + 1
        number = format_number(year, seq)
        age = (today - raised_on).days
        roll = rng.random()
        if age > 120:
            status = CLOSED if roll < 0.86 else CANCELLED if roll < 0.92 else VERIFIED if roll < 0.96 else IN_PROGRESS
        else:
            status = [PROPOSED, OPEN, ANALYSED, PLANNED, IN_PROGRESS, IN_PROGRESS, VERIFIED, CLOSED][int(roll * 8)]
        kind = CORRECTIVE if rng.random() < 0.8 else PREVENTIVE
        row = {"id": capa_id, "number": number, "year": year, "seq": seq, "kind": kind, "source": source,
               "title": title[:300], "description": text, "status": status, "unit_id": None,
               "raised_by_id": sec.id, "raised_at": raised, "review_id": None, "audit_finding_id": None,
               "accepted_at": None, "root_cause": "", "similar_elsewhere": None, "similar_note": "",
               "analysed_at": None, "closed_at": None, "cancelled_at": None, "cancel_reason": "",
               "updated_at": raised, "version": 1}
        capas.append(row)
        log.add(raised, sec, "capa.create", "capa", number, f"Lập phiếu {number}: {title}"[:500],
                {"kind": kind, "source": source, "unit": None if status == PROPOSED else unit, "review_id": None,
                 "procedures": [{"code": proc.code, "revision": proc.issue_on(raised_on).sha}] if proc else []},
                None if status == PROPOSED else unit)
        if proc:
            links.append({"capa_id": capa_id, "procedure_id": ids[proc.code],
                          "revision": proc.issue_on(raised_on).sha, "linked_at": raised})
        capa_id += 1
        if progress:
            progress(1)
        if status == PROPOSED:
            continue
        row.update(unit_id=cast.units[unit], accepted_at=raised)
        log.add(raised, sec, "capa.accept", "capa", number, f"Tiếp nhận phiếu {number}, giao {unit}",
                {"unit": unit, "note": ""}, unit)
        if status == OPEN:
            continue
        when = raised + timedelta(days=rng.randint(2, 10))
        if status == CANCELLED:
            reason = "Trùng nội dung với phiếu đã lập trước."
            row.update(cancelled_at=when, cancel_reason=reason, updated_at=when)
            log.add(when, sec, "capa.cancel", "capa", number, f"Hủy phiếu {number}", {"reason": reason}, unit)
            continue
        cause = rng.choice(CAUSES)
        row.update(root_cause=cause, similar_elsewhere=False, analysed_at=when, updated_at=when)
        log.add(when, member, "capa.analyse", "capa", number, f"Phân tích nguyên nhân phiếu {number}",
                {"root_cause": cause, "similar_elsewhere": False, "similar_note": ""}, unit)
        planned_actions = []
        for seq_a in range(1, rng.randint(1, 4) + 1):
            due = when.date() + timedelta(days=rng.randint(15, 90))
            desc = rng.choice(ACTIONS)
            planned_actions.append({"capa_id": row["id"], "seq": seq_a, "description": desc,
                                    "owner_unit_id": cast.units[unit], "owner_user_id": member.id, "due_on": due,
                                    "done_on": None, "evidence": "", "created_at": when, "completed_at": None})
            log.add(when, member, "capa.action_add", "capa", number, f"Thêm hành động {seq_a} vào phiếu {number}",
                    {"seq": seq_a, "description": desc, "due_on": due.isoformat(), "owner_unit": unit}, unit)
        actions.extend(planned_actions)
        if status == ANALYSED:
            continue
        when += timedelta(days=rng.randint(1, 4))
        log.add(when, head, "capa.plan", "capa", number, f"Xác nhận kế hoạch hành động phiếu {number}", None, unit)
        if status == PLANNED:
            continue
        log.add(when, head, "capa.start", "capa", number, f"Bắt đầu thực hiện phiếu {number}", None, unit)
        finished = status in (VERIFIED, CLOSED)
        for a in planned_actions if finished else planned_actions[:-1]:
            done_on = min(a["due_on"] - timedelta(days=rng.randint(0, 10)), today)
            done_on = max(done_on, when.date())
            done = _at(done_on, rng)
            a.update(done_on=done_on, evidence="Biên bản kiểm tra, sổ theo dõi", completed_at=done)
            log.add(done, member, "capa.action_done", "capa", number,
                    f"Hoàn thành hành động {a['seq']} của phiếu {number}",
                    {"seq": a["seq"], "done_on": done_on.isoformat(), "evidence": a["evidence"]}, unit)
            when = max(when, done)
        if not finished:
            continue
        checked = when + timedelta(days=rng.randint(20, 60))
        if checked.date() > today:
            checked = _at(today, rng)
        checks.append({"capa_id": row["id"], "verified_by_id": sec.id, "verified_on": checked.date(),
                       "effective": True, "evidence": "Kiểm tra ngẫu nhiên hồ sơ sau khắc phục: đạt yêu cầu.",
                       "recorded_at": checked})
        log.add(checked, sec, "capa.verify", "capa", number, f"Kiểm tra hiệu quả phiếu {number}: có hiệu quả",
                {"verified_on": checked.date().isoformat(), "effective": True}, unit)
        row["updated_at"] = checked
        if status == CLOSED:
            row["closed_at"] = checked
            log.add(checked, sec, "capa.close", "capa", number, f"Đóng phiếu {number}", None, unit)
    for model, rows in ((Capa, capas), (CapaAction, actions), (CapaProcedure, links), (CapaVerification, checks)):
        for i in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[i:i + 5000])
    for year, last in counters.items():
        if db.session.get(CapaCounter, year) is None:
            db.session.add(CapaCounter(year=year, last=last))
        else:
            db.session.get(CapaCounter, year).last = last
    db.session.flush()
    for table in ("capa", "capa_action", "capa_procedure", "capa_verification"):
        fix_sequence(table)
    return len(capas)
