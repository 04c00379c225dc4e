"""Review routes: who may open what (collected by tests/test_route_permissions.py)."""
from __future__ import annotations

from datetime import date

from tests.permission_specs import RouteSpec

CYCLE = "/reviews/2022"
REVIEW = "/reviews/2022/QT-QLKH-01"


def _cycle(ctx, step: str = "open"):
    """Cycle 2022 over QT-QLKH-01, taken as far as `step` (open, recorded, confirmed)."""
    from app.extensions import db
    from app.procedures import core
    from app.procedures.services import DocumentControl
    from app.reviews import services
    from app.store import ProcedureDocument
    from tests.reviews.conftest import BODY, IN_2022, NoIndex, review_of

    ctx.make.unit("QLKH")
    secretary = ctx.user("secretary", "VP")
    DocumentControl(core.store(), index=NoIndex()).import_document(None, ProcedureDocument(
        code="QT-QLKH-01", title="Quy trình thử", unit="QLKH", body=BODY, issue=1, issued_on=date(2020, 1, 6),
        effective_on=date(2020, 1, 6)))
    cycle = services.open_cycle(secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    review = review_of(cycle, "QT-QLKH-01")
    if step in ("recorded", "confirmed"):
        services.record(ctx.user("member", "QLKH"), review, outcome="maintained", now=IN_2022)
    if step == "confirmed":
        services.confirm(ctx.user("head", "QLKH"), review, now=IN_2022)
    db.session.commit()
    ctx.data["review_id"] = review.id


def _recorded(ctx):
    _cycle(ctx, "recorded")


def _confirmed(ctx):
    _cycle(ctx, "confirmed")


ROUTES = [
    RouteSpec("reviews.index", "/reviews/", allowed=("member", "QLKH")),
    RouteSpec("reviews.open_cycle", "/reviews/", allowed=("secretary", "VP"), denied=("head", "QLKH"), method="POST",
              data={"year": "2022", "deadline": "2022-12-31"}, ok=(302,)),
    RouteSpec("reviews.cycle", CYCLE, allowed=("member", "QLKH"), setup=_cycle),
    RouteSpec("reviews.review", REVIEW, allowed=("member", "QLKH"), denied=("member", "TTR"), setup=_cycle),
    RouteSpec("reviews.compliance_page", "/reviews/compliance", allowed=("head", "TTR"), setup=_cycle),
    RouteSpec("reviews.record", f"{REVIEW}/record", allowed=("member", "QLKH"), denied=("secretary", "VP"),
              method="POST", data={"outcome": "maintained", "note": "Không thay đổi"}, ok=(302,), setup=_cycle),
    RouteSpec("reviews.confirm", f"{REVIEW}/confirm", allowed=("head", "QLKH"), denied=("member", "QLKH"),
              method="POST", ok=(302,), setup=_recorded),
    RouteSpec("reviews.bulk_confirm", f"{CYCLE}/bulk-confirm", allowed=("head", "QLKH"), denied=("secretary", "VP"),
              method="POST", data=lambda ctx: {"review_id": str(ctx.data["review_id"])}, ok=(302,), setup=_recorded),
    RouteSpec("reviews.accept", f"{REVIEW}/accept", allowed=("secretary", "VP"), denied=("head", "QLKH"),
              method="POST", ok=(302,), setup=_confirmed),
    RouteSpec("reviews.return_review", f"{REVIEW}/return", allowed=("secretary", "VP"), denied=("head", "QLKH"),
              method="POST", data={"comment": "Bổ sung nhận xét"}, ok=(302,), setup=_confirmed),
    RouteSpec("reviews.settings", f"{CYCLE}/settings", allowed=("secretary", "VP"), denied=("head", "QLKH"),
              method="POST", data={"deadline": "2023-01-15", "meeting_on": "2022-12-20"}, ok=(302,), setup=_cycle),
    RouteSpec("reviews.close", f"{CYCLE}/close", allowed=("secretary", "VP"), denied=("leadership", None),
              method="POST", ok=(302,), setup=_cycle),
    RouteSpec("reviews.report", f"{CYCLE}/report.xlsx", allowed=("committee", None), denied=("head", "QLKH"),
              setup=_cycle),
    RouteSpec("reviews.print_report", f"{CYCLE}/print", allowed=("leadership", None), denied=("member", "QLKH"),
              setup=_cycle),
]
