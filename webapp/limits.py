"""Overload guard: a per-process limit on the queries that compute, and 503s that come back fast.

A plan or an isochrone is CPU-bound and holds the GIL, so in one worker process more of them at
once only makes each slower: beyond ``MAX_INFLIGHT`` running queries a request waits at most
``QUEUE_WAIT_S`` for a slot and then gets ``503 overloaded`` (with ``Retry-After``) instead of
queueing behind the others until every client times out. The server needs more threads than
``MAX_INFLIGHT`` (``greenroute serve`` has 4 per worker by default) so that spare threads are free
to refuse quickly and to answer the cheap endpoints; processes, not threads, add throughput.

One query at a time per process is the default: a second thread would only share the GIL with
the first, so both answers would come later. (It also kept a per-process transit search state
safe before the transit planner got one router per thread.)

A query that outlives its budget (``QUERY_BUDGET_S``; the planner checks it between modes) raises
``QueryTimeout``, answered ``503 timeout`` by ``webapp.errors``; the slot is released in teardown
either way, so the worker stays healthy.

Before anything else, a request's query string must be UTF-8 (else 400 ``invalid_encoding``).
Nothing here logs the request: no places in the logs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, request

from webapp.errors import ApiError

GUARDED_PATHS = frozenset({"/api/plan", "/api/isochrone"})
DEFAULT_MAX_INFLIGHT = 1
DEFAULT_QUEUE_WAIT_S = 1.0
RETRY_AFTER_S = 1
_EXT = "greenroute_limits"


@dataclass
class InflightLimit:
    """A counting semaphore that also counts the queries running and the requests refused.

    Parameters
    ----------
    capacity
        Queries allowed to run at once in this process.
    queue_wait_s
        How long a request may wait for a slot before it is refused.
    """

    capacity: int
    queue_wait_s: float

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(self.capacity)
        self._lock = threading.Lock()
        self.running = 0
        self.refused = 0

    def acquire(self) -> bool:
        """Take a slot, waiting at most ``queue_wait_s``; False when none came free."""
        if not self._slots.acquire(timeout=self.queue_wait_s):
            with self._lock:
                self.refused += 1
            return False
        with self._lock:
            self.running += 1
        return True

    def release(self) -> None:
        """Give back a slot taken by :meth:`acquire`."""
        with self._lock:
            self.running -= 1
        self._slots.release()


def _positive(value: Any, *, name: str) -> float:
    # Settings from GREENROUTE_* environment variables arrive as strings.
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not out > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return out


def install(app: Flask) -> InflightLimit:
    """Guard ``app``'s computing endpoints with an in-flight limit read from its config.

    Config keys (also ``GREENROUTE_MAX_INFLIGHT`` and ``GREENROUTE_QUEUE_WAIT_S``): ``MAX_INFLIGHT``
    (default 1 per process) and ``QUEUE_WAIT_S`` (default 1 s).
    """
    limit = InflightLimit(
        capacity=max(1, int(_positive(app.config.get("MAX_INFLIGHT", DEFAULT_MAX_INFLIGHT), name="MAX_INFLIGHT"))),
        queue_wait_s=_positive(app.config.get("QUEUE_WAIT_S", DEFAULT_QUEUE_WAIT_S), name="QUEUE_WAIT_S"),
    )
    app.extensions[_EXT] = limit
    app.before_request(_take_slot)
    app.teardown_request(_give_back_slot)
    app.after_request(_retry_after)
    return limit


def current_limit() -> InflightLimit:
    """The in-flight limit of the app handling this request."""
    limit: InflightLimit = current_app.extensions[_EXT]
    return limit


def _take_slot() -> None:
    _check_query_encoding()
    if request.path not in GUARDED_PATHS:
        return
    if not current_limit().acquire():
        raise ApiError(
            503,
            "overloaded",
            f"the server is answering as many queries as it can; retry in {RETRY_AFTER_S} s",
            retry_after_s=RETRY_AFTER_S,
        )
    g.greenroute_slot = True


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
    if g.pop("greenroute_slot", False):
        current_limit().release()


def _retry_after(resp: Response) -> Response:
    if resp.status_code == 503 and request.path.startswith("/api/"):
        resp.headers.setdefault("Retry-After", str(RETRY_AFTER_S))
    return resp
