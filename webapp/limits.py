"""Overload guard: a per-process and per-client limit on the queries that compute, refused at once.

A plan or an isochrone is CPU-bound and holds the GIL, so in one worker process more of them at
once only makes each slower. Beyond ``MAX_INFLIGHT`` running queries (default 1 per process) a
request gets ``503 overloaded`` with ``Retry-After`` straight away: no thread waits for a slot, so
the threads stay free to refuse quickly and to answer the cheap endpoints (``/api/health``, static
files, the footprint log). ``CLIENT_MAX_INFLIGHT`` (default 1) caps the slots one client address
holds at once in a process, so one client cannot take every slot when there are several.

Nothing is computed for a client that has gone: just before a query starts, a client that closed
its connection (while its request queued for a thread) is answered ``499`` without computing.

The time budget (``QUERY_BUDGET_S``) is a deadline counted from the moment the request had fully
arrived (the gunicorn worker puts that time in the environ under :data:`ARRIVED_KEY`), so time
spent queued for a thread counts too. Searches check it inside (street modes, RAPTOR range runs,
combined modes, isochrones) and raise ``QueryTimeout``, answered ``503 timeout``; the slot is
released in teardown either way, so the worker stays healthy.

Before anything else, a request's query string must be UTF-8 (else 400 ``invalid_encoding``).
Nothing here logs the request: no places in the logs.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, g, request

from webapp.errors import ApiError

GUARDED_PATHS = frozenset({"/api/plan", "/api/isochrone"})
RETRY_AFTER_S = 1
# The WSGI environ key of the perf_counter() time at which the whole request had arrived.
ARRIVED_KEY = "greenroute.arrived"
# Status of an answer nobody reads (nginx's code for "client closed the request").
CLIENT_GONE = 499
_EXT = "greenroute_limits"


@dataclass
class InflightLimit:
    """Slots for queries in this process, at most ``per_client`` of them held by one client.

    Parameters
    ----------
    capacity
        Queries allowed to run at once in this process.
    per_client
        Queries one client (address) may run at once in this process.
    """

    capacity: int
    per_client: int
    running: int = 0
    refused: int = 0
    _by_client: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, client: str) -> bool:
        """Take a slot for ``client`` without waiting; False when none is free for it."""
        with self._lock:
            held = self._by_client.get(client, 0)
            if self.running >= self.capacity or held >= self.per_client:
                self.refused += 1
                return False
            self.running += 1
            self._by_client[client] = held + 1
            return True

    def release(self, client: str) -> None:
        """Give back a slot taken by :meth:`acquire`."""
        with self._lock:
            self.running -= 1
            held = self._by_client.pop(client, 1) - 1
            if held > 0:
                self._by_client[client] = held


def install(app: Flask) -> InflightLimit:
    """Guard ``app``'s computing endpoints with the limits of its (typed) config.

    Config keys (``GREENROUTE_<KEY>``, see :mod:`webapp.settings`): ``MAX_INFLIGHT``,
    ``CLIENT_MAX_INFLIGHT`` and ``QUERY_BUDGET_S``.
    """
    limit = InflightLimit(capacity=int(app.config["MAX_INFLIGHT"]), per_client=int(app.config["CLIENT_MAX_INFLIGHT"]))
    app.extensions[_EXT] = limit
    app.before_request(_take_slot)
    app.teardown_request(_give_back_slot)
    app.after_request(_retry_after)
    return limit


def limit_of(app: Flask) -> InflightLimit:
    """The in-flight limit installed on ``app`` (read by the worker's event loop too)."""
    limit: InflightLimit = app.extensions[_EXT]
    return limit


def guarded_target(target: bytes) -> bool:
    """Whether a request target (``/api/plan?from=...``) names an endpoint that computes."""
    return target.split(b"?", 1)[0].decode("latin-1") in GUARDED_PATHS


OVERLOADED_MESSAGE = f"the server is answering as many queries as it can; retry in {RETRY_AFTER_S} s"


def current_limit() -> InflightLimit:
    """The in-flight limit of the app handling this request."""
    limit: InflightLimit = current_app.extensions[_EXT]
    return limit


def query_deadline(*, cap_setting: str | None = None) -> float:
    """The ``time.perf_counter()`` by which this request's query must be answered: its arrival
    plus ``QUERY_BUDGET_S``, or plus the setting ``cap_setting`` names when that is shorter."""
    arrived = request.environ.get(ARRIVED_KEY)
    if not isinstance(arrived, float):
        arrived = g.get("greenroute_t0") or time.perf_counter()
    budget = float(current_app.config["QUERY_BUDGET_S"])
    if cap_setting is not None:
        budget = min(budget, float(current_app.config[cap_setting]))
    return float(arrived) + budget


def client_gone(environ: dict[str, Any]) -> bool:
    """Whether the client of this request has closed its connection (False when unknown)."""
    sock = environ.get("gunicorn.socket")
    if not isinstance(sock, socket.socket):
        return False
    try:
        # A closed peer reads as end of file; a live idle one has nothing to read yet.
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


def _take_slot() -> None:
    _check_query_encoding()
    if request.path not in GUARDED_PATHS:
        return
    client = request.remote_addr or ""
    if not current_limit().acquire(client):
        raise ApiError(
            503,
            "overloaded",
            OVERLOADED_MESSAGE,
            retry_after_s=RETRY_AFTER_S,
        )
    g.greenroute_slot = client
    if client_gone(request.environ):
        raise ApiError(CLIENT_GONE, "client_gone", "the client closed the connection before the query started")


def _check_query_encoding() -> None:
    # Werkzeug decodes the query string strictly on first use of request.args: raw bytes that are
    # not UTF-8 would surface as a UnicodeDecodeError (a 500) inside whichever view reads them.
    try:
        request.query_string.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(
            400, "invalid_encoding", "the query string is not valid UTF-8: percent-encode it (e.g. %C3%A9 for é)"
        ) from None


def _give_back_slot(_exc: BaseException | None) -> None:
    client = g.pop("greenroute_slot", None)
    if client is not None:
        current_limit().release(client)


def _retry_after(resp: Response) -> Response:
    if resp.status_code == 503 and request.path.startswith("/api/"):
        resp.headers.setdefault("Retry-After", str(RETRY_AFTER_S))
    return resp
