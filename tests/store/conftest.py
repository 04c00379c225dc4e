"""Fixtures for the store tests: a fresh store in tmp_path and the people who work on procedures."""
from __future__ import annotations

import pytest

from app.store import Author, ProcedureStore


@pytest.fixture
def store(tmp_path):
    s = ProcedureStore(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def drafter():
    return Author("Nguyễn Văn An", "an@skhcn.example.vn")


@pytest.fixture
def reviewer():
    return Author("Trần Thị Bình", "binh@skhcn.example.vn")


@pytest.fixture
def approver():
    return Author("Lê Văn Cường", "cuong@skhcn.example.vn")
