"""Footprint log: opt-in, private, owned by its user.

``init_app`` creates the database engine, applies the migrations, registers the JSON API
(``/api/footprint``) and the "My log" page (``/log``), and adds the app-wide security headers.
"""

from __future__ import annotations

from flask import Flask

from webapp.footprint import migrate
from webapp.footprint.db import init_engine
from webapp.footprint.guard import init_limits, security_headers


def init_app(app: Flask) -> None:
    """Register the footprint blueprints, database and security headers on ``app``.

    Config keys: ``DATABASE_URL``, ``FOOTPRINT_AUTH`` ("key" or "accounts"),
    ``FOOTPRINT_IMPORT_MAX_BYTES``, ``FOOTPRINT_MAX_ENTRIES`` (default 50,000 per log),
    ``FOOTPRINT_RATE_KEYS`` (default "20/hour"), ``FOOTPRINT_RATE_WRITES`` (default "120/minute")
    and ``FOOTPRINT_RATE_READS`` (default "600/minute") per client address, kept where
    ``RATE_LIMIT_STORE`` says (default: the database, one limit for every worker and instance).
    """
    from webapp.footprint import api_log, api_porting, api_trips, pages  # noqa: F401 (routes)
    from webapp.footprint.blueprint import bp

    engine = init_engine(app)
    migrate.upgrade(engine)
    # No connection opened here may be inherited by forked workers.
    engine.dispose()
    init_limits(app)
    app.register_blueprint(bp)
    app.register_blueprint(pages.bp)
    app.after_request(security_headers)
