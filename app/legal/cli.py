"""`qms legal-match`: match procedures' free-text legal bases to the register; and the register's demo data."""
from __future__ import annotations

import click
from sqlalchemy import select

from app.extensions import db


def _secretary():
    from app.auth.models import SECRETARY, User, UserRole

    return db.session.scalar(select(User).join(UserRole, UserRole.user_id == User.id)
                             .where(UserRole.role == SECRETARY).order_by(User.id).limit(1))


def register(qms):
    @qms.command("legal-match")
    @click.option("--create", is_flag=True, help="Create register entries from the readable bases not yet matched.")
    def legal_match_command(create):
        """Re-read every procedure's legal bases, match them to the register and list what is unmatched."""
        from app.legal import citations, matching
        from app.procedures import core

        changed = citations.rebuild_all(core.store())
        click.echo(f"Bases re-read from the store: {changed} procedure(s) changed.")
        if create:
            actor = _secretary()
            if actor is None:
                raise click.ClickException("No ISO secretary account: entries are created in a secretary's name.")
            report = matching.create_from_citations(actor)
            for doc in report.created:
                click.echo(f"  + {doc.number}  {doc.title[:80]}")
            for text, key in report.refused:
                click.echo(f"  ! {key}: {text[:100]}", err=True)
            items = report.unmatched
        else:
            items = citations.unmatched()
        db.session.commit()
        click.echo(f"Unmatched bases: {len(items)} (also listed at /legal/unmatched).")
        for item in items:
            click.echo(f"  - {item.text[:100]}  [{', '.join(item.procedures)}]")


def on_demo():
    """The documents the shipped procedures cite, and one recorded amendment with one of its reviews done."""
    from app.auth.models import User
    from app.legal import change_reviews, citations, matching, services
    from app.legal.models import LegalChange
    from app.procedures import core

    secretary = _secretary()
    if secretary is None:
        return
    citations.rebuild_all(core.store())
    matching.create_from_citations(secretary)
    db.session.commit()
    target, amending = services.find("61/2018/NĐ-CP"), services.find("107/2021/NĐ-CP")
    if target is None or amending is None:
        return
    if db.session.scalar(select(LegalChange.id).where(LegalChange.document_id == target.id)):
        return
    change = services.add_relation(
        secretary, amending, "amends", target,
        note="Sửa đổi, bổ sung quy định về tiếp nhận, số hóa hồ sơ và trả kết quả giải quyết thủ tục hành chính "
             "tại Bộ phận Một cửa.")
    db.session.commit()
    reviews = change_reviews.reviews_of_change(change)
    head = db.session.scalar(select(User).where(User.username == "vp.tp"))
    done = next((r for r in reviews if r.procedure.code == "QT-VP-04"), None)
    if head is not None and done is not None:
        change_reviews.record(head, done, outcome="maintained",
                              note="Quy trình kiểm soát sự không phù hợp chỉ viện dẫn cơ chế một cửa; các điều được "
                                   "sửa đổi không làm thay đổi các bước của quy trình.")
        db.session.commit()
    click.echo(f"Legal register: {len(reviews)} procedure(s) flagged by {amending.number} amending {target.number}.")
