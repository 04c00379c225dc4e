"""Full-text search over procedures with Vietnamese diacritic folding (Whoosh, no Flask)."""

from app.search.index import SearchIndex
from app.search.models import (
    ALL, NOTICE_MESSAGES, Hit, IndexedProcedure, QueryError, SearchResults,
)
from app.search.query import parse_query

__all__ = [
    "ALL", "NOTICE_MESSAGES", "Hit", "IndexedProcedure", "QueryError", "SearchIndex",
    "SearchResults", "parse_query",
]
