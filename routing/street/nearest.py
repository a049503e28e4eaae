"""The exact nearest points of candidate segments, in one compiled pass (what a snap measures).

:meth:`routing.street.graph.StreetGraph.nearest_segments` asks its k-d tree of sample points for
the candidates near a query point; this projects the point onto each candidate segment and sorts
them. The operations are numpy's, element by element (the same doubles come out), without the
dozen small-array calls that took three quarters of a snap.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(cache=True)
def nearest_points(
    seg_of_point: NDArray[np.int32],
    found: NDArray[np.int64],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    point: tuple[float, float],
    max_m: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Segments of the sample points ``found`` within ``max_m`` of ``point`` (x, y metres), nearest
    first (ties by segment id): the segment, the fraction ``t`` along it, the projected point's x
    and y, and its distance. ``a``/``b`` are segment → end point (x, y).
    """  # pragma: no cover - compiled; tests/street/test_snap.py compares it with numpy's operations
    px, py = point
    seg = np.unique(seg_of_point[found].astype(np.int64))  # several sample points of one segment
    n = len(seg)
    t = np.empty(n, np.float64)
    sx = np.empty(n, np.float64)
    sy = np.empty(n, np.float64)
    dm = np.empty(n, np.float64)
    for i in range(n):
        s = seg[i]
        ax, ay = a[s, 0], a[s, 1]
        dx, dy = b[s, 0] - ax, b[s, 1] - ay
        den = dx * dx + dy * dy
        # a point segment (den == 0) takes t = 0
        t[i] = 0.0 if den == 0 else min(1.0, max(0.0, ((px - ax) * dx + (py - ay) * dy) / den))
        sx[i], sy[i] = ax + t[i] * dx, ay + t[i] * dy
        dm[i] = np.hypot(px - sx[i], py - sy[i])
    near = np.flatnonzero(dm <= max_m)
    # segments ascend, so a stable sort by distance orders ties by segment id
    order = near[np.argsort(dm[near], kind="mergesort")]
    return seg[order], t[order], sx[order], sy[order], dm[order]
