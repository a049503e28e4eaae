"""Snap many points (transit stops, car parks) to graph nodes through the nearest street.

A point is snapped as an endpoint is (:func:`routing.street.route.snap`): to the nearest street of a
kept component, preferring the larger of two about equally near; it is then joined to the nearer end
of that street's segment. Snapping to the nearest node instead would pick a node of a side street
or a dropped island when the street beside the point has its nodes far apart.

All points are snapped in one compiled pass over the graph's snap grid: one at a time through
:meth:`~routing.street.graph.StreetGraph.nearest_segments`, Porto Alegre's 4,010 stops and 401 car
parks took 0.18 s of a server's start.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from routing.core.geo import haversine_m
from routing.street.graph import StreetGraph
from routing.street.nearest import snap_each
from routing.street.route import LARGER_COMPONENT_SLACK_M


def nearest_street_nodes(
    g: StreetGraph, lat: NDArray[np.float64], lon: NDArray[np.float64], *, max_m: float
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """For each point: the node it joins (-1 when no kept street lies within ``max_m``), the straight
    metres from the point to its street, and the metres along the street from there to the node."""
    grid = g.snap_grid
    xy = g.proj.to_xy(np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64))
    seg_size = g.component_sizes[np.asarray(g.node_comp)[g.seg_u]]  # segment → its component's node count
    seg, t, sx, sy, off_m = snap_each(
        grid.cell_start,
        grid.pts,
        grid.origin,
        grid.seg_of_point,
        grid.a,
        grid.b,
        seg_size,
        xy,
        float(max_m),
        LARGER_COMPONENT_SLACK_M,
    )
    found = np.flatnonzero(seg >= 0)
    node = np.full(len(xy), -1, dtype=np.int64)
    node[found] = np.where(t[found] <= 0.5, g.seg_u[seg[found]], g.seg_v[seg[found]])
    # the snapped point's latitude and longitude as StreetGraph.nearest_segments computes them
    p = g.proj
    slat, slon = p.lat0 + sy[found] / p.ky, p.lon0 + sx[found] / p.kx
    along_m = np.zeros(len(xy), dtype=np.float64)
    node_lat, node_lon = np.asarray(g.node_lat), np.asarray(g.node_lon)
    along_m[found] = [
        haversine_m(a, b, float(node_lat[end]), float(node_lon[end]))
        for a, b, end in zip(slat.tolist(), slon.tolist(), node[found].tolist(), strict=True)
    ]
    return node, off_m, along_m  # off_m is 0 where nothing was found
