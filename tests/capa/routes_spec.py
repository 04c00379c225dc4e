"""CAPA routes: who may open and post what (collected by tests/test_route_permissions.py)."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.timeutil import local_today
from tests.permission_specs import RouteSpec


def _record(ctx, upto="open"):
    """A QLKH record driven to `upto` by the right people; returns its number."""
    from app.capa import services
    from tests.capa.conftest import unit

    for code in ("VP", "QLKH"):
        ctx.make.unit(code)
    secretary, member = ctx.user("secretary", "VP"), ctx.user("member", "QLKH")
    capa = services.propose(member, kind="corrective", source="review", title="Hồ sơ trễ hạn",
                            description="Mô tả", unit=unit("QLKH"))
    steps = ["open", "analysed", "planned", "in_progress", "done", "verified"]
    for step in steps[:steps.index(upto) + 1]:
        if step == "open":
            services.accept(secretary, capa, unit("QLKH"))
        elif step == "analysed":
            services.analyse(member, capa, root_cause="Nguyên nhân", similar_elsewhere=False)
            services.add_action(member, capa, description="Hành động", due_on=local_today() + timedelta(days=3))
        elif step == "planned":
            services.plan(member, capa)
        elif step == "in_progress":
            services.start(member, capa)
        elif step == "done":
            services.complete_action(member, capa, capa.actions[0], done_on=local_today(), evidence="E")
        elif step == "verified":
            services.verify(secretary, capa, verified_on=local_today(), effective=True, evidence="E")
    db.session.commit()
    ctx.data["number"] = capa.number
    return capa.number


def _url(upto, suffix=""):
    return lambda ctx: f"/capa/{ctx.data.get('number') or _record(ctx, upto)}{suffix}"


def _setup(upto):
    return lambda ctx: _record(ctx, upto)


def _proposed(ctx):
    from app.capa import services

    ctx.make.unit("TTR")
    capa = services.propose(ctx.user("member", "TTR"), kind="preventive", source="other", title="Đề xuất",
                            description="Mô tả")
    db.session.commit()
    ctx.data["number"] = capa.number


def _procedure(ctx):
    from app.procedures.services import DocumentControl
    from app.store import parse
    from tests.capa.conftest import ROOT

    _record(ctx, "open")
    DocumentControl().import_document(None, parse((ROOT / "procedures" / "QT-QLKH-01.md").read_text("utf-8")))
    db.session.commit()


TODAY = lambda: local_today().isoformat()  # noqa: E731

ROUTES = [
    RouteSpec("capa.index", "/capa/", allowed=("member", "QLKH")),
    RouteSpec("capa.export", "/capa/export.xlsx", allowed=("committee", None)),
    RouteSpec("capa.new", "/capa/new", allowed=("member", "TTR")),
    RouteSpec("capa.view", _url("open"), allowed=("head", "QLKH"), denied=("member", "TTR"), setup=_setup("open")),
    RouteSpec("capa.accept", _url("proposed", "/accept"), allowed=("secretary", "VP"), denied=("head", "TTR"),
              setup=_proposed, method="POST", ok=(302,), data=lambda ctx: {"accept-unit_id": ctx.make.unit("TTR").id}),
    RouteSpec("capa.analyse", _url("open", "/analyse"), allowed=("member", "QLKH"), denied=("member", "TTR"),
              setup=_setup("open"), method="POST", ok=(302,),
              data={"analysis-root_cause": "Thiếu kiểm tra", "analysis-similar_elsewhere": "no"}),
    RouteSpec("capa.add_action", _url("analysed", "/actions"), allowed=("head", "QLKH"),
              denied=("secretary", "VP"), setup=_setup("analysed"), method="POST", ok=(302,),
              data=lambda ctx: {"action-description": "Thêm bước kiểm tra", "action-due_on": TODAY()}),
    RouteSpec("capa.edit_action", _url("analysed", "/actions/1/edit"), allowed=("member", "QLKH"),
              denied=("member", "TTR"), setup=_setup("analysed"), method="POST", ok=(302,),
              data=lambda ctx: {"edit1-description": "Kiểm tra hai lần", "edit1-due_on": TODAY()}),
    RouteSpec("capa.remove_action", _url("analysed", "/actions/1/remove"), allowed=("head", "QLKH"),
              denied=("secretary", "VP"), setup=_setup("analysed"), method="POST", ok=(302,)),
    RouteSpec("capa.plan", _url("analysed", "/plan"), allowed=("head", "QLKH"), denied=("leadership", None),
              setup=_setup("analysed"), method="POST", ok=(302,)),
    RouteSpec("capa.start", _url("planned", "/start"), allowed=("member", "QLKH"), denied=("head", "TTR"),
              setup=_setup("planned"), method="POST", ok=(302,)),
    RouteSpec("capa.complete_action", _url("in_progress", "/actions/1/complete"), allowed=("member", "QLKH"),
              denied=("member", "TTR"), setup=_setup("in_progress"), method="POST", ok=(302,),
              data=lambda ctx: {"done1-done_on": TODAY(), "done1-evidence": "Biên bản"}),
    RouteSpec("capa.verify", _url("done", "/verify"), allowed=("leadership", None), denied=("head", "QLKH"),
              setup=_setup("done"), method="POST", ok=(302,),
              data=lambda ctx: {"verify-verified_on": TODAY(), "verify-effective": "yes", "verify-evidence": "Đạt"}),
    RouteSpec("capa.close", _url("verified", "/close"), allowed=("secretary", "VP"), denied=("committee", None),
              setup=_setup("verified"), method="POST", ok=(302,)),
    RouteSpec("capa.cancel", _url("open", "/cancel"), allowed=("secretary", "VP"), denied=("head", "QLKH"),
              setup=_setup("open"), method="POST", ok=(302,), data={"cancel-reason": "Trùng phiếu"}),
    RouteSpec("capa.link_procedure", _url("open", "/procedures"), allowed=("member", "QLKH"),
              denied=("member", "TTR"), setup=_procedure, method="POST", ok=(302,),
              data={"link-code": "QT-QLKH-01"}),
]
