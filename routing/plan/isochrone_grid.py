"""The polygons of an isochrone, drawn on a grid instead of by a union of buffers.

The reached street is sampled (points at most one cell apart, each with its travel time) and each
cell of a square grid keeps the earliest time of a point in it. A minimum filter over a disc of
``buffer_m`` then gives every cell the earliest time reached within ``buffer_m`` of its centre, so
the area of ``minutes`` is the set of cells at or below that time: the reached street buffered by
``buffer_m``, to within about one cell. Its outline is traced from the cell edges between an
inside and an outside cell (``polygonize``), then simplified by one cell to take the stair steps
off. All minutes values share one grid and one filter; only the tracing is per value.

Unioning tens of thousands of buffers cost seconds for a 30-minute drive (2.5-4.5 s in Porto
Alegre); the grid costs a fraction of that and its size is bounded by ``MAX_CELLS``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from routing.core.deadline import check_deadline

#: Side of a grid cell (metres). With the 50 m buffer a street covers 2 * 50 / 20 = 5 whole rows
#: of cells (a spread of two cells each side, see ReachGrid), which is its width.
CELL_M = 20.0
#: At most this many cells: a wider area gets coarser cells (memory and time stay bounded).
MAX_CELLS = 6_000_000


class ReachGrid:
    """Earliest arrival within ``buffer_m`` on a grid over sampled reached points.

    Parameters
    ----------
    xy
        ``(n, 2)`` sample points in a local metric projection (metres).
    ms
        The travel time at each point (ms).
    buffer_m
        The distance around a reached point that counts as reached.
    deadline
        ``time.perf_counter()`` bound, checked between the steps.
    """

    def __init__(
        self, xy: NDArray[np.float64], ms: NDArray[np.float64], *, buffer_m: float, deadline: float | None = None
    ) -> None:
        self.empty = len(xy) == 0
        if self.empty:
            self.cell, self.x0, self.y0 = CELL_M, 0.0, 0.0
            self.earliest = np.full((1, 1), np.inf)
            return
        lo = xy.min(axis=0) - buffer_m
        hi = xy.max(axis=0) + buffer_m
        span = hi - lo
        self.cell = max(CELL_M, math.sqrt(float(span[0] * span[1]) / MAX_CELLS), buffer_m / 8)
        # One empty cell beyond the buffer on every side, so the traced outline is closed.
        self.x0, self.y0 = float(lo[0]) - self.cell, float(lo[1]) - self.cell
        cols = int(math.ceil(span[0] / self.cell)) + 3
        rows = int(math.ceil(span[1] / self.cell)) + 3
        j = ((xy[:, 0] - self.x0) / self.cell).astype(np.int64)
        i = ((xy[:, 1] - self.y0) / self.cell).astype(np.int64)
        at = np.full(rows * cols, np.inf)
        np.minimum.at(at, i * cols + j, ms)
        check_deadline(deadline, "the isochrone")
        # A cell's time spreads to the cells whose centres lie within buffer_m - cell / 2 of its
        # centre: a point anywhere in the cell then reaches, on average, buffer_m (a street along
        # the grid covers 2 * buffer_m / cell rows, not two more).
        from scipy.ndimage import minimum_filter  # as routing.plan.reach imports scipy: on first use

        r = buffer_m / self.cell - 0.5
        k = int(math.floor(r))
        dy, dx = np.mgrid[-k : k + 1, -k : k + 1]
        self.earliest = minimum_filter(
            at.reshape(rows, cols), footprint=dx * dx + dy * dy <= r * r + 1e-9, mode="constant", cval=np.inf
        )

    def area(self, limit_ms: float, *, deadline: float | None = None) -> shapely.Geometry:
        """The cells reached within ``limit_ms``, as one (multi)polygon in the points' metres."""
        if self.empty:
            return shapely.Polygon()
        check_deadline(deadline, "the isochrone")
        inside = self.earliest <= limit_ms
        if not inside.any():
            return shapely.Polygon()
        area = _trace(inside, deadline=deadline)
        check_deadline(deadline, "the isochrone")
        # Cell units to metres; the stair steps of the cells are smaller than one cell.
        area = shapely.transform(
            area, lambda p: np.column_stack((self.x0 + p[:, 0] * self.cell, self.y0 + p[:, 1] * self.cell))
        )
        # Douglas-Peucker without topology is ten times quicker; it can (rarely) make a ring cross
        # itself, and then the topology-preserving variant is used.
        quick = shapely.simplify(area, self.cell, preserve_topology=False)
        return quick if quick.is_valid else shapely.simplify(area, self.cell)


def _trace(inside: NDArray[np.bool_], *, deadline: float | None = None) -> shapely.Geometry:
    """The outline of the ``True`` cells of ``inside`` (cell ``(i, j)`` spans ``[j, j+1] x [i, i+1]``).

    ``inside`` has no ``True`` cell on its border.
    """
    m = inside.astype(np.int8)
    # Along each horizontal grid line y = i + 1: +1 where the inside cell is above, -1 below.
    h = _runs(m[1:, :] - m[:-1, :])
    v = _runs((m[:, 1:] - m[:, :-1]).T)
    ends = np.concatenate(
        [
            np.column_stack((h[:, 1], h[:, 0] + 1, h[:, 2], h[:, 0] + 1)),
            np.column_stack((v[:, 0] + 1, v[:, 1], v[:, 0] + 1, v[:, 2])),
        ]
    ).astype(np.float64)
    # Chains of edges become lines (only through points where two edges meet, so the lines stay
    # noded for polygonize).
    lines = shapely.line_merge(shapely.multilinestrings(shapely.linestrings(ends.reshape(-1, 2, 2))))
    check_deadline(deadline, "the isochrone")
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    # The faces are the inside regions and the holes in them: keep the inside ones.
    probe = shapely.get_coordinates(shapely.point_on_surface(faces))
    keep = inside[probe[:, 1].astype(np.int64), probe[:, 0].astype(np.int64)]
    return _multipolygon(faces[keep])


def _runs(edge: NDArray[np.int8]) -> NDArray[np.int64]:
    """Runs of equal non-zero values along each row of ``edge``: ``(row, first, last + 1)``.

    A run ends where the value changes: where the inside side flips, the crossing edges of the
    other direction meet the line, so a run never passes over a node of the outline.
    """
    rows, cols = edge.shape
    padded = np.zeros((rows, cols + 2), dtype=np.int8)
    padded[:, 1:-1] = edge
    change = np.flatnonzero((padded[:, 1:] != padded[:, :-1]).ravel())
    r, c = np.divmod(change, cols + 1)
    # Each change starts a run (if the value after it is non-zero) and ends the previous one.
    value = padded[r, c + 1]
    starts = np.flatnonzero(value != 0)
    return np.column_stack((r[starts], c[starts], c[starts + 1]))


def _multipolygon(faces: Sequence[shapely.Geometry] | NDArray[np.object_]) -> shapely.Geometry:
    parts = list(faces)
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
