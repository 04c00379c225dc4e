"""The province-scale demonstration data set (`qms demo --scale province`).

Built on top of the ordinary demo (its units, accounts and records stay as they are), in phases, each in
its own module: people (units and accounts), histories + gitwrite + mirror (procedures in the store and
the database), reviews, objectives, capa, then the audit log written in one go and the search index.
Every record is what the services would have made, so `qms audit-verify` and `qms fsck` find nothing.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, time as dtime

import click
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.procedures.models import Procedure
from app.timeutil import LOCAL_TZ, local_today


class AlreadyLoaded(Exception):
    """The province data set is in this database already: loading it twice would duplicate it."""


@dataclass
class Spec:
    procedures: int = 3000
    units: int = 50
    events: int = 200_000
    cycles: int = 10
    objective_years: int = 5
    capa: int = 500


PROVINCE = Spec()


def check_not_loaded() -> None:
    """AlreadyLoaded if the data set's first procedure is here: the set is loaded once, never twice."""
    from app.demo import UNITS

    code = f"QT-{UNITS[0][0]}-11"
    if db.session.scalar(select(Procedure.id).where(Procedure.code == code)) is not None:
        raise AlreadyLoaded(f"the province data set is already loaded in this database ({code} exists); nothing "
                            "was changed. Load it into an empty data directory and database instead.")


def _bar(label: str, length: int, show: bool):
    return click.progressbar(length=max(1, length), label=f"{label:<34}", hidden=not show, show_pos=True)


def build(spec: Spec, echo=click.echo, progress: bool = True) -> dict[str, float]:
    """Load the data set into the current app's database, store and index; returns seconds per phase."""
    from app.procedures import core
    from app.procedures.cli import reindex
    from app.province_demo import (capa, events, gitwrite, histories, mirror, objectives, people,
                                   reviews)

    check_not_loaded()
    today = local_today()
    first_cycle = today.year - spec.cycles
    start = datetime.combine(today.replace(year=first_cycle - 1, month=1, day=2), dtime(8), LOCAL_TZ)
    rng = random.Random(5)
    log = events.EventLog()
    timings: dict[str, float] = {}

    def phase(name):
        timings[name] = time.perf_counter()

    def done(name):
        timings[name] = time.perf_counter() - timings[name]

    phase("units and accounts")
    cast = people.build(spec.units, start, log, rng)
    done("units and accounts")

    phase("procedure histories")
    with _bar("Lịch sử quy trình / histories", spec.procedures, progress) as bar:
        hist = histories.plan(cast, spec.procedures, first_cycle - 1, today)
        bar.update(spec.procedures)
    done("procedure histories")

    phase("store (git fast-import)")
    st = core.store()
    commits = sum(len(h.commits) for h in hist)
    with _bar("Kho git / store commits", commits, progress) as bar:
        gitwrite.write(st, hist, progress=bar.update)
    done("store (git fast-import)")
    timings.update({f"  store: {k}": v for k, v in gitwrite.TIMES.items()})

    phase("procedure mirror")
    with _bar("Sổ quy trình / mirror", len(hist), progress) as bar:
        ids = mirror.write(hist, cast, log, progress=bar.update)
    done("procedure mirror")

    phase("review cycles")
    years = list(range(first_cycle, today.year))
    with _bar("Rà soát / review cycles", len(years), progress) as bar:
        n_reviews = reviews.write(hist, ids, cast, years, log, progress=bar.update)
    done("review cycles")

    phase("quality objectives")
    obj_years = list(range(today.year - spec.objective_years + 1, today.year + 1))
    plans = objectives.ensure_plans(obj_years, cast)
    with _bar("Mục tiêu chất lượng / objectives", len(plans), progress) as bar:
        n_reports = objectives.write(plans, cast, today, log, progress=bar.update)
    done("quality objectives")

    phase("capa")
    with _bar("CAPA", spec.capa, progress) as bar:
        n_capa = capa.write(spec.capa, obj_years, hist, ids, cast, today, log, progress=bar.update)
    done("capa")

    phase("audit log")
    existing = db.session.scalar(select(func.count(AuditEvent.id))) or 0
    logins_from = datetime.combine(today.replace(year=today.year - spec.objective_years, month=1, day=2),
                                   dtime(1), LOCAL_TZ)
    logins = events.add_logins(log, cast.everyone, spec.events - existing, logins_from,
                               datetime.combine(today, dtime(1), LOCAL_TZ))
    with _bar("Nhật ký / audit events", len(log), progress) as bar:
        last = events.write(log, progress=bar.update)
    db.session.commit()
    events.advance_anchor(*last)
    done("audit log")

    phase("search index")
    indexed = reindex(progress=progress)
    done("search index")

    phase("statistics")
    _analyze()
    done("statistics")

    echo(f"Province data set: {len(hist)} procedures ({commits} commits, "
         f"{sum(len(h.issues) for h in hist)} issues) of {len(cast.units)} units, {n_reviews} reviews in "
         f"{len(years)} closed cycles, {n_reports} objective reports over {len(plans)} years, {n_capa} CAPA, "
         f"{len(log)} audit events ({logins} sign-ins), {indexed} documents indexed.")
    return timings


def _analyze() -> None:
    """PostgreSQL: VACUUM ANALYZE after the bulk load, as advised after loading data and as autovacuum would do
    later (it may be off): the planner then knows the tables' sizes and counts read the indexes only."""
    if db.engine.dialect.name != "postgresql":
        return
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM ANALYZE {tables}")
