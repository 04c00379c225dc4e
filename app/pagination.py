"""One pagination helper for every list page: a count query and one page of rows."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, select

from app.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, size: int = 2):
        lo, hi = max(1, self.page - size), min(self.pages, self.page + size)
        return range(lo, hi + 1)


def paginate(stmt, page: int, per_page: int, *, scalars: bool = True) -> Page:
    page = max(1, page or 1)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = max(1, ceil(total / per_page))
    page = min(page, last)
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars().unique() if scalars else result)
    return Page(items, page, per_page, total)
