"""API routes and the token pages: who may open what (collected by tests/test_route_permissions.py).

API routes (extra auth=token) answer 401 without a token and 403 to a token whose owner lacks the right."""
from __future__ import annotations

from tests.permission_specs import RouteSpec

TOKEN = {"auth": "token"}


def _world(ctx):
    """Two units' procedures (one never-issued TTR draft), an open cycle of this year, a CAPA record of QLKH."""
    from datetime import date

    from app.capa import services as capa_services
    from app.extensions import db
    from app.procedures.services import DocumentControl
    from app.reviews import services
    from app.store import ProcedureDocument
    from app.timeutil import local_today
    from tests.api.conftest import BODY

    for code in ("QLKH", "TTR"):
        ctx.make.unit(code)
    secretary = ctx.user("secretary", "VP")
    dc = DocumentControl()
    for code, unit in (("QT-QLKH-01", "QLKH"), ("QT-QLKH-02", "QLKH")):
        dc.import_document(None, ProcedureDocument(code=code, title="Quy trình thử", unit=unit, body=BODY, issue=1,
                                                   issued_on=date(2020, 1, 6), effective_on=date(2020, 1, 6)))
    dc.create(secretary, code="QT-TTR-09", title="Dự thảo", unit=ctx.make.unit("TTR"), body=BODY)
    year = local_today().year
    services.open_cycle(secretary, year=year, deadline=date(year, 12, 31))
    capa = capa_services.propose(secretary, kind="corrective", source="other", title="Phiếu thử", description="Mô tả",
                                 unit=ctx.make.unit("QLKH"))
    capa_services.analyse(ctx.user("head", "QLKH"), capa, root_cause="Nguyên nhân", similar_elsewhere=False)
    db.session.commit()
    ctx.data.update(year=year, capa=capa.number)


def _y(path):
    return lambda ctx: path.format(year=ctx.data["year"], capa=ctx.data.get("capa"))


def _my_token(ctx):
    from app.api import tokens
    from app.extensions import db

    token = tokens.create(ctx.user("member", "QLKH"), name="spec", scope="read", days=1).token
    db.session.commit()
    ctx.data["token_id"] = token.id


MEMBER, OTHER, HEAD, OTHER_HEAD = ("member", "QLKH"), ("member", "TTR"), ("head", "QLKH"), ("head", "TTR")
ROUTES = [
    RouteSpec("api-docs.openapi_json", "/api/v1/openapi.json", allowed=None, public=True),
    RouteSpec("api_pages.docs", "/api/docs", allowed=None, public=True),
    RouteSpec("api_pages.token_list", "/account/tokens", allowed=("committee", None)),
    RouteSpec("api_pages.token_create", "/account/tokens", allowed=MEMBER, method="POST",
              data={"name": "Bảng điều khiển", "scope": "read", "days": "30"}, ok=(201,)),
    RouteSpec("api_pages.token_revoke", lambda ctx: f"/account/tokens/{ctx.data['token_id']}/revoke",
              allowed=MEMBER, method="POST", ok=(302,), setup=_my_token),
    RouteSpec("api_procedures.register", "/api/v1/procedures", allowed=OTHER, extra=TOKEN),
    RouteSpec("api_procedures.one", "/api/v1/procedures/QT-TTR-09", allowed=OTHER, denied=MEMBER, setup=_world,
              extra=TOKEN),
    RouteSpec("api_procedures.issued", "/api/v1/procedures/QT-QLKH-01/issued", allowed=OTHER, setup=_world,
              extra=TOKEN),
    RouteSpec("api_procedures.draft", "/api/v1/procedures/QT-TTR-09/draft", allowed=OTHER, denied=MEMBER,
              setup=_world, extra=TOKEN),
    RouteSpec("api_procedures.revisions", "/api/v1/procedures/QT-TTR-09/revisions", allowed=OTHER, denied=MEMBER,
              setup=_world, extra=TOKEN),
    RouteSpec("api_procedures.diff", "/api/v1/procedures/QT-TTR-09/diff", allowed=OTHER, denied=MEMBER,
              setup=_world, extra=TOKEN),
    RouteSpec("api_procedures.in_force", "/api/v1/procedures/QT-TTR-09/in-force", allowed=OTHER, denied=MEMBER,
              setup=_world, extra=TOKEN),
    RouteSpec("api_reviews.cycles", "/api/v1/reviews/cycles", allowed=MEMBER, setup=_world, extra=TOKEN),
    RouteSpec("api_reviews.cycle", _y("/api/v1/reviews/cycles/{year}"), allowed=MEMBER, setup=_world, extra=TOKEN),
    RouteSpec("api_reviews.reviews", _y("/api/v1/reviews/cycles/{year}/reviews"), allowed=MEMBER, setup=_world,
              extra=TOKEN),
    RouteSpec("api_reviews.review", _y("/api/v1/reviews/cycles/{year}/reviews/QT-QLKH-01"), allowed=MEMBER,
              denied=OTHER, setup=_world, extra=TOKEN),
    RouteSpec("api_reviews.record", _y("/api/v1/reviews/cycles/{year}/reviews/QT-QLKH-01/record"), allowed=MEMBER,
              denied=OTHER, method="POST", data={"outcome": "maintained"}, setup=_world, extra=TOKEN),
    RouteSpec("api_reviews.confirm", _y("/api/v1/reviews/cycles/{year}/reviews/QT-QLKH-01/confirm"), allowed=HEAD,
              denied=MEMBER, method="POST", ok=(200, 409), setup=_world, extra=TOKEN),
    RouteSpec("api_capa.register", "/api/v1/capa", allowed=OTHER, extra=TOKEN),
    RouteSpec("api_capa.one", _y("/api/v1/capa/{capa}"), allowed=MEMBER, denied=OTHER, setup=_world, extra=TOKEN),
    RouteSpec("api_capa.create", "/api/v1/capa", allowed=OTHER, method="POST", ok=(201,), extra=TOKEN,
              data={"kind": "preventive", "source": "other", "title": "Rủi ro", "description": "Mô tả"}),
    RouteSpec("api_capa.add_action", _y("/api/v1/capa/{capa}/actions"), allowed=HEAD, denied=OTHER_HEAD,
              method="POST", ok=(201,), data={"description": "Hành động", "due_on": "2030-01-31"}, setup=_world,
              extra=TOKEN),
    RouteSpec("api_audit.events", "/api/v1/audit/events", allowed=("committee", None), denied=HEAD, extra=TOKEN),
    RouteSpec("api_audit.verification", "/api/v1/audit/verification", allowed=("leadership", None), denied=MEMBER,
              extra=TOKEN),
    RouteSpec("api_search.search", "/api/v1/search?q=quy+trinh", allowed=MEMBER, extra=TOKEN),
]
