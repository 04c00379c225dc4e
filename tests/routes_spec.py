"""Foundation routes: who may open what."""
from tests.permission_specs import RouteSpec

ROUTES = [
    RouteSpec("main.home", "/", allowed=("member", "QLKH")),
    RouteSpec("main.healthz", "/healthz", allowed=None, public=True),
    RouteSpec("favicon", "/favicon.ico", allowed=None, public=True),
    RouteSpec("auth.login", "/login", allowed=None, public=True),
    RouteSpec("auth.logout", "/logout", allowed=("member", "QLKH"), method="POST", ok=(302,)),
    RouteSpec("auth.change_password", "/account/password", allowed=("committee", None)),
    RouteSpec("auth.set_language", "/lang/en", allowed=None, public=True, method="POST", ok=(302,)),
    RouteSpec("admin.index", "/admin/", allowed=("admin", None), denied=("secretary", "VP")),
    RouteSpec("admin.unit_new", "/admin/units/new", allowed=("admin", None), denied=("leadership", None)),
    RouteSpec("admin.unit_edit", "/admin/units/QLKH", allowed=("admin", None), denied=("head", "QLKH")),
    RouteSpec("admin.unit_reorganise", "/admin/units/QLKH/reorganise", allowed=("admin", None),
              denied=("head", "QLKH")),
    RouteSpec("admin.user_new", "/admin/users/new", allowed=("admin", None), denied=("committee", None)),
    RouteSpec("admin.user_edit", lambda ctx: f"/admin/users/{ctx.user('member', 'QLKH').id}",
              allowed=("admin", None), denied=("member", "QLKH")),
    RouteSpec("admin.user_reset_password", lambda ctx: f"/admin/users/{ctx.user('member', 'QLKH').id}/password",
              allowed=("admin", None), denied=("secretary", "VP"), method="POST",
              data={"reset-password": "new-password-123"}, ok=(302,)),
]
