"""Office routes (exports, distribution, read-and-acknowledge, Word import, forms): who may open what."""
from __future__ import annotations

import io

from tests.permission_specs import RouteSpec
from tests.procedures.routes_spec import _issued, _proc

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class _Upload(dict):
    """Form data whose file is new for each request (the test client closes the file it sent)."""

    def items(self):
        return [("file", (io.BytesIO(PDF), "BM-02.pdf"))]


def _copy(ctx):
    from app.extensions import db
    from app.office import services

    if "copy" not in ctx.data:
        proc = _issued(ctx)
        ctx.data["copy"] = services.issue_copy(ctx.user("secretary", "VP"), proc, ctx.make.unit("QLKH"))
        db.session.commit()
    return ctx.data["copy"]


def _token(ctx):
    from flask import current_app

    from app.office import importing
    from tests.office.conftest import SAMPLES

    if "token" not in ctx.data:
        items, refused = importing.read_uploads([("QT-VP-06.docx", (SAMPLES / "QT-VP-06.docx").read_bytes())])
        with ctx.app.app_context():
            ctx.data["token"] = importing.save_pending(current_app.config["QMS_DATA_DIR"],
                                                       ctx.user("secretary", "VP"), items, refused)
    return ctx.data["token"]


def _form(ctx):
    from app.extensions import db
    from app.office import files

    if "form" not in ctx.data:
        files.attach(ctx.user("secretary", "VP"), _proc(ctx), "BM-01.pdf", PDF)
        db.session.commit()
        ctx.data["form"] = True


ROUTES = [
    RouteSpec("office.export", "/procedures/QT-QLKH-01/export.pdf", setup=_proc, allowed=("member", "QLKH"),
              denied=("member", "VP")),
    RouteSpec("office.distribution", "/procedures/QT-QLKH-01/distribution", setup=_issued,
              allowed=("committee", None)),
    RouteSpec("office.issue_copy", "/procedures/QT-QLKH-01/distribution", setup=_issued, method="POST",
              data=lambda ctx: {"unit_id": ctx.make.unit("QLKH").id}, allowed=("secretary", "VP"),
              denied=("head", "QLKH"), ok=(302,)),
    RouteSpec("office.record_return", lambda ctx: f"/procedures/QT-QLKH-01/distribution/{_copy(ctx).id}/return",
              method="POST", allowed=("secretary", "VP"), denied=("member", "QLKH"), ok=(302,)),
    RouteSpec("office.recall_list", "/procedures/distribution", allowed=("secretary", "VP"),
              denied=("member", "QLKH")),
    RouteSpec("office.readers", "/procedures/QT-QLKH-01/readers", setup=_issued, allowed=("member", "VP")),
    RouteSpec("office.acknowledge", "/procedures/QT-QLKH-01/acknowledge", setup=_issued, method="POST",
              data={"issue": "1"}, allowed=("member", "QLKH"), denied=("member", "VP"), ok=(302,)),
    RouteSpec("office.add_readers", "/procedures/QT-QLKH-01/readers", setup=_issued, method="POST",
              data=lambda ctx: {"unit_id": ctx.make.unit("VP").id}, allowed=("leadership", None),
              denied=("member", "QLKH"), ok=(302,)),
    RouteSpec("office.coverage", "/procedures/acknowledgements", allowed=("committee", None),
              denied=("member", "QLKH")),
    RouteSpec("office.import_form", "/procedures/import", allowed=("secretary", "VP"), denied=("head", "QLKH")),
    RouteSpec("office.import_upload", "/procedures/import", method="POST", allowed=("secretary", "VP"),
              denied=("leadership", None), ok=(302,)),
    RouteSpec("office.import_preview", lambda ctx: f"/procedures/import/{_token(ctx)}",
              allowed=("secretary", "VP"), denied=("member", "VP")),
    RouteSpec("office.import_confirm", lambda ctx: f"/procedures/import/{_token(ctx)}", method="POST",
              data={"use-0": "1", "code-0": "QT-VP-06", "title-0": "Quy trình xử lý văn bản đến", "unit-0": "VP"},
              allowed=("secretary", "VP"), denied=("member", "VP"), ok=(302,)),
    RouteSpec("office.upload_form", "/procedures/QT-QLKH-01/forms", setup=_proc, method="POST",
              data=_Upload(), allowed=("member", "QLKH"),
              denied=("member", "VP"), ok=(302,)),
    RouteSpec("office.delete_form", "/procedures/QT-QLKH-01/forms/BM-01.pdf/delete", setup=_form, method="POST",
              allowed=("member", "QLKH"), denied=("member", "VP"), ok=(302,)),
    RouteSpec("office.form_file", "/procedures/QT-QLKH-01/forms/BM-01.pdf", setup=_form,
              allowed=("member", "QLKH"), denied=("member", "VP")),
]
