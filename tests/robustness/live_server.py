"""``greenroute serve`` (gunicorn) in a child process on 127.0.0.1, for the overload and fault tests."""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from tests.selfhost.helpers import free_port
from tests.support import live_server as serving


@dataclass
class Answer:
    """One HTTP exchange as a client saw it: status (0 when the connection failed), body, time taken."""

    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]
    seconds: float
    failure: str | None = None


@dataclass
class LiveServer:
    """A running ``greenroute serve``: its master process and base URL."""

    proc: subprocess.Popen[bytes]
    base: str
    log: Path

    def workers(self) -> set[int]:
        """Pids of the gunicorn workers (children of the master)."""
        try:
            return {p.pid for p in psutil.Process(self.proc.pid).children()}
        except psutil.NoSuchProcess:
            return set()

    def get(self, path: str, *, timeout: float = 30.0) -> Answer:
        """GET ``path``; HTTP errors are answers too, a failed connection is status 0."""
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as resp:
                return Answer(resp.status, json.load(resp), dict(resp.headers), time.perf_counter() - t0)
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"raw": raw[:200].decode(errors="replace")}
            return Answer(err.code, body, dict(err.headers), time.perf_counter() - t0)
        # A body cut off by a killed worker (IncompleteRead) is a failed exchange, not a crash.
        except (OSError, ValueError, http.client.HTTPException) as exc:
            return Answer(0, None, {}, time.perf_counter() - t0, failure=f"{type(exc).__name__}: {exc}")


@contextlib.contextmanager
def live_server(tmp: Path, *, workers: int, threads: int, **settings: str) -> Iterator[LiveServer]:
    """Serve Porto Alegre with ``greenroute serve`` on a free loopback port until the block ends.

    ``settings`` become ``GREENROUTE_<NAME>`` environment variables (e.g. ``QUERY_BUDGET_S="0.3"``).
    The footprint database is a new SQLite file in ``tmp``.
    """
    port = free_port()
    env = {"GREENROUTE_DATABASE_URL": f"sqlite:///{tmp / 'footprint.sqlite'}"}
    env.update({f"GREENROUTE_{k}": v for k, v in settings.items()})
    log = tmp / f"server-{port}.log"
    proc = serving.start(port=port, workers=workers, threads=threads, log=log, env=env)
    server = LiveServer(proc=proc, base=f"http://127.0.0.1:{port}", log=log)
    try:
        deadline = time.monotonic() + serving.START_LIMIT_S
        while len(server.workers()) < workers and time.monotonic() < deadline:
            time.sleep(0.05)  # the first worker may answer /api/health before the others fork
        yield server
    finally:
        serving.stop(proc)
