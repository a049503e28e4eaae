"""Footprint log: opt-in, private, owned by its user.

:func:`init_app` creates the database engine, applies the migrations and creates the rate-limit
buckets; :data:`BLUEPRINTS` are the JSON API (``/api/footprint``) and the "My log" page
(``/log``), each defining its own routes, which :func:`webapp.create_app` registers.
:data:`PRIVATE_PATHS` are the paths :mod:`webapp.security_headers` keeps out of every cache.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from webapp.footprint import api_log, api_porting, api_trips, migrate, pages
from webapp.footprint.db import init_engine
from webapp.footprint.guard import init_limits
from webapp.footprint.paths import PRIVATE_PATHS

BLUEPRINTS: tuple[Blueprint, ...] = (api_log.bp, api_trips.bp, api_porting.bp, pages.bp)


def init_app(app: Flask) -> None:
    """Create the footprint database (migrated to the newest schema) and rate limits of ``app``.

    Config keys: ``DATABASE_URL``, ``FOOTPRINT_AUTH`` ("key" or "accounts"),
    ``FOOTPRINT_IMPORT_MAX_BYTES``, ``FOOTPRINT_MAX_ENTRIES`` (default 50,000 per log),
    ``FOOTPRINT_RATE_KEYS`` (default "20/hour"), ``FOOTPRINT_RATE_WRITES`` (default "120/minute")
    and ``FOOTPRINT_RATE_READS`` (default "600/minute") per client address, kept where
    ``RATE_LIMIT_STORE`` says (default: the database, one limit for every worker and instance).
    """
    engine = init_engine(app)
    migrate.upgrade(engine)
    # No connection opened here may be inherited by forked workers.
    engine.dispose()
    init_limits(app)


__all__ = ["BLUEPRINTS", "PRIVATE_PATHS", "init_app"]
