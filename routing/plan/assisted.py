"""E-bike and e-scooter routes: the bike graph's route, retimed edge by edge with their own speeds.

The path is the one a cyclist's fastest search finds (the bike graph's CCH metric, so no second
index is customised); its duration, and every step's, are then the sum over its edges of length
over the assisted speed on that edge's slope (:mod:`routing.plan.assisted_speeds`).
"""

from __future__ import annotations

import copy

import numpy as np
from numpy.typing import NDArray

from routing.core.errors import NoRoute, NoStreetConnection
from routing.core.walking import KMH_PER_MPS
from routing.plan.assisted_speeds import SPEEDS
from routing.street.graph import SnapPoint, StreetGraph
from routing.street.route import StreetRoute, route

MAX_SLOPE = 0.5  # as the compiled weights: DEM noise on short edges would give absurd slopes


def retimed_edge_ms(graph: StreetGraph, mode: str) -> NDArray[np.int64]:
    """Each edge's travel time (integer ms) at ``mode``'s speed on its slope.

    Where the bike graph pushes the bicycle (footways, against one-way streets, ``bicycle=dismount``:
    :data:`routing.street.schema.PUSH_ARRAY`) the rider walks it too, motor or not, so those edges
    keep the bike graph's walking time.
    """
    length = np.asarray(graph.edge_len, dtype=np.float64)
    dz = np.asarray(graph.edge_dz, dtype=np.float64)
    slope = np.where(length > 1.0, dz / np.maximum(length, 1.0), 0.0).clip(-MAX_SLOPE, MAX_SLOPE)
    seconds = length / (SPEEDS[mode](slope) / KMH_PER_MPS)
    ms = np.maximum(1, np.rint(seconds * 1000.0)).astype(np.int64)
    if graph.edge_push is not None:
        ms = np.where(np.asarray(graph.edge_push, dtype=bool), np.asarray(graph.edge_ms, dtype=np.int64), ms)
    return ms


class AssistedRoutes:
    """Routes of the assisted modes on one bike graph (thread-safe: the searches are per thread).

    Parameters
    ----------
    bike
        The compiled bike graph.
    """

    def __init__(self, bike: StreetGraph) -> None:
        self.bike = bike
        self._timed: dict[str, StreetGraph] = {}
        for mode in SPEEDS:
            # A shallow copy shares every array and the CCH; only the weights used to time the
            # assembled route, and the mode name on it, differ.
            timed = copy.copy(bike)
            timed.edge_ms = retimed_edge_ms(bike, mode)
            timed.mode = mode
            self._timed[mode] = timed

    def route(self, mode: str, origin: SnapPoint, destination: SnapPoint) -> StreetRoute:
        """The bike route from ``origin`` to ``destination`` (snapped to the bike graph), timed for ``mode``.

        Raises
        ------
        SameOriginDestination
            If both snap to the same point.
        NoRoute
            If the bike graph does not connect them.
        """
        try:
            return route(self.bike, origin, destination, timed=self._timed[mode])
        except NoStreetConnection:
            raise  # already says which network does not join them
        except NoRoute:
            raise NoRoute(f"no {mode} route between these points on the cycling network", argument="to") from None
