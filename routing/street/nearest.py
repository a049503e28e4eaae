"""The exact nearest points of candidate segments, in one compiled pass (what a snap measures).

:meth:`routing.street.graph.StreetGraph.nearest_segments` asks its grid of sample points
(:class:`SnapGrid`) for the candidates near a query point; :func:`nearest_points` projects the point
onto each candidate segment and sorts them. The operations are numpy's, element by element (the
same doubles come out), without the dozen small-array calls that took three quarters of a snap.
The grid replaced a scipy k-d tree whose query was half of what was left; it breaks ties between
equally near points by point, where the tree's order was its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from routing.street.schema import SNAP_CANDIDATES, SNAP_SPACING_M

#: A grid's (x0, y0) of cell (0, 0), its cell side (m), and its columns and rows (nx, ny).
GridOrigin = tuple[float, float, float, int, int]


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


@dataclass(frozen=True)
class SnapGrid:
    """Sample points along a graph's usable segments, bucketed in square cells for nearest queries.

    Points are grouped by cell (row-major, ``iy * nx + ix``), so a cell's points are the slice
    ``cell_start[c]:cell_start[c + 1]`` of ``pts`` and ``seg_of_point``.
    """

    origin: GridOrigin
    cell_start: NDArray[np.int64]  # cell → its first point; nx * ny + 1 entries
    pts: NDArray[np.float64]  # point → (x, y) metres of the graph's projection
    seg_of_point: NDArray[np.int32]  # point → the segment it samples
    a: NDArray[np.float64]  # segment → (x, y) of its start
    b: NDArray[np.float64]  # segment → (x, y) of its end

    @classmethod
    def of(
        cls, pts: NDArray[np.float64], seg_of_point: NDArray[np.int32], a: NDArray[np.float64], b: NDArray[np.float64]
    ) -> SnapGrid:
        """The grid of sample points ``pts`` (of segments ``seg_of_point``), about one point a cell."""
        # Never finer than two sample spacings: a segment's neighbouring samples share a cell.
        origin = _grid_origin(pts, min_cell_m=2.0 * SNAP_SPACING_M)
        cell_start, order = _bucket(pts, origin)
        return cls(origin, cell_start, pts[order], seg_of_point[order], a, b)

    def candidates(
        self, point: tuple[float, float], *, k: int, max_m: float
    ) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """:func:`nearest_points` of the segments of the ``k`` sample points nearest ``point`` that
        lie within ``max_m`` plus a sample spacing."""
        found = k_nearest(self.cell_start, self.pts, self.origin, point, k, max_m + SNAP_SPACING_M)
        return nearest_points(self.seg_of_point, found, self.a, self.b, point, max_m)


@dataclass(frozen=True)
class PointGrid:
    """Points bucketed in square cells, about one a cell, for radius and nearest-point queries.

    It answers what scipy's k-d tree answered for stops and places (the same points, the same
    distances), without importing scipy.spatial and the 0.4 s it added to a server's start.
    """

    origin: GridOrigin
    cell_start: NDArray[np.int64]  # cell → its first slot; nx * ny + 1 entries
    pts: NDArray[np.float64]  # slot → (x, y) metres, slots in cell order
    index: NDArray[np.int64]  # slot → the point's position in the array the grid was made of

    @classmethod
    def of(cls, pts: NDArray[np.float64], *, min_cell_m: float = 1.0) -> PointGrid:
        """The grid of ``pts`` (``(n, 2)`` x/y metres), cells never smaller than ``min_cell_m``."""
        pts = np.ascontiguousarray(pts, dtype=np.float64).reshape(-1, 2)
        origin = _grid_origin(pts, min_cell_m=min_cell_m)
        cell_start, order = _bucket(pts, origin)
        return cls(origin, cell_start, pts[order], order)

    def within(self, point: tuple[float, float], r: float) -> NDArray[np.int64]:
        """Positions of the points at most ``r`` metres from ``point`` (x, y), ascending."""
        return np.sort(self.index[_within(self.cell_start, self.pts, self.origin, point, float(r))])

    def nearest(
        self, point: tuple[float, float], *, k: int, bound: float
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Distances and positions of the (at most) ``k`` points nearest ``point`` closer than
        ``bound``, nearest first (ties by slot)."""
        slots = k_nearest(self.cell_start, self.pts, self.origin, point, k, float(bound))
        d = self.pts[slots] - np.asarray(point, dtype=np.float64)
        return np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1]), self.index[slots]


