"""Register routes: who may open what (collected by tests/test_route_permissions.py)."""
from __future__ import annotations

from datetime import date

from tests.permission_specs import RouteSpec

BASIS = "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa"


def _register(ctx, change: bool = False, step: str = ""):
    """Decree 61 in the register, cited by QT-QLKH-01 (issued); optionally amended, and its review recorded."""
    from app.extensions import db
    from app.legal import change_reviews, services
    from app.legal.services import DocumentData
    from app.procedures import core
    from app.procedures.services import DocumentControl
    from app.store import ProcedureDocument
    from tests.reviews.conftest import BODY, NoIndex

    ctx.make.unit("QLKH")
    secretary = ctx.user("secretary", "VP")
    DocumentControl(core.store(), index=NoIndex()).import_document(None, ProcedureDocument(
        code="QT-QLKH-01", title="Quy trình thử", unit="QLKH", body=BODY, issue=1, issued_on=date(2020, 1, 6),
        effective_on=date(2020, 1, 6), legal_bases=[BASIS]))
    doc = services.create_document(secretary, DocumentData(number="61/2018/NĐ-CP", kind="decree", title="Một cửa"))
    services.create_document(secretary, DocumentData(number="107/2021/NĐ-CP", kind="decree", title="Sửa đổi"))
    ctx.data["doc_id"] = doc.id
    if change:
        ch = services.record_change(secretary, doc, "amended")
        ctx.data["change_id"] = ch.id
        if step == "recorded":
            cr = change_reviews.get(ch.id, "QT-QLKH-01")
            change_reviews.record(ctx.user("member", "QLKH"), cr, outcome="maintained", note="Không ảnh hưởng")
    db.session.commit()


def _changed(ctx):
    _register(ctx, change=True)


def _recorded(ctx):
    _register(ctx, change=True, step="recorded")


def _doc(ctx):
    return f"/legal/{ctx.data['doc_id']}"


def _review(ctx):
    return f"/legal/changes/{ctx.data['change_id']}/QT-QLKH-01"


ROUTES = [
    RouteSpec("legal.register", "/legal/", allowed=("member", "QLKH"), setup=_register),
    RouteSpec("legal.document", _doc, allowed=("committee", None), setup=_register),
    RouteSpec("legal.change", lambda ctx: f"/legal/changes/{ctx.data['change_id']}", allowed=("member", "QLKH"),
              setup=_changed),
    RouteSpec("legal.new", "/legal/new", allowed=("secretary", "VP"), denied=("head", "QLKH")),
    RouteSpec("legal.edit", lambda ctx: f"{_doc(ctx)}/edit", allowed=("secretary", "VP"), denied=("leadership", None),
              setup=_register),
    RouteSpec("legal.record_change", lambda ctx: f"{_doc(ctx)}/change", allowed=("secretary", "VP"),
              denied=("head", "QLKH"), method="POST", data={"change-kind": "amended"}, ok=(302,), setup=_register),
    RouteSpec("legal.add_relation", lambda ctx: f"{_doc(ctx)}/relations", allowed=("secretary", "VP"),
              denied=("member", "QLKH"), method="POST",
              data={"rel-relation": "guides", "rel-target_number": "107/2021/NĐ-CP"}, ok=(302,), setup=_register),
    RouteSpec("legal.import_file", "/legal/import", allowed=("secretary", "VP"), denied=("committee", None)),
    RouteSpec("legal.import_confirm", "/legal/import/confirm", allowed=("secretary", "VP"), denied=("head", "QLKH"),
              method="POST", data={"payload": '[["Số ký hiệu", "Trích yếu"], ["5/2020/NĐ-CP", "Thử"]]'}, ok=(302,)),
    RouteSpec("legal.unmatched", "/legal/unmatched", allowed=("secretary", "VP"), denied=("member", "QLKH"),
              setup=_register),
    RouteSpec("legal.create_from_citations", "/legal/unmatched/create", allowed=("secretary", "VP"),
              denied=("leadership", None), method="POST", ok=(302,), setup=_register),
    RouteSpec("legal.review", _review, allowed=("member", "QLKH"), denied=("member", "TTR"), setup=_changed),
    RouteSpec("legal.record_review", lambda ctx: f"{_review(ctx)}/record", allowed=("member", "QLKH"),
              denied=("member", "TTR"), method="POST", data={"outcome": "maintained", "note": "Không ảnh hưởng"},
              ok=(302,), setup=_changed),
    RouteSpec("legal.confirm_review", lambda ctx: f"{_review(ctx)}/confirm", allowed=("head", "QLKH"),
              denied=("member", "QLKH"), method="POST", ok=(302,), setup=_recorded),
]
