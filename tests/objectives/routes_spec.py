"""Objectives routes: who may open and post what (collected by tests/test_route_permissions.py)."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from tests.permission_specs import RouteSpec

SECRETARY, LEADER, MEMBER, HEAD = ("secretary", "VP"), ("leadership", None), ("member", "QLKH"), ("head", "QLKH")
OTHER_MEMBER, OTHER_HEAD, COMMITTEE = ("member", "TTR"), ("head", "TTR"), ("committee", None)


def _plan(ctx, year=2022, status="in_force"):
    """A small plan: one objective, one monthly indicator and one task for every unit."""
    from app.objectives import reports, services

    key = f"plan{year}"
    if key in ctx.data:
        return ctx.data[key]
    for code in ("VP", "QLKH", "TTR"):
        ctx.make.unit(code)
    secretary, leader = ctx.user(*SECRETARY), ctx.user(*LEADER)
    plan = services.create_plan(secretary, year)
    obj = services.add_objective(secretary, plan, "MT1", "Tham mưu đầy đủ, đúng hạn")
    ind = services.add_indicator(secretary, obj, name="Tỷ lệ đúng hạn", measure="%", kind="number", scale="",
                                 target=100, direction=">=", margin=0, frequency="month", source="unit")
    imported = services.add_indicator(secretary, obj, name="iGate", measure="%", kind="number", scale="",
                                      target=100, direction=">=", margin=0, frequency="month", source="imported")
    task = services.add_task(secretary, obj, content="Báo cáo tháng", rule="monthly", rule_day=14, all_units=True)
    if status != "draft":
        services.approve(leader, plan)
    if status == "in_force":
        services.put_in_force(secretary, plan)
        march = services.get_period(plan, f"{year}-03")
        from app.objectives.reports import Draft
        from tests.objectives.conftest import unit

        draft = Draft(entries={task.id: {"done_text": "x", "status": "done", "reason": "", "evidence": ""}},
                      values={ind.id: "80"})
        rep = reports.save_draft(ctx.user(*MEMBER), march, unit("QLKH"), draft)
        reports.send(ctx.user(*HEAD), rep, today=date(year, 3, 14))
    db.session.commit()
    ctx.data[key] = plan
    ctx.data["indicator"], ctx.data["imported"], ctx.data["task"] = ind.id, imported.id, task.id
    return plan


def _assigned(ctx):
    from app.objectives import assignments
    from app.objectives.models import ObjectiveTask
    from tests.objectives.conftest import unit

    plan = _plan(ctx)
    if "assignment" not in ctx.data:
        task = db.session.get(ObjectiveTask, ctx.data["task"])
        task.rule, task.rule_day = "on_assignment", None
        row = assignments.assign(ctx.user(*SECRETARY), task, unit("QLKH"), "Việc được giao", date(2022, 7, 30))
        db.session.commit()
        ctx.data["assignment"] = row.id
    return plan


def _draft(ctx):
    return _plan(ctx, 2030, "draft")


def _approved(ctx):
    return _plan(ctx, 2031, "approved")


def u(path, setup=_plan):
    def url(ctx):
        setup(ctx)
        return path.format(**ctx.data)
    return url


P = "/objectives/2022/periods/2022-03"
DRAFT_FORM = {"value-1": "90"}

ROUTES = [
    RouteSpec("objectives.index", "/objectives/", allowed=MEMBER),
    RouteSpec("objectives.create", "/objectives/", allowed=SECRETARY, denied=LEADER, method="POST",
              data={"year": "2035", "copy_from": ""}, ok=(302,)),
    RouteSpec("objectives.plan", u("/objectives/2022"), allowed=MEMBER),
    RouteSpec("objectives.edit", u("/objectives/2030/edit", _draft), allowed=SECRETARY, denied=LEADER),
    RouteSpec("objectives.settings", u("/objectives/2030/settings", _draft), allowed=SECRETARY, denied=HEAD,
              method="POST", data={"title": "Kế hoạch", "window_start_day": "15", "unit_due_day": "14",
                                   "office_due_day": "17", "year_due_on": "2030-11-05",
                                   "year_office_due_on": "2030-11-10", "holidays": ""}, ok=(302,)),
    RouteSpec("objectives.add_objective", u("/objectives/2030/objectives", _draft), allowed=SECRETARY,
              denied=MEMBER, method="POST", data={"code": "MT2", "statement": "Mục tiêu 2"}, ok=(302,)),
    RouteSpec("objectives.delete_objective", u("/objectives/2030/objectives/MT1/delete", _draft),
              allowed=SECRETARY, denied=LEADER, method="POST", ok=(302,)),
    RouteSpec("objectives.add_indicator", u("/objectives/2030/objectives/MT1/indicators", _draft),
              allowed=SECRETARY, denied=MEMBER, method="POST", ok=(200, 302, 400),
              data=lambda ctx: {f"i{_draft(ctx).objectives[0].id}-name": "Chỉ số", f"i{_draft(ctx).objectives[0].id}-kind": "number",
                                f"i{_draft(ctx).objectives[0].id}-target": "100"}),
    RouteSpec("objectives.delete_indicator", u("/objectives/2030/indicators/{indicator}/delete", _draft),
              allowed=SECRETARY, denied=HEAD, method="POST", ok=(302,)),
    RouteSpec("objectives.add_task", u("/objectives/2030/objectives/MT1/tasks", _draft), allowed=SECRETARY,
              denied=MEMBER, method="POST", ok=(302, 400), data={}),
    RouteSpec("objectives.delete_task", u("/objectives/2030/tasks/{task}/delete", _draft), allowed=SECRETARY,
              denied=HEAD, method="POST", ok=(302,)),
    RouteSpec("objectives.approve", u("/objectives/2030/approve", _draft), allowed=LEADER, denied=SECRETARY,
              method="POST", ok=(302,)),
    RouteSpec("objectives.return_plan", u("/objectives/2031/return", _approved), allowed=LEADER,
              denied=SECRETARY, method="POST", data={"comment": "Sửa lại"}, ok=(302,)),
    RouteSpec("objectives.in_force", u("/objectives/2031/in-force", _approved), allowed=SECRETARY,
              denied=LEADER, method="POST", ok=(302,)),
    RouteSpec("objectives.close", u("/objectives/2022/close"), allowed=SECRETARY, denied=LEADER, method="POST",
              ok=(302,)),
    RouteSpec("objectives.import_template", "/objectives/import-template.xlsx", allowed=SECRETARY, denied=MEMBER),
    RouteSpec("objectives.import_form", u("/objectives/2030/import", _draft), allowed=SECRETARY, denied=COMMITTEE),
    RouteSpec("objectives.import_plan", u("/objectives/2030/import", _draft), allowed=SECRETARY, denied=LEADER,
              method="POST", ok=(400,)),
    RouteSpec("objectives.import_values", u("/objectives/2022/indicators/{imported}/values"), allowed=SECRETARY,
              denied=HEAD, method="POST", ok=(302,)),
    RouteSpec("objectives.period", u(P), allowed=OTHER_MEMBER),
    RouteSpec("objectives.period_print", u(P + "/print"), allowed=COMMITTEE, denied=MEMBER),
    RouteSpec("objectives.period_export", u(P + "/export.xlsx"), allowed=LEADER, denied=HEAD),
    RouteSpec("objectives.period_summary", u(P + "/summary"), allowed=SECRETARY, denied=LEADER, method="POST",
              data={"summary": "Tổng hợp", "action": "save"}, ok=(302,)),
    RouteSpec("objectives.raise_capa", u(P + "/capa"), allowed=SECRETARY, denied=COMMITTEE, method="POST",
              data=lambda ctx: {"kind": "not_met", "ref": f"i{ctx.data['indicator']}"}, ok=(302,)),
    RouteSpec("objectives.dismiss", u(P + "/dismiss"), allowed=SECRETARY, denied=HEAD, method="POST",
              data={"kind": "missing_report", "ref": "u0", "reason": "x"}, ok=(302,)),
    RouteSpec("objectives.add_assignment", u("/objectives/2022/tasks/{task}/assignments"), allowed=SECRETARY,
              denied=LEADER, method="POST", data=lambda ctx: {"unit_id": str(ctx.user(*MEMBER).unit_id),
                                                                "what": "Việc", "due_on": "2022-07-30"}, ok=(302,)),
    RouteSpec("objectives.complete_assignment", u("/objectives/2022/assignments/{assignment}/done", _assigned),
              allowed=MEMBER, denied=OTHER_MEMBER, method="POST", data={"result": "Xong"}, ok=(302,)),
    RouteSpec("objectives.report", u(P + "/reports/QLKH"), allowed=MEMBER, denied=OTHER_MEMBER),
    RouteSpec("objectives.save_report", u(P + "/reports/TTR"), allowed=OTHER_MEMBER, denied=MEMBER, method="POST",
              data=lambda ctx: {f"status-{ctx.data['task']}": "done", f"value-{ctx.data['indicator']}": "100"},
              ok=(302,)),
    RouteSpec("objectives.send_report", u(P + "/reports/QLKH/send"), allowed=HEAD, denied=OTHER_HEAD,
              method="POST", ok=(302,)),
    RouteSpec("objectives.accept_report", u(P + "/reports/QLKH/accept"), allowed=SECRETARY, denied=HEAD,
              method="POST", ok=(302,)),
    RouteSpec("objectives.return_report", u(P + "/reports/QLKH/return"), allowed=SECRETARY, denied=LEADER,
              method="POST", data={"comment": "Bổ sung"}, ok=(302,)),
]
