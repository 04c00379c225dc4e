"""Shared fixtures for the search tests: a fresh index of the sample procedures."""

import pytest

from app.search import SearchIndex
from tests.search.helpers import sample_procedures


@pytest.fixture
def index(tmp_path):
    ix = SearchIndex(tmp_path / "index")
    ix.rebuild(sample_procedures())
    yield ix
    ix.close()


@pytest.fixture
def empty_index(tmp_path):
    ix = SearchIndex(tmp_path / "index")
    yield ix
    ix.close()
