"""Management review fixtures: the internal audit people plus a planned meeting."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.management_review import services
from app.timeutil import local_today
from tests.internal_audits.conftest import people, procedure  # noqa: F401  (shared fixtures)


def meeting(people, on=None, title="Họp xem xét của lãnh đạo"):
    on = on or local_today()
    review = services.create(people.secretary, year=on.year, title=title, meeting_on=on, chair=people.leader,
                             attendees="Ban Giám đốc, trưởng các phòng")
    db.session.commit()
    return review


@pytest.fixture
def review(people):
    return meeting(people, local_today() - timedelta(days=1))
