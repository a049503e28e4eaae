"""Small planar geometry helpers: metres on a local equirectangular projection.

A city spans a few tens of kilometres, where this projection's error is far below what matters for
"which street is nearest" or "are these two stops the same place".
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from routing.core.geo import EARTH_RADIUS_M, haversine_m


def project(lat: NDArray[np.float64], lon: NDArray[np.float64], *, lat0: float) -> NDArray[np.float64]:
    """Return an ``(n, 2)`` array of x/y metres around latitude ``lat0``."""
    k = math.pi / 180.0 * EARTH_RADIUS_M
    x = np.asarray(lon, dtype=np.float64) * k * math.cos(math.radians(lat0))
    y = np.asarray(lat, dtype=np.float64) * k
    return np.column_stack([x, y])


def densify(coords: list[tuple[float, float]], *, step_m: float) -> list[tuple[float, float]]:
    """Add points along a ``(lat, lon)`` polyline so neighbours are at most ``step_m`` apart."""
    if len(coords) < 2:
        return list(coords)
    out = [coords[0]]
    for (la1, lo1), (la2, lo2) in zip(coords, coords[1:], strict=False):
        n = max(1, math.ceil(haversine_m(la1, lo1, la2, lo2) / step_m))
        for i in range(1, n + 1):
            t = i / n
            out.append((la1 + (la2 - la1) * t, lo1 + (lo2 - lo1) * t))
    return out
