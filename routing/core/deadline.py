"""A query's time budget as a deadline (a ``time.perf_counter()`` value) that searches check."""

from __future__ import annotations

import threading
import time

from routing.core.errors import QueryTimeout


def check_deadline(deadline: float | None, what: str) -> None:
    """Raise :class:`QueryTimeout` when ``deadline`` has passed (``None``: no budget).

    ``what`` names the search in the message, e.g. ``"the isochrone"``.
    """
    if deadline is not None and time.perf_counter() > deadline:
        raise QueryTimeout(f"{what} took longer than its time budget; try again or ask for less")


def acquire_by(lock: threading.Lock, deadline: float | None, what: str) -> None:
    """Take ``lock``, waiting no later than ``deadline``; :class:`QueryTimeout` when that passes.

    A query that waits for a shared search state must not wait past its own budget.
    """
    if deadline is None:
        lock.acquire()
        return
    if not lock.acquire(timeout=max(0.0, deadline - time.perf_counter())):
        raise QueryTimeout(f"{what} waited for a search longer than its time budget; retry in a moment")
