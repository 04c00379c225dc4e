"""The document-control blueprint, shared by the reading and the editing route modules (no circle)."""
from __future__ import annotations

from flask import Blueprint

from app.procedures import deferred

bp = Blueprint("procedures", __name__)
# the search-index thread writes between requests (app/procedures/deferred.py)
bp.before_app_request(deferred.request_started)
bp.teardown_app_request(deferred.request_finished)