def _grid_origin(pts: NDArray[np.float64], *, min_cell_m: float) -> GridOrigin:
    """(x0, y0, cell side, nx, ny) of a grid over ``pts`` with about one point a cell: few cells to
    visit per query, and no more cells than points however empty the area is."""
    n = len(pts)
    # per column: numpy's min over axis 0 of an (n, 2) array took 3 ms per 100,000 points, this 0.1
    lo = np.array([pts[:, 0].min(), pts[:, 1].min()]) if n else np.zeros(2)
    hi = np.array([pts[:, 0].max(), pts[:, 1].max()]) if n else np.zeros(2)
    area = float(np.prod(np.maximum(hi - lo, 1.0)))
    cell = max(min_cell_m, math.sqrt(area / max(n, 1)))
    nx, ny = (int((hi - lo)[i] // cell) + 1 for i in range(2))
    return (float(lo[0]), float(lo[1]), cell, nx, ny)


@njit(cache=True)
def _within(
    cell_start: NDArray[np.int64],
    pts: NDArray[np.float64],
    origin: GridOrigin,
    point: tuple[float, float],
    r: float,
) -> NDArray[np.int64]:  # pragma: no cover - compiled; tests/street/test_snap.py checks it against a plain scan
    """Slots of the points at most ``r`` from ``point``, in slot order."""
    x0, y0, cell, nx, ny = origin
    px, py = point
    # clamped as floats first: a point far outside the grid must not overflow the int conversion
    ix0 = int(max(0.0, math.floor((px - r - x0) / cell)))
    ix1 = int(min(nx - 1.0, math.floor((px + r - x0) / cell)))
    iy0 = int(max(0.0, math.floor((py - r - y0) / cell)))
    iy1 = int(min(ny - 1.0, math.floor((py + r - y0) / cell)))
    r2 = r * r
    count = 0
    out = np.empty(16, np.int64)
    for iy in range(iy0, iy1 + 1):
        for ix in range(ix0, ix1 + 1):
            c = iy * nx + ix
            for p in range(cell_start[c], cell_start[c + 1]):
                dx, dy = pts[p, 0] - px, pts[p, 1] - py
                if dx * dx + dy * dy <= r2:
                    if count == len(out):
                        out = np.concatenate((out, np.empty(len(out), np.int64)))
                    out[count] = p
                    count += 1
    return out[:count].copy()


@njit(cache=True)
def _bucket(
    pts: NDArray[np.float64], origin: GridOrigin
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:  # pragma: no cover - compiled; tests/street/test_snap.py
    """Each cell's first point and the points in cell order (a counting sort, stable)."""
    x0, y0, cell, nx, ny = origin
    cell_of = np.empty(len(pts), np.int64)
    start = np.zeros(nx * ny + 1, np.int64)
    for i in range(len(pts)):
        c = int((pts[i, 1] - y0) // cell) * nx + int((pts[i, 0] - x0) // cell)
        cell_of[i] = c
        start[c + 1] += 1
    for c in range(nx * ny):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    order = np.empty(len(pts), np.int64)
    for i in range(len(pts)):
        order[fill[cell_of[i]]] = i
        fill[cell_of[i]] += 1
    return start, order


@njit(cache=True)
def k_nearest(
    cell_start: NDArray[np.int64],
    pts: NDArray[np.float64],
    origin: GridOrigin,
    point: tuple[float, float],
    k: int,
    bound: float,
) -> NDArray[np.int64]:  # pragma: no cover - compiled; tests/street/test_snap.py checks it against scipy
    """The (at most) ``k`` points nearest ``point`` closer than ``bound``, nearest first (ties by
    point). Rings of cells are searched outward until the next ring lies beyond the ``k``-th
    point found, or beyond ``bound``."""
    x0, y0, cell, nx, ny = origin
    px, py = point
    fx, fy = (px - x0) / cell, (py - y0) / cell
    cx, cy = int(math.floor(fx)), int(math.floor(fy))
    # the query's distance to its own cell's nearest side: the start of every ring's lower bound
    inner = min(fx - cx, cx + 1 - fx, fy - cy, cy + 1 - fy) * cell
    best_d = np.empty(k, np.float64)  # squared distances, ascending
    best_i = np.empty(k, np.int64)
    n = 0
    bound2 = bound * bound
    r = 0
    while True:
        for iy in range(max(cy - r, 0), min(cy + r, ny - 1) + 1):
            edge_row = iy == cy - r or iy == cy + r
            step = 1 if edge_row else 2 * r  # inside rows only the two ends belong to ring r
            ix = cx - r
            while ix <= cx + r:
                if 0 <= ix < nx:
                    c = iy * nx + ix
                    for p in range(cell_start[c], cell_start[c + 1]):
                        dx, dy = pts[p, 0] - px, pts[p, 1] - py
                        d = dx * dx + dy * dy
                        if d >= bound2 or (
                            n == k and (d > best_d[k - 1] or (d == best_d[k - 1] and p > best_i[k - 1]))
                        ):
                            continue
                        j = n if n < k else k - 1
                        while j > 0 and (best_d[j - 1] > d or (best_d[j - 1] == d and best_i[j - 1] > p)):
                            best_d[j], best_i[j] = best_d[j - 1], best_i[j - 1]
                            j -= 1
                        best_d[j], best_i[j] = d, p
                        if n < k:
                            n += 1
                ix += step
        # every point of ring r + 1 and beyond is at least this far
        reach = inner + r * cell
        if reach * reach >= bound2 or (n == k and reach * reach > best_d[k - 1]):
            break
        if cx - r <= 0 and cy - r <= 0 and cx + r >= nx - 1 and cy + r >= ny - 1:
            break  # the rings have covered the whole grid
        r += 1
    return best_i[:n].copy()


@njit(cache=True)
def snap_each(
    cell_start: NDArray[np.int64],
    pts: NDArray[np.float64],
    origin: GridOrigin,
    seg_of_point: NDArray[np.int32],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    seg_size: NDArray[np.int64],
    xy: NDArray[np.float64],
    max_m: float,
    slack_m: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Each point's snap (a :class:`~routing.street.nearest.SnapGrid`'s arrays; ``seg_size`` is
    segment → component size): its segment (-1 none within ``max_m``), the fraction along it, the
    snapped x and y, and the distance. Of the candidates within ``slack_m`` of the nearest, the
    nearest of the largest component, as :func:`routing.street.route.prefer_larger`.

    It lives beside the kernels it calls: numba's cache of a kernel is refreshed when its own
    file changes, not when a kernel it calls from another file does (a stale one crashed a server).
    """  # pragma: no cover - compiled; tests/street/test_snap.py compares it with one snap at a time
    n = len(xy)
    seg = np.full(n, -1, np.int64)
    t = np.zeros(n, np.float64)
    sx = np.zeros(n, np.float64)
    sy = np.zeros(n, np.float64)
    dm = np.zeros(n, np.float64)
    for i in range(n):
        point = (xy[i, 0], xy[i, 1])
        found = k_nearest(cell_start, pts, origin, point, SNAP_CANDIDATES, max_m + SNAP_SPACING_M)
        c_seg, c_t, c_sx, c_sy, c_dm = nearest_points(seg_of_point, found, a, b, point, max_m)
        if len(c_seg) == 0:
            continue
        best = 0
        for j in range(1, len(c_seg)):  # nearest first: the ones within the slack are a prefix
            if c_dm[j] > c_dm[0] + slack_m:
                break
            if seg_size[c_seg[j]] > seg_size[c_seg[best]]:  # strictly: the first of equals stays
                best = j
        seg[i], t[i], sx[i], sy[i], dm[i] = c_seg[best], c_t[best], c_sx[best], c_sy[best], c_dm[best]
    return seg, t, sx, sy, dm
