"""Small planar geometry helpers: metres on a local equirectangular projection.

A city spans a few tens of kilometres, where this projection's error is far below what matters for
"which street is nearest" or "are these two stops the same place".
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_M = 6_371_008.8


def project(lat: NDArray[np.float64], lon: NDArray[np.float64], *, lat0: float) -> NDArray[np.float64]:
    """Return an ``(n, 2)`` array of x/y metres around latitude ``lat0``."""
    k = math.pi / 180.0 * EARTH_RADIUS_M
    x = np.asarray(lon, dtype=np.float64) * k * math.cos(math.radians(lat0))
    y = np.asarray(lat, dtype=np.float64) * k
    return np.column_stack([x, y])


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def densify(coords: list[tuple[float, float]], *, step_m: float) -> list[tuple[float, float]]:
    """Add points along a ``(lat, lon)`` polyline so neighbours are at most ``step_m`` apart."""
    if len(coords) < 2:
        return list(coords)
    out = [coords[0]]
    for (la1, lo1), (la2, lo2) in zip(coords, coords[1:], strict=False):
        n = max(1, math.ceil(distance_m(la1, lo1, la2, lo2) / step_m))
        for i in range(1, n + 1):
            t = i / n
            out.append((la1 + (la2 - la1) * t, lo1 + (lo2 - lo1) * t))
    return out
