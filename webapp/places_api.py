"""Geocoding and base-map endpoints (placeholder until the place index lands)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("places_api", __name__, url_prefix="/api")
