"""The register's blueprint, shared by its route modules, and what its templates need everywhere."""
from __future__ import annotations

from flask import Blueprint, abort, flash, request
from urllib.parse import urlsplit

from app.extensions import db
from app.legal import labels
from app.legal.services import get

bp = Blueprint("legal", __name__)


@bp.app_context_processor
def legal_context():
    from app.legal.citations import bases_of

    return {"LEGAL_KIND_LABELS": labels.KIND_LABELS, "LEGAL_STATUS_LABELS": labels.STATUS_LABELS,
            "LEGAL_STATUS_BADGES": labels.STATUS_BADGES, "LEGAL_CHANGE_LABELS": labels.CHANGE_LABELS,
            "CHANGE_REVIEW_STATUS_LABELS": labels.REVIEW_STATUS_LABELS,
            "CHANGE_REVIEW_STATUS_BADGES": labels.REVIEW_STATUS_BADGES,
            "CHANGE_REVIEW_OUTCOME_LABELS": labels.OUTCOME_LABELS,
            "procedure_panels": ["legal/_procedure_panel.html"],
            "legal_basis_helpers": ["legal/_basis_picker.html"],
            "legal_bases_of": bases_of, "legal_register_options": register_options,
            "import_error": lambda e: labels.error_message(e)}


def register_options(limit: int = 1000) -> list[str]:
    """Citation lines for the editor's picker: documents still (at least partly) in force."""
    from sqlalchemy import select

    from app.legal.models import LegalDocument
    from app.legal.rules import ENDED
    from app.timeutil import format_date

    docs = db.session.scalars(select(LegalDocument).where(LegalDocument.status.not_in(ENDED))
                              .order_by(LegalDocument.kind, LegalDocument.key).limit(limit))
    out = []
    for d in docs:
        if d.kind == "standard":
            out.append(f"{d.number} {d.title}")
            continue
        signed = f" ngày {format_date(d.signed_on)}" if d.signed_on else ""
        issuer = f" của {d.issuer}" if d.issuer else ""
        out.append(f"{labels.KIND_LABELS[d.kind]} số {d.number}{signed}{issuer} {d.title[:1].lower()}{d.title[1:]}")
    return out


def document_or_404(doc_id: int):
    doc = get(doc_id)
    if doc is None:
        abort(404)
    return doc


def fail(exc) -> str:
    db.session.rollback()
    message = labels.error_message(exc)
    flash(message, "danger")
    return message


def next_or(default: str) -> str:
    """Only a local path is followed (no open redirect)."""
    target = request.form.get("next") or request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def review_days() -> int:
    from flask import current_app

    return int(current_app.config.get("QMS_LEGAL_REVIEW_DAYS", 30))
