"""Footprint log: opt-in, private, owned by its user (placeholder until it is written)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the footprint blueprint, database and CLI commands on ``app``."""
