"""The objectives blueprint, shared by the plan, period and import route modules (no circle)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("objectives", __name__)
