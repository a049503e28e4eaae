"""Walking between transit stops and the street graph, computed at build time.

Each stop is snapped to the walk graph (within ``STOP_SNAP_M``); its walking time to the nearby
stops is a CCH one-to-many search on the walk graph. Stops too far from any street (41 % of EPTC's
lie outside the Porto Alegre extract) get straight-line footpaths, so they stay usable for riding
and for transfers among themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import routingkit_cch
from numpy.typing import NDArray

from routing.core.geo import LocalProjection
from routing.core.walking import STRAIGHT_DETOUR, WALK_MPS
from routing.street.graph import StreetGraph
from routing.street.snap_nodes import nearest_street_nodes

STOP_SNAP_M = 300.0
#: The longest footpath built: 15 minutes, the planner's walking limit to and from stops (the
#: default 1,200 m at 4.8 km/h), so a transfer may be as long as the request's own limit.
#: Each query then takes only those within its limit.
MAX_FOOTPATH_S = 900.0
ACCESS_FOLDER = "transit_access"

FootpathFn = Callable[
    [NDArray[np.float64], NDArray[np.float64]],
    tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]],
]


def snap_stops(
    walk: StreetGraph, lat: NDArray[np.float64], lon: NDArray[np.float64]
) -> tuple[NDArray[np.int32], NDArray[np.float64]]:
    """Walk-graph node of each stop (-1 when no kept street within range) and seconds to reach it.

    The stop joins the nearest street of a kept component (:mod:`routing.street.snap_nodes`); the
    straight part of that walk is lengthened by ``STRAIGHT_DETOUR``, the part along the street not.
    """
    node, off_m, along_m = nearest_street_nodes(walk, lat, lon, max_m=STOP_SNAP_M)
    offset = np.where(node >= 0, (off_m * STRAIGHT_DETOUR + along_m) / WALK_MPS, 0.0)
    return node.astype(np.int32), offset


def street_footpaths(out: Path) -> FootpathFn:
    """A footpath function over the walk graph compiled in ``out/street``.

    Calling it also writes ``out/transit_access/`` (each stop's walk node and offset), which the
    planner uses for walking access to and egress from stops.
    """

    def footpaths(
        lat: NDArray[np.float64], lon: NDArray[np.float64]
    ) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]]:
        walk = StreetGraph.load(out / "street", "walk")
        node, offset = snap_stops(walk, lat, lon)
        folder = out / ACCESS_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "stop_node.npy", node)  # stop → walk-graph node, -1 off the street network
        np.save(folder / "stop_offset_s.npy", offset.astype(np.float32))  # stop → seconds to that node
        return _footpaths(walk, lat, lon, node, offset)

    return footpaths


def _footpaths(
    walk: StreetGraph,
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    node: NDArray[np.int32],
    offset: NDArray[np.float64],
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]]:
    from scipy.spatial import cKDTree  # build code; the constants above are read by servers too

    proj = LocalProjection(float(np.mean(lat)), float(np.mean(lon)))
    xy = proj.to_xy(lat, lon)
    tree = cKDTree(xy)
    reach_m = MAX_FOOTPATH_S * WALK_MPS
    frm: list[int] = []
    to: list[int] = []
    secs: list[int] = []
    snapped = np.flatnonzero(node >= 0)
    if len(snapped):
        one_to_many = routingkit_cch.CCHOneToMany(walk.metric, node[snapped].tolist())
        for i in snapped.tolist():
            dist = np.array(
                [np.inf if d is None else d for d in one_to_many.distances_from(int(node[i]))], dtype=np.float64
            )
            total = offset[i] + dist / 1000.0 + offset[snapped]
            ok = (total <= MAX_FOOTPATH_S) & (snapped != i)
            for j, t in zip(snapped[ok], total[ok], strict=True):
                frm.append(i)
                to.append(int(j))
                secs.append(int(round(t)))
    # Straight-line footpaths wherever one end is off the street network.
    for i, neighbours in enumerate(tree.query_ball_point(xy, r=reach_m / STRAIGHT_DETOUR)):
        for j in neighbours:
            if j == i or (node[i] >= 0 and node[j] >= 0):
                continue
            t = float(np.hypot(*(xy[i] - xy[j]))) * STRAIGHT_DETOUR / WALK_MPS
            frm.append(i)
            to.append(int(j))
            secs.append(int(round(t)))
    order = np.lexsort((np.array(to), np.array(frm))) if frm else np.zeros(0, np.int64)
    return (
        np.array(frm, np.int32)[order],
        np.array(to, np.int32)[order],
        np.array(secs, np.int32)[order],
    )
