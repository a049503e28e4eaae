"""The map page (placeholder until the UI is written)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ui", __name__)
