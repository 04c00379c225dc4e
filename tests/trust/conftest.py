"""The document-control fixtures (people, dc, draft, issued) for the trust tests."""
from tests.procedures.conftest import dc, draft, issued, people  # noqa: F401
