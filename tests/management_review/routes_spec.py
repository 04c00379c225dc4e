"""Management review routes: who may open and post what (collected by tests/test_route_permissions.py)."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.timeutil import local_today
from tests.permission_specs import RouteSpec


def _review(ctx, held=False, output=False):
    from app.auth.models import Unit
    from app.management_review import services

    if "id" in ctx.data:
        return ctx.data["id"]
    for code in ("VP", "QLKH"):
        ctx.make.unit(code)
    secretary = ctx.user("secretary", "VP")
    review = services.create(secretary, year=local_today().year, title="Họp", meeting_on=local_today(),
                             chair=ctx.user("leadership", None))
    if held:
        services.hold(secretary, review)
        services.save_minutes(secretary, review, "Biên bản")
    if output:
        services.add_output(secretary, review, kind="change", description="Sửa quy trình",
                            due_on=local_today() + timedelta(days=9),
                            owner_unit=db.session.scalar(db.select(Unit).where(Unit.code == "QLKH")))
    db.session.commit()
    ctx.data["id"] = review.id
    return review.id


def _url(suffix="", **kw):
    return lambda ctx: f"/management-reviews/{_review(ctx, **kw)}{suffix}"


def _setup(**kw):
    return lambda ctx: _review(ctx, **kw)


TODAY = local_today().isoformat()
ROUTES = [
    RouteSpec("management_review.index", "/management-reviews/", allowed=("member", "QLKH")),
    RouteSpec("management_review.index", "/management-reviews/", allowed=("secretary", "VP"),
              denied=("leadership", None), method="POST", ok=(200,), data={}),
    RouteSpec("management_review.view", _url(), allowed=("member", "QLKH"), setup=_setup()),
    RouteSpec("management_review.print_minutes", _url("/print"), allowed=("committee", None), setup=_setup()),
    RouteSpec("management_review.edit", _url("/edit"), allowed=("secretary", "VP"), denied=("leadership", None),
              setup=_setup(), method="POST", ok=(200,), data={}),
    RouteSpec("management_review.input_text", _url("/inputs/resources"), allowed=("secretary", "VP"),
              denied=("head", "QLKH"), setup=_setup(), method="POST", ok=(302,),
              data={"in-resources-text": "Đủ"}),
    RouteSpec("management_review.hold", _url("/hold"), allowed=("secretary", "VP"), denied=("leadership", None),
              setup=_setup(), method="POST", ok=(302,)),
    RouteSpec("management_review.minutes", _url("/minutes", held=True), allowed=("secretary", "VP"),
              denied=("committee", None), setup=_setup(held=True), method="POST", ok=(302,),
              data={"minutes-minutes": "Biên bản"}),
    RouteSpec("management_review.approve", _url("/approve", held=True), allowed=("leadership", None),
              denied=("secretary", "VP"), setup=_setup(held=True), method="POST", ok=(302,)),
    RouteSpec("management_review.add_output", _url("/outputs", held=True), allowed=("secretary", "VP"),
              denied=("head", "QLKH"), setup=_setup(held=True), method="POST", ok=(302,),
              data=lambda ctx: {"output-kind": "other", "output-description": "Quyết định",
                                "output-due_on": TODAY, "output-owner_unit_id": ctx.make.unit("QLKH").id}),
    RouteSpec("management_review.complete_output", _url("/outputs/1/complete", held=True, output=True),
              allowed=("member", "QLKH"), denied=("member", "VP"), setup=_setup(held=True, output=True),
              method="POST", ok=(302,), data={"done1-done_on": TODAY, "done1-result": "Xong"}),
    RouteSpec("management_review.output_capa", _url("/outputs/1/capa", held=True, output=True),
              allowed=("secretary", "VP"), denied=("head", "QLKH"), setup=_setup(held=True, output=True),
              method="POST", ok=(302,)),
]
