"""Document-control routes: who may open what."""
from datetime import date

from tests.permission_specs import RouteSpec

BODY = "## 1. Mục đích\n\nNội dung.\n"


def _proc(ctx, submitted=False):
    """QT-QLKH-01, a draft of QLKH created by the secretary (submitted by the head when asked)."""
    from app.procedures.services import DocumentControl

    if "proc" not in ctx.data:
        dc = DocumentControl()
        proc = dc.create(ctx.user("secretary", "VP"), code="QT-QLKH-01", title="Quy trình thử",
                         unit=ctx.make.unit("QLKH"), body=BODY)
        if submitted:
            dc.submit(ctx.user("head", "QLKH"), proc)
        from app.extensions import db

        db.session.commit()
        ctx.data["proc"] = proc
    return ctx.data["proc"]


def _issued(ctx):
    from app.extensions import db
    from app.procedures.services import DocumentControl

    proc = _proc(ctx, submitted=True)
    DocumentControl().approve(ctx.user("leadership"), proc, effective_on=date.today())
    db.session.commit()
    return proc


def _rev(ctx):
    return _proc(ctx).current_revision


ROUTES = [
    RouteSpec("procedures.register", "/procedures/", allowed=("committee", None)),
    RouteSpec("procedures.export", "/procedures/export.csv", allowed=("member", "VP")),
    RouteSpec("procedures.view", "/procedures/QT-QLKH-01", setup=_proc, allowed=("member", "QLKH"),
              denied=("member", "VP")),
    RouteSpec("procedures.pending", "/procedures/QT-QLKH-01/pending", setup=_issued, allowed=("member", "TTR"),
              ok=(302,)),
    RouteSpec("procedures.draft", "/procedures/QT-QLKH-01/draft", setup=_proc, allowed=("leadership", None),
              denied=("committee", None)),
    RouteSpec("procedures.print_view", "/procedures/QT-QLKH-01/print", setup=_proc, allowed=("secretary", "VP"),
              denied=("head", "VP")),
    RouteSpec("procedures.revision", lambda ctx: f"/procedures/QT-QLKH-01/revisions/{_rev(ctx)}",
              allowed=("head", "QLKH")),
    # a never-issued draft's history (its code and title) is for those who may see the draft
    RouteSpec("procedures.history", "/procedures/QT-QLKH-01/history", setup=_proc, allowed=("member", "QLKH"),
              denied=("member", "TTR")),
    RouteSpec("procedures.diff", "/procedures/QT-QLKH-01/diff", setup=_proc, allowed=("member", "QLKH")),
    RouteSpec("procedures.new", "/procedures/new", allowed=("secretary", "VP"), denied=("head", "QLKH")),
    RouteSpec("procedures.edit", "/procedures/QT-QLKH-01/edit", setup=_proc, allowed=("member", "QLKH"),
              denied=("member", "VP")),
    RouteSpec("procedures.metadata", "/procedures/QT-QLKH-01/metadata", setup=_proc,
              allowed=("secretary", "VP"), denied=("head", "QLKH")),
    RouteSpec("procedures.preview", "/procedures/preview", method="POST", data={"body": "# x"},
              allowed=("member", "QLKH")),
    RouteSpec("procedures.submit", "/procedures/QT-QLKH-01/submit", setup=_proc, method="POST",
              allowed=("head", "QLKH"), denied=("head", "VP"), ok=(302,)),
    RouteSpec("procedures.reject", "/procedures/QT-QLKH-01/reject", setup=lambda c: _proc(c, True),
              method="POST", data={"comment": "Bổ sung"}, allowed=("leadership", None),
              denied=("secretary", "VP"), ok=(302,)),
    RouteSpec("procedures.approve", "/procedures/QT-QLKH-01/approve", setup=lambda c: _proc(c, True),
              method="POST", data={"effective_on": date.today().isoformat()}, allowed=("leadership", None),
              denied=("head", "QLKH"), ok=(302,)),
    RouteSpec("procedures.withdraw", "/procedures/QT-QLKH-01/withdraw", setup=_issued, method="POST",
              data={"withdrawn_on": date.today().isoformat(), "reason": "Hết hiệu lực"},
              allowed=("leadership", None), denied=("committee", None), ok=(302,)),
]

ROUTES.append(RouteSpec("search.search", "/search?q=quy+trinh", allowed=("member", "QLKH")))
