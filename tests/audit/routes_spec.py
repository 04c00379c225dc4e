"""Audit history routes: the committee, leadership, secretary and administrators read all; units their own."""
from tests.permission_specs import RouteSpec


def _unit(ctx):
    ctx.make.unit("QLKH")


def _user_url(suffix=""):
    return lambda ctx: f"/audit/user/{ctx.user('member', 'QLKH').id}{suffix}"


ROUTES = [
    RouteSpec("audit.index", "/audit/", allowed=("committee", None), denied=("member", "QLKH")),
    RouteSpec("audit.export", "/audit/export.csv", allowed=("leadership", None), denied=("head", "QLKH")),
    RouteSpec("audit.unit_timeline", "/audit/unit/QLKH", allowed=("member", "QLKH"), denied=("member", "VP"),
              setup=_unit),
    RouteSpec("audit.unit_export", "/audit/unit/QLKH/export.xlsx", allowed=("head", "QLKH"), denied=("head", "VP"),
              setup=_unit),
    RouteSpec("audit.user_timeline", _user_url(), allowed=("admin", None), denied=("member", "VP")),
    RouteSpec("audit.user_export", _user_url("/export.csv"), allowed=("secretary", "VP"), denied=("head", "QLKH")),
    RouteSpec("audit.object_timeline", "/audit/object/unit/QLKH", allowed=("head", "QLKH"), denied=("member", "VP"),
              setup=_unit),
    RouteSpec("audit.object_export", "/audit/object/unit/QLKH/export.csv", allowed=("committee", None),
              denied=("member", "TTR"), setup=_unit),
]
