"""``greenroute serve``: gunicorn with the city loaded before the workers fork.

The compiled city's arrays are memory-mapped and the planner is built in the master process, so
every worker shares one copy (copy-on-write) and memory does not grow with the number of workers.
A worker that dies is replaced by gunicorn's master.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from flask import Flask


def _gunicorn_app(app: Flask, options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    return _App()


def serve(*, city: str | None, host: str, port: int, workers: int, threads: int) -> int:
    """Build the city if needed, load it once, and serve until interrupted."""
    from webapp import create_app

    if workers < 1 or threads < 1:
        print("greenroute serve: --workers and --threads must be at least 1", file=sys.stderr)
        return 2
    if city:
        os.environ["GREENROUTE_CITY"] = city  # read by create_app like any GREENROUTE_* setting
    app = create_app()
    name = app.extensions["greenroute_city"].config.name
    logging.getLogger("greenroute").info("serving %s on http://%s:%d with %d worker(s)", name, host, port, workers)
    print(
        f"greenroute: serving {name} on http://{host}:{port} ({workers} worker(s) x {threads} threads)",
        file=sys.stderr,
        flush=True,
    )
    if sys.platform == "win32":  # gunicorn needs fork; waitress is the portable production server
        from waitress import serve as waitress_serve

        waitress_serve(app, host=host, port=port, threads=threads * workers)
        return 0
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "backlog": 256,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }
    _gunicorn_app(app, options).run()
    return 0
