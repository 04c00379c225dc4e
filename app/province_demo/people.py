"""Phase 1: the province's units and two accounts per new unit (a member and a head), like the demo's."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from app.auth.models import HEAD, MEMBER, Unit, User, UserRole
from app.demo import DEMO_PASSWORD, UNITS as DEMO_UNITS
from app.extensions import db
from app.province_demo import texts
from app.province_demo.events import EventLog, fix_sequence, next_id
from app.store import Author


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    full_name: str
    email: str
    unit_code: str | None

    @property
    def author(self) -> Author:
        """As app.procedures.core.author_of(user)."""
        email = (self.email or f"{self.username}@users.qms.local").replace("<", "").replace(">", "")
        return Author(self.full_name.replace("<", "").replace(">", "") or self.username, email)


@dataclass
class Cast:
    units: dict[str, int]                 # code -> id, of the units procedures are spread over
    unit_names: dict[str, str]
    members: dict[str, Person]            # unit code -> its member (drafts, records reviews)
    heads: dict[str, Person]              # unit code -> its head (submits, confirms)
    secretary: Person
    leader: Person
    everyone: list[Person]


def _person(u: User) -> Person:
    return Person(u.id, u.username, u.full_name, u.email or "", u.unit.code if u.unit else None)


def build(count: int, created_at: datetime, log: EventLog, rng: random.Random) -> Cast:
    """Create the units (and their accounts) missing among the first `count` of the province's list."""
    wanted = texts.unit_list(count, DEMO_UNITS)
    have = {u.code: u for u in db.session.scalars(select(Unit))}
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    actor = _person(admin) if admin else None
    password_hash = User(username="x", full_name="x")
    password_hash.set_password(DEMO_PASSWORD)  # one hash for every new account: the demo's password
    unit_id, user_id = next_id(Unit), next_id(User)
    unit_rows, user_rows, role_rows = [], [], []
    for code, name in wanted:
        if code in have:
            continue
        email = f"{code.lower()}@sokhcn.example.gov.vn"
        unit_rows.append({"id": unit_id, "code": code, "name": name, "email": email, "active": True})
        log.add(created_at, actor, "unit.create", "unit", code, f"Tạo đơn vị {code}",
                {"after": {"code": code, "name": name, "email": email, "active": True}}, unit_code=code)
        for suffix, role in ((".cv", MEMBER), (".tp", HEAD)):
            username = code.lower() + suffix
            full = texts.person(rng)
            user_rows.append({"id": user_id, "username": username, "full_name": full,
                              "email": f"{username}@sokhcn.example.gov.vn", "unit_id": unit_id, "active": True,
                              "password_hash": password_hash.password_hash, "session_version": 1, "locale": "vi",
                              "created_at": created_at})
            role_rows.append({"user_id": user_id, "role": role})
            log.add(created_at, actor, "account.create", "account", user_id, f"Tạo tài khoản {username}",
                    {"after": {"username": username, "full_name": full,
                               "email": f"{username}@sokhcn.example.gov.vn", "unit": code, "active": True,
                               "roles": [role]}}, unit_code=code)
            user_id += 1
        unit_id += 1
    if unit_rows:
        db.session.execute(insert(Unit), unit_rows)
        db.session.execute(insert(User), user_rows)
        db.session.execute(insert(UserRole), role_rows)
        for table in ("unit", "user", "user_role"):
            fix_sequence(table)
    db.session.flush()
    db.session.expire_all()
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    users = {u.username: u for u in db.session.scalars(select(User))}
    codes = [code for code, _name in wanted]
    return Cast(
        units={c: units[c].id for c in codes}, unit_names={c: units[c].name for c in codes},
        members={c: _person(users[f"{c.lower()}.cv"]) for c in codes},
        heads={c: _person(users[f"{c.lower()}.tp"]) for c in codes},
        secretary=_person(users["thuky"]), leader=_person(users["lanhdao"]),
        everyone=[_person(u) for u in users.values() if u.active])
