"""Yearly report, announcement and inspection pack routes (collected by tests/test_route_permissions.py)."""
from __future__ import annotations

from app.extensions import db
from app.timeutil import local_year
from tests.permission_specs import RouteSpec

YEAR = local_year()


def _saved(ctx):
    from app.reports import services

    ctx.make.unit("VP")
    services.save(ctx.user("secretary", "VP"), YEAR, number="1/BC", sections={})
    db.session.commit()


ROUTES = [
    RouteSpec("reports.index", "/reports/", allowed=("committee", None), denied=("member", "QLKH")),
    RouteSpec("reports.announce", "/reports/announcements", allowed=("secretary", "VP"),
              denied=("leadership", None), method="POST", ok=(200,), data={}),
    RouteSpec("reports.yearly_report", f"/reports/yearly/{YEAR}", allowed=("leadership", None),
              denied=("head", "QLKH")),
    RouteSpec("reports.save_report", f"/reports/yearly/{YEAR}", allowed=("secretary", "VP"),
              denied=("committee", None), method="POST", ok=(302,), data={"report-number": "2/BC"}),
    RouteSpec("reports.finalise", f"/reports/yearly/{YEAR}/finalise", allowed=("secretary", "VP"),
              denied=("leadership", None), setup=_saved, method="POST", ok=(302,)),
    RouteSpec("reports.print_report", f"/reports/yearly/{YEAR}/print", allowed=("committee", None),
              denied=("member", "QLKH")),
    RouteSpec("reports.export_docx", f"/reports/yearly/{YEAR}/export.docx", allowed=("admin", None),
              denied=("member", "QLKH")),
    RouteSpec("reports.inspection_pack", f"/reports/inspection/{YEAR}.zip", allowed=("committee", None),
              denied=("head", "QLKH")),
]
