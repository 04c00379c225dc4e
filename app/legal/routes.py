"""Register pages for reading: the list with filters, one document, one change and its flagged procedures."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.legal import change_reviews, queries, services
from app.legal.blueprint import bp, document_or_404
from app.legal.forms import ChangeForm, RelationForm
from app.legal.labels import CITED_LABELS, RELATION_INVERSE, RELATION_LABELS
from app.legal.models import LegalChange
from app.legal.permissions import can_manage_legal, can_read_legal
from app.auth.permissions import require
from app.pagination import paginate


@bp.get("/")
@require(can_read_legal)
def register():
    args = request.args
    stmt = queries.register_statement(kind=args.get("kind", ""), status=args.get("status", ""),
                                      year=args.get("year", ""), cited=args.get("cited", ""), q=args.get("q", ""))
    page = paginate(stmt, args.get("page", 1, type=int), 25)
    counts = queries.citing_counts([d.key for d in page.items])
    return render_template("legal/register.html", page=page, counts=counts, years=queries.years(), args=args,
                           cited_labels=CITED_LABELS, can_manage=can_manage_legal(current_user))


@bp.get("/<int:doc_id>")
@require(can_read_legal)
def document(doc_id: int):
    doc = document_or_404(doc_id)
    outgoing, incoming = services.relations_of(doc)
    citing_total, citing = queries.citing_all(doc)
    return render_template("legal/document.html", doc=doc, changes=services.changes_of(doc), outgoing=outgoing,
                           incoming=incoming, citing=citing, citing_total=citing_total, relation_labels=RELATION_LABELS,
                           relation_inverse=RELATION_INVERSE, can_manage=can_manage_legal(current_user),
                           change_form=ChangeForm(prefix="change"), relation_form=RelationForm(prefix="rel"))


@bp.get("/changes/<int:change_id>")
@require(can_read_legal)
def change(change_id: int):
    ch = db.session.get(LegalChange, change_id)
    if ch is None:
        abort(404)
    page = paginate(change_reviews.reviews_statement(ch), request.args.get("page", 1, type=int), 50)
    return render_template("legal/change.html", change=ch, reviews=page.items, page=page)


def recent_changes(limit: int = 10):
    return db.session.scalars(select(LegalChange).order_by(LegalChange.recorded_at.desc()).limit(limit)).all()


from app.legal import hooks, routes_manage, routes_reviews  # noqa: E402,F401  (more routes on bp; hooks)
