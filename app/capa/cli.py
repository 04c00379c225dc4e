"""CAPA in the `qms` commands: demonstration records for `qms demo` (reminders go out through `qms remind`)."""
from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import select

from app.auth.models import Unit, User
from app.capa import services
from app.capa.models import Capa
from app.extensions import db
from app.procedures.models import Procedure
from app.timeutil import local_today


def register(qms) -> None:
    """No command of its own: overdue actions reach units through `qms remind` (app.capa.tasks)."""
    return None


def _get(model, **by):
    column, value = next(iter(by.items()))
    return db.session.scalar(select(model).where(getattr(model, column) == value))


def on_demo() -> None:
    """Three records of this year, once: one closed, one in progress with an overdue action, one proposal."""
    db.session.commit()  # the number must be the first write of each record's transaction
    if db.session.scalar(select(Capa.id).limit(1)) is not None:
        return
    users = {u.username: u for u in db.session.scalars(select(User))}
    if not {"thuky", "lanhdao", "vp.cv", "vp.tp", "qlkh.cv", "qlkh.tp", "ttr.cv"} <= set(users):
        return
    today = local_today()
    secretary, leader = users["thuky"], users["lanhdao"]

    def steps(capa, member, head, cause, actions, *, finish: bool):
        services.analyse(member, capa, root_cause=cause, similar_elsewhere=False)
        for text, days in actions:
            services.add_action(member, capa, description=text, due_on=today + timedelta(days=days),
                                planned_on=today + timedelta(days=min(days, 0) - 30))
        services.plan(head, capa)
        services.start(head, capa)
        done = capa.actions if finish else capa.actions[:1]
        for a in done:
            services.complete_action(member, capa, a, done_on=min(today, a.due_on),
                                     evidence="Biên bản kiểm tra, sổ theo dõi")

    closed = services.propose(
        secretary, kind="corrective", source="objective", title="Tỷ lệ hồ sơ TTHC trả đúng hạn quý I chưa đạt 100%",
        description="Quý I có 2/57 hồ sơ trả kết quả trễ hạn trên hệ thống iGate (mục tiêu 2).",
        unit=_get(Unit, code="VP"), procedures=[p for p in [_get(Procedure, code="QT-VP-01")] if p])
    steps(closed, users["vp.cv"], users["vp.tp"],
          "Chưa theo dõi hạn xử lý hằng ngày; văn thư chuyển hồ sơ chậm.",
          [("Giao một công chức theo dõi hạn trên iGate mỗi sáng", -40),
           ("Bổ sung bước kiểm tra hạn vào quy trình tiếp nhận", -30)], finish=True)
    services.verify(leader, closed, verified_on=today, effective=True,
                    evidence="Quý II: 61/61 hồ sơ trả đúng hạn theo báo cáo iGate.")
    services.close(secretary, closed)
    db.session.commit()

    running = services.propose(
        users["qlkh.cv"], kind="corrective", source="review",
        title="Căn cứ pháp lý của quy trình đăng ký kết quả nhiệm vụ KH&CN đã được sửa đổi",
        description="Rà soát hằng năm: quy trình còn viện dẫn văn bản đã được sửa đổi, bổ sung.",
        unit=_get(Unit, code="QLKH"), procedures=[p for p in [_get(Procedure, code="QT-QLKH-01")] if p])
    services.accept(secretary, running, _get(Unit, code="QLKH"))
    steps(running, users["qlkh.cv"], users["qlkh.tp"],
          "Không có đầu mối theo dõi văn bản pháp luật mới ban hành.",
          [("Phân công đầu mối theo dõi văn bản pháp luật KH&CN", -10),
           ("Cập nhật căn cứ pháp lý và trình ban hành lại quy trình", -3)], finish=False)
    db.session.commit()

    services.propose(
        users["ttr.cv"], kind="preventive", source="complaint", title="Nguy cơ quá hạn xử lý đơn phản ánh",
        description="Số đơn phản ánh tăng gấp đôi; nguy cơ giải quyết quá hạn nếu không bổ sung nhân lực.",
        unit=_get(Unit, code="TTR"))
    db.session.commit()
    click.echo("  CAPA: 3 phiếu minh họa")
