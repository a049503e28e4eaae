"""The line a ride draws: its trip's shape between the boarding and alighting stops, and its length."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from routing.core.geo import EARTH_RADIUS_M
from routing.transit.timetable import Timetable


def ride_geometry(tt: Timetable, trip: int, stops: list[int]) -> NDArray[np.float64]:
    """``(n, 2)`` lon, lat of the vehicle's path between the first and last of ``stops``: the
    shape when the trip has one (from the stops, through the shape's points nearest them), else
    straight lines from stop to stop."""
    stop_lat, stop_lon = np.asarray(tt.stop_lat)[stops], np.asarray(tt.stop_lon)[stops]
    pts = np.column_stack([stop_lon, stop_lat])
    shape = int(tt.trip_shape[trip])
    if shape < 0:
        return pts
    o, e = int(tt.shape_start[shape]), int(tt.shape_start[shape + 1])
    lat, lon = np.asarray(tt.shape_lat[o:e]), np.asarray(tt.shape_lon[o:e])
    ib, ia = _span(lat, lon, (stop_lat[0], stop_lon[0], stop_lat[-1], stop_lon[-1]), tt.shape_coslat(shape))
    if ia <= ib:
        return pts
    return np.vstack([pts[:1], np.column_stack([lon[ib : ia + 1], lat[ib : ia + 1]]), pts[-1:]])


def line_length(xy: NDArray[np.float64] | list[Any]) -> float:
    """Metres along a line of (lon, lat) points (great-circle pieces, summed as numpy sums)."""
    if len(xy) < 2:
        return 0.0
    return float(np.sum(_pieces_m(np.ascontiguousarray(xy, dtype=np.float64))))


@njit(cache=True)
def _pieces_m(xy: NDArray[np.float64]) -> NDArray[np.float64]:  # pragma: no cover - compiled
    """Each piece's length, as :func:`routing.core.geo.haversine_m_arr` computes it: the same
    operations in the same order on each element, without the dozen array calls that took most of a
    short line's time. Its bits are the C library's (tests/transit/test_ride_shapes.py compares
    them with Python's ``math``); numpy's equal them except where numpy's own vector sine, cosine
    and arcsine are used (AVX-512: up to 4 ULP per function, numpy PR 19478; 2 ULP measured)."""
    out = np.empty(len(xy) - 1, np.float64)
    to_rad = math.pi / 180.0  # numpy's deg2rad multiplies by this
    for i in range(len(out)):
        p1, p2 = xy[i, 1] * to_rad, xy[i + 1, 1] * to_rad
        dp, dl = p2 - p1, (xy[i + 1, 0] - xy[i, 0]) * to_rad
        s1, s2 = math.sin(dp / 2), math.sin(dl / 2)
        a = s1 * s1 + math.cos(p1) * math.cos(p2) * (s2 * s2)  # numpy squares first
        out[i] = 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
    return out


@njit(cache=True)
def _span(
    lat: NDArray[np.float64], lon: NDArray[np.float64], ends: tuple[float, float, float, float], coslat: float
) -> tuple[int, int]:  # pragma: no cover - compiled; tests/transit/test_ride_shapes.py checks it against numpy
    """The shape point nearest the first stop, and from there on the one nearest the last stop
    (``ends`` is their lat, lon): numpy's squared distances, element by element, and its argmin
    (the first least, or the first NaN)."""
    lat0, lon0, lat1, lon1 = ends
    ib = _nearest(lat, lon, lat0, lon0, coslat, 0)
    return ib, _nearest(lat, lon, lat1, lon1, coslat, ib)


@njit(cache=True, inline="always")
def _nearest(
    lat: NDArray[np.float64], lon: NDArray[np.float64], s_lat: float, s_lon: float, coslat: float, after: int
) -> int:  # pragma: no cover - compiled
    best = after
    least = np.inf
    for j in range(after, len(lat)):
        dy = lat[j] - s_lat
        dx = (lon[j] - s_lon) * coslat
        d = dy * dy + dx * dx
        if d != d:
            return j
        if d < least or j == after:
            least = d
            best = j
    return best
