"""Internal audit routes: who may open and post what (collected by tests/test_route_permissions.py)."""
from __future__ import annotations

from app.extensions import db
from app.timeutil import local_year
from tests.permission_specs import RouteSpec


def _audit(ctx, upto="in_progress"):
    """A QLKH audit led by a TTR member; its number is kept in ctx.data."""
    from types import SimpleNamespace

    from tests.internal_audits.conftest import import_procedure, plan

    if "number" in ctx.data:
        return ctx.data["number"]
    for code in ("VP", "QLKH", "TTR"):
        ctx.make.unit(code)
    people = SimpleNamespace(secretary=ctx.user("secretary", "VP"), auditor=ctx.user("member", "TTR"),
                             auditor2=ctx.user("head", "TTR"), leader=ctx.user("leadership", None))
    audit = plan(people, import_procedure("QT-QLKH-01"), upto="in_progress" if upto == "reported" else upto)
    if upto == "reported":
        from app.internal_audits import services

        services.report(people.auditor, audit, conclusion="Kết luận")
        db.session.commit()
    ctx.data["number"] = audit.number
    return audit.number


def _url(upto, suffix=""):
    return lambda ctx: f"/internal-audits/audit/{_audit(ctx, upto)}{suffix}"


def _programme(ctx):
    from app.internal_audits import services

    ctx.make.unit("VP")
    services.create_programme(ctx.user("secretary", "VP"), year=local_year(), title="CT")
    db.session.commit()


YEAR = local_year()
ROUTES = [
    RouteSpec("internal_audits.index", "/internal-audits/", allowed=("member", "QLKH")),
    RouteSpec("internal_audits.index", "/internal-audits/", allowed=("secretary", "VP"), denied=("head", "QLKH"),
              method="POST", ok=(302,), data={"year": YEAR, "title": "Chương trình"}),
    RouteSpec("internal_audits.programme", f"/internal-audits/{YEAR}", allowed=("member", "QLKH"),
              setup=_programme),
    RouteSpec("internal_audits.plan", f"/internal-audits/{YEAR}/audits", allowed=("secretary", "VP"),
              denied=("leadership", None), setup=_programme, method="POST", ok=(200,), data={}),
    RouteSpec("internal_audits.approve", f"/internal-audits/{YEAR}/approve", allowed=("leadership", None),
              denied=("secretary", "VP"), setup=lambda ctx: _audit(ctx, "planned"), method="POST", ok=(302,)),
    RouteSpec("internal_audits.audit", _url("in_progress"), allowed=("head", "QLKH"), denied=("member", "VP"),
              setup=lambda ctx: _audit(ctx)),
    RouteSpec("internal_audits.print_audit", _url("in_progress", "/print"), allowed=("committee", None),
              denied=("member", "VP"), setup=lambda ctx: _audit(ctx)),
    RouteSpec("internal_audits.notify", _url("approved", "/notify"), allowed=("secretary", "VP"),
              denied=("member", "TTR"), setup=lambda ctx: _audit(ctx, "approved"), method="POST", ok=(302,)),
    RouteSpec("internal_audits.start", _url("notified", "/start"), allowed=("member", "TTR"),
              denied=("secretary", "VP"), setup=lambda ctx: _audit(ctx, "notified"), method="POST", ok=(302,)),
    RouteSpec("internal_audits.answer", _url("in_progress", "/checklist/1"), allowed=("member", "TTR"),
              denied=("head", "QLKH"), setup=lambda ctx: _audit(ctx), method="POST", ok=(302,),
              data={"q1-result": "conform", "q1-note": "OK"}),
    RouteSpec("internal_audits.add_question", _url("in_progress", "/questions"), allowed=("head", "TTR"),
              denied=("member", "QLKH"), setup=lambda ctx: _audit(ctx), method="POST", ok=(302,),
              data={"question-question": "Câu hỏi thêm"}),
    RouteSpec("internal_audits.add_finding", _url("in_progress", "/findings"), allowed=("member", "TTR"),
              denied=("secretary", "VP"), setup=lambda ctx: _audit(ctx), method="POST", ok=(302,),
              data={"finding-kind": "ofi", "finding-description": "Nên cải tiến", "finding-evidence": "Sổ"}),
    RouteSpec("internal_audits.report", _url("in_progress", "/report"), allowed=("member", "TTR"),
              denied=("head", "TTR"), setup=lambda ctx: _audit(ctx), method="POST", ok=(302,),
              data={"report-conclusion": "Phù hợp"}),
    RouteSpec("internal_audits.close", _url("reported", "/close"), allowed=("secretary", "VP"),
              denied=("member", "TTR"), setup=lambda ctx: _audit(ctx, "reported"), method="POST", ok=(302,)),
]
