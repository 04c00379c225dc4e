"""The document-control blueprint, shared by the reading and the editing route modules (no circle)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("procedures", __name__)
