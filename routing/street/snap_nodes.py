"""Snap many points (transit stops, car parks) to graph nodes through the nearest street.

A point is snapped as an endpoint is (:func:`routing.street.route.snap`): to the nearest street of a
kept component, preferring the larger of two about equally near; it is then joined to the nearer end
of that street's segment. Snapping to the nearest node instead would pick a node of a side street
or a dropped island when the street beside the point has its nodes far apart.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from routing.core.geo import haversine_m
from routing.street.graph import StreetGraph
from routing.street.route import prefer_larger


def nearest_street_nodes(
    g: StreetGraph, lat: NDArray[np.float64], lon: NDArray[np.float64], *, max_m: float
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """For each point: the node it joins (-1 when no kept street lies within ``max_m``), the straight
    metres from the point to its street, and the metres along the street from there to the node."""
    n = len(lat)
    node = np.full(n, -1, dtype=np.int64)
    off_m = np.zeros(n, dtype=np.float64)
    along_m = np.zeros(n, dtype=np.float64)
    for i, (la, lo) in enumerate(zip(np.asarray(lat).tolist(), np.asarray(lon).tolist(), strict=True)):
        candidates = g.nearest_segments(la, lo, max_m=max_m)
        if not candidates:
            continue
        p = prefer_larger(g, candidates)
        end = int(g.seg_u[p.seg]) if p.t <= 0.5 else int(g.seg_v[p.seg])
        node[i] = end
        off_m[i] = p.distance_m
        along_m[i] = haversine_m(p.lat, p.lon, float(g.node_lat[end]), float(g.node_lon[end]))
    return node, off_m, along_m
