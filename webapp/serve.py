"""``greenroute serve``: gunicorn with the city loaded before the workers fork.

The compiled city's arrays are memory-mapped and the planner is built in the master process, so
every worker shares one copy (copy-on-write) and memory does not grow with the number of workers.
A worker that dies is replaced by gunicorn's master.

``kill -HUP <master>`` switches to the city's newest build without dropping a request: the master
loads the build that matches the current seeds (``greenroute build`` wrote it to a new folder), forks
new workers from it, and lets the old workers finish what they are serving.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from typing import Any

from flask import Flask

log = logging.getLogger("greenroute.serve")

# The young generation's collection threshold in the serving processes (Python's default is 700).
# A plan makes and drops tens of thousands of lists and dicts (its legs, steps and answer), and at
# 700 the collector ran about once a plan, each run walking the plan's young objects: 0.24 ms a
# plan in process. At 10,000 it runs once in ten plans (0.02 ms), and unreachable cycles wait at
# most 10,000 allocations to be freed. Above ~25,000 the rare runs took longer than they saved.
GC_YOUNG_THRESHOLD = 10_000


def _gunicorn_app(make_app: Any, app: Flask, options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):
        def __init__(self) -> None:
            self.flask_app = app
            super().__init__()

        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return self.flask_app

        def reload(self) -> None:
            # HUP: with preload_app gunicorn would fork the new workers from the old app; load the
            # newest build in the master first. If that fails the old city keeps serving.
            super().reload()
            try:
                self.flask_app = make_app()
            except Exception as exc:  # noqa: BLE001 - a bad new build must not take the server down
                log.error("reload failed, still serving the previous build: %s", getattr(exc, "message", exc))
                return
            self.callable = None
            log.info("reloaded: serving %s", self.flask_app.extensions["greenroute_city"].folder.name)

    return _App()


def _setting(app: Flask, given: Any, key: str, default: Any, cast: type) -> Any:
    """A serve option: the command line wins, then config (GREENROUTE_* or instance/config.py)."""
    value = given if given is not None else app.config.get(key, default)
    try:
        return cast(value)
    except (TypeError, ValueError):
        raise SystemExit(f"greenroute serve: {key} must be a {cast.__name__}, not {value!r}") from None


def serve(
    *, city: str | None, host: str | None = None, port: int | None = None, workers: int | None, threads: int | None
) -> int:
    """Build the city if needed, load it once, and serve until interrupted."""
    from webapp import create_app

    if city:
        os.environ["GREENROUTE_CITY"] = city  # read by create_app like any GREENROUTE_* setting
    app = create_app()
    host = _setting(app, host, "HOST", "127.0.0.1", str)
    port = _setting(app, port, "PORT", 8000, int)
    workers = _setting(app, workers, "WORKERS", 1, int)
    threads = _setting(app, threads, "THREADS", 4, int)
    if workers < 1 or threads < 1:
        print("greenroute serve: --workers and --threads must be at least 1", file=sys.stderr)
        return 2
    loaded = app.extensions["greenroute_city"]
    log.info(
        "serving %s from %s on http://%s:%d with %d worker(s)", loaded.config.name, loaded.folder, host, port, workers
    )
    print(
        f"greenroute: serving {loaded.config.name} on http://{host}:{port} ({workers} worker(s) x {threads} threads)",
        file=sys.stderr,
        flush=True,
    )
    if sys.platform == "win32":  # gunicorn needs fork; waitress is the portable production server
        from waitress import serve as waitress_serve

        waitress_serve(app, host=host, port=port, threads=threads * workers)
        return 0
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "webapp.gunicorn_worker.JsonErrorWorker",
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "backlog": 256,
        "accesslog": None,  # webapp.logs writes one JSON line per request, without client addresses
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": f"greenroute-{loaded.config.name}",
    }
    # The loaded city's Python objects live in the master's pages; a worker's garbage collector would
    # write to every one of them (gc headers) and so copy them all. Frozen objects are never scanned.
    # No gc.collect() first (the gc module's advice for forking servers): on Porto Alegre it walked
    # 180,000 objects for 0.1 s of the start to free 7 of them.
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)  # inherited by the forked workers
    _gunicorn_app(create_app, app, options).run()
    return 0
