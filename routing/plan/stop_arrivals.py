"""A transit router of its own, behind a lock, that answers one-to-all arrival times at stops.

The isochrones run an unbounded RAPTOR search besides the plain transit searches; they use this
one router, shared by every thread, so that its label arrays are never written by two threads at
once (the combined modes ride the thread's own router of the plain search instead).
"""

from __future__ import annotations

import threading

import numpy as np
from numpy.typing import NDArray

from routing.core.deadline import acquire_by
from routing.transit import Timetable, TransitQuery, TransitRouter


class StopArrivals:
    """A locked :class:`TransitRouter` on ``timetable``."""

    def __init__(self, timetable: Timetable) -> None:
        self.tt = timetable
        self._router = TransitRouter(timetable)
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Build this router's networks now, so the first combined plan or isochrone is not slower."""
        with self._lock:
            self._router.warm_up()

    def arrivals(
        self, query: TransitQuery, *, deadline: float | None = None
    ) -> tuple[NDArray[np.float64], list[dict[str, str]]]:
        """Seconds from ``query.at`` to the earliest arrival at every stop (inf: not reached), and notices.

        Only depart-at queries without a window; ``query.egress`` is ignored.
        """
        acquire_by(self._lock, deadline, "the transit search")
        try:
            secs, answer = self._router.arrivals(query, deadline=deadline)
        finally:
            self._lock.release()
        notices = [n for n in answer.notices if n.get("code") in ("stale_feed", "outside_feed_dates")]
        return secs, notices
