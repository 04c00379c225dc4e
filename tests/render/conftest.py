"""Shared fixtures for the render tests."""

import pytest

from app.render import render_cache
from tests.render.render_sample import vietnamese_procedure


@pytest.fixture
def procedure_text() -> str:
    return vietnamese_procedure()


@pytest.fixture(autouse=True)
def empty_render_cache():
    # The process-wide cache would otherwise carry results from one test into the next.
    render_cache().clear()
    yield
    render_cache().clear()
