"""Record numbers: CAPA-<year>-NNN, given at creation, gap-free per year, safe under concurrent creation."""
from __future__ import annotations

import threading

from sqlalchemy import select

from app.auth.models import User
from app.capa import services
from app.capa.models import Capa, CapaCounter
from app.extensions import db
from app.timeutil import local_year
from tests.capa.conftest import drive


def _propose(user, year=None, title="Phiếu"):
    return services.propose(user, kind="corrective", source="other", title=title, description="Mô tả",
                            year=year)


def test_numbers_are_given_at_creation_in_order_within_the_year(people):
    first, second = _propose(people.member), _propose(people.other)
    db.session.commit()
    year = local_year()
    assert (first.number, second.number) == (f"CAPA-{year}-001", f"CAPA-{year}-002")
    assert first.status == second.status == "proposed"


def test_each_year_starts_again_at_one(people):
    numbers = [_propose(people.member, year=y).number for y in (2022, 2022, 2023, 2022)]
    db.session.commit()
    assert numbers == ["CAPA-2022-001", "CAPA-2022-002", "CAPA-2023-001", "CAPA-2022-003"]


def test_a_cancelled_record_keeps_its_number_and_the_next_one_follows(people):
    capa = drive(people, "open")
    services.cancel(people.secretary, capa, "Trùng phiếu")
    db.session.commit()
    following = _propose(people.member)
    db.session.commit()
    year = local_year()
    assert capa.number == f"CAPA-{year}-001" and capa.status == "cancelled"
    assert following.number == f"CAPA-{year}-002"


def test_a_creation_that_fails_gives_its_number_back(people):
    _propose(people.member)
    db.session.rollback()  # e.g. the page failed after the number was taken
    capa = _propose(people.member)
    db.session.commit()
    assert capa.number == f"CAPA-{local_year()}-001"
    assert db.session.scalar(select(CapaCounter.last).where(CapaCounter.year == local_year())) == 1


def _create_concurrently(app, user_ids: list[int]) -> tuple[list[str], list[BaseException]]:
    """Each thread has its own app context, hence its own session and connection; all start together."""
    barrier = threading.Barrier(len(user_ids))
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(uid: int, i: int):
        try:
            with app.app_context():
                user = db.session.get(User, uid)
                barrier.wait()
                capa = _propose(user, title=f"Phiếu đồng thời {i}")
                db.session.commit()
                with lock:
                    numbers.append(capa.number)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(uid, i)) for i, uid in enumerate(user_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return numbers, errors


def test_two_records_created_at_the_same_time_get_consecutive_numbers(app, people):
    numbers, errors = _create_concurrently(app, [people.member.id, people.other.id])
    assert errors == []
    year = local_year()
    assert sorted(numbers) == [f"CAPA-{year}-001", f"CAPA-{year}-002"]


def test_many_simultaneous_creations_leave_no_gap_and_no_duplicate(app, people):
    ids = [people.member.id, people.other.id, people.head.id, people.secretary.id] * 2
    numbers, errors = _create_concurrently(app, ids)
    assert errors == []
    year = local_year()
    assert sorted(numbers) == [f"CAPA-{year}-{n:03d}" for n in range(1, len(ids) + 1)]
    db.session.expire_all()
    stored = db.session.scalars(select(Capa.seq).where(Capa.year == year).order_by(Capa.seq)).all()
    assert stored == list(range(1, len(ids) + 1))
    # every creation left its audit event too: the chain did not fork under the race
    from app.audit.services import verify_chain

    assert verify_chain().ok


def test_a_creation_waits_for_an_unfinished_one_and_takes_the_next_number(app, people):
    """The first transaction holds its number uncommitted while the second one starts."""
    year = local_year()
    started = threading.Event()
    result: dict = {}

    def second():
        try:
            with app.app_context():
                user = db.session.get(User, people.other.id)
                started.set()
                capa = _propose(user, title="Phiếu thứ hai")  # blocks until the first commits
                db.session.commit()
                result["number"] = capa.number
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001
            result["error"] = exc
            started.set()

    with app.app_context():
        first = _propose(db.session.get(User, people.member.id), title="Phiếu thứ nhất")
        thread = threading.Thread(target=second)
        thread.start()
        started.wait()
        db.session.commit()
        first_number = first.number
        db.session.remove()
    thread.join()
    assert "error" not in result, result.get("error")
    assert (first_number, result["number"]) == (f"CAPA-{year}-001", f"CAPA-{year}-002")
