"""The greenroute Flask application (app factory, one blueprint per area)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from webapp.errors import register_error_handlers

_ENV_PREFIX = "GREENROUTE_"


def _defaults(instance_path: str) -> dict[str, Any]:
    return {
        "CITY": None,  # None: the only built/seeded city, else porto-alegre
        "DATABASE_URL": "sqlite:///" + str(Path(instance_path) / "footprint.sqlite"),
        "TILE_URL": None,  # e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png"; none by default
        "TILE_ATTRIBUTION": "© OpenStreetMap contributors",
        "CORS_ORIGINS": None,  # CORS off unless configured
        "LOG_LEVEL": "INFO",
        "REQUEST_LOG": True,  # one JSON line per request, no personal data (webapp.logs)
        "QUERY_BUDGET_S": 5.0,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "FOOTPRINT_AUTH": "key",  # "key" (anonymous personal key) or "accounts"
        "FOOTPRINT_IMPORT_MAX_BYTES": 1024 * 1024,
        "AUTO_BUILD": True,
        "LOAD_CITY": True,
    }


def _from_env() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in os.environ.items():
        if key.startswith(_ENV_PREFIX) and key not in ("GREENROUTE_HOME", "GREENROUTE_GRAPHS"):
            out[key[len(_ENV_PREFIX) :]] = value
    return out


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app.

    Configuration comes, in increasing priority, from built-in defaults, ``instance/config.py``,
    ``GREENROUTE_*`` environment variables and ``test_config``.
    """
    instance = os.environ.get("GREENROUTE_INSTANCE")  # e.g. /etc/greenroute: config.py and the SQLite log
    app = Flask(__name__, instance_path=os.path.abspath(instance) if instance else None, instance_relative_config=True)
    app.config.from_mapping(_defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_mapping(_from_env())
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from webapp.jsonfast import OrjsonProvider  # orjson: a plan's JSON 5x cheaper, same content

    app.json = OrjsonProvider(app)
    register_error_handlers(app)
    from webapp import cors, logs

    logs.init_app(app)
    cors.init_app(app)
    from webapp import limits, proxy  # overload guard; client addresses behind TRUSTED_PROXIES

    limits.install(app)
    proxy.install(app)

    from webapp import api, footprint, isochrone_api, openapi, places_api, ui

    app.register_blueprint(api.bp)
    app.register_blueprint(places_api.bp)
    app.register_blueprint(isochrone_api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(ui.bp)
    footprint.init_app(app)
    if app.config["LOAD_CITY"]:
        from webapp.runtime import init_city

        init_city(app)
    return app


__all__ = ["create_app"]
