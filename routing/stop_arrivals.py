"""A transit router of its own, behind a lock, that also answers one-to-all arrival times at stops.

The combined modes and the isochrones run RAPTOR searches besides the plain transit option; they
use this router so that its label arrays are never shared between two threads at once.

``arrivals`` needs RAPTOR's per-stop labels, which :class:`routing.transit.TransitRouter` does not
return: it reads the router's label state after a search whose only target can never bound it (an
egress ``UNBOUNDED_EGRESS_S`` seconds long, so target pruning never cuts a label). The public API this
stands in for is ``TransitRouter.arrivals(query) -> per-stop earliest arrival``.
"""

from __future__ import annotations

import threading

import numpy as np
from numpy.typing import NDArray

from routing.transit import Timetable, TransitQuery, TransitRouter
from routing.transit.dates import service_base
from routing.transit.query import TransitAnswer
from routing.transit.raptor import INF

UNBOUNDED_EGRESS_S = 10**8  # three years: larger than any arrival, finite as the query requires


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

    def route(self, query: TransitQuery) -> TransitAnswer:
        """Journeys for ``query`` (as :meth:`TransitRouter.route`)."""
        with self._lock:
            return self._router.route(query)

    def arrivals(self, query: TransitQuery) -> tuple[NDArray[np.float64], list[dict[str, str]]]:
        """Seconds from ``query.at`` to the earliest arrival at every stop (inf: not reached), and notices.

        Only depart-at queries without a window; ``query.egress`` is ignored.
        """
        q = TransitQuery(
            access=query.access,
            egress=((query.access[0][0], float(UNBOUNDED_EGRESS_S)),),
            at=query.at,
            max_transfers=query.max_transfers,
            exclude_route_types=query.exclude_route_types,
            strict_dates=query.strict_dates,
        )
        router = self._router
        tz = router.tz
        local = q.at.astimezone(tz)
        t_query = (q.at - service_base(local.date(), tz)).total_seconds()
        with self._lock:
            answer = router.route(q)
            state = router._states[False]  # noqa: SLF001 - see the module docstring
            best = np.minimum(state.best_ride, state.best_walk)
        secs = np.where(best >= INF // 2, np.inf, best.astype(np.float64) - t_query)
        notices = [n for n in answer.notices if n.get("code") in ("stale_feed", "outside_feed_dates")]
        return secs, notices
