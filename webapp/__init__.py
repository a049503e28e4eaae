"""The greenroute Flask application (app factory, one blueprint per area)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from webapp import settings
from webapp.errors import register_error_handlers


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app.

    Configuration comes, in increasing priority, from built-in defaults, ``instance/config.py``,
    ``GREENROUTE_*`` environment variables and ``test_config``.
    """
    instance = os.environ.get("GREENROUTE_INSTANCE")  # e.g. /etc/greenroute: config.py and the SQLite log
    settings.check_paths()
    app = Flask(__name__, instance_path=os.path.abspath(instance) if instance else None, instance_relative_config=True)
    app.config.from_mapping(settings.defaults())
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_mapping(settings.from_env())
    else:
        app.config.from_mapping(test_config)
    app.config.update(settings.validate(app.config))
    if app.config["DATABASE_URL"] is None:
        app.config["DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "footprint.sqlite")
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

    from webapp import api, footprint, isochrone_api, openapi, places_api, security_headers, ui

    security_headers.install(app, private_paths=footprint.PRIVATE_PATHS)
    footprint.init_app(app)
    for bp in (api.bp, places_api.bp, isochrone_api.bp, openapi.bp, ui.bp, *footprint.BLUEPRINTS):
        app.register_blueprint(bp)
    if app.config["LOAD_CITY"]:
        from webapp.runtime import init_city

        init_city(app)
    return app


__all__ = ["create_app"]
