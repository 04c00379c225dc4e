"""Matching today's free-text legal bases to the register: create entries from what they say, list the rest."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.legal.citations import Unmatched, unmatched
from app.legal.models import LegalDocument
from app.legal.numbers import parse_citation
from app.legal.services import DocumentData, LegalError, by_key, create_document


@dataclass
class MatchReport:
    created: list[LegalDocument] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (text, error key)


def create_from_citations(actor) -> MatchReport:
    """One register entry per readable, not yet registered basis (number, kind, date, issuer, subject taken from
    the text); what has no number and symbol stays listed for the secretary to enter or correct by hand."""
    report = MatchReport()
    for item in unmatched():
        if item.key is None or by_key(item.key) is not None:
            continue
        c = parse_citation(item.text)
        try:
            doc = create_document(actor, DocumentData(number=c.number, kind=c.kind, title=c.title, issuer=c.issuer,
                                                      signed_on=c.signed_on), source="citation")
        except LegalError as exc:
            report.refused.append((item.text, exc.key))
            continue
        report.created.append(doc)
    report.unmatched = unmatched()
    return report
