"""The yearly-review blueprint, shared by the page, action and report route modules (no circle)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reviews", __name__)
