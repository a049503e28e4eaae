"""Snapping's compiled passes, on Porto Alegre: the grid's nearest sample points against a plain scan
and scipy's k-d tree, and the candidate pass against numpy's array operations it replaced."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial import cKDTree

from routing.street.graph import StreetGraph
from routing.street.nearest import SnapGrid, k_nearest, nearest_points
from routing.street.schema import SNAP_SPACING_M


def brute_k_nearest(grid: SnapGrid, px: float, py: float, k: int, bound: float) -> np.ndarray:
    """The slow obvious way: every sample point's squared distance, the ``k`` least under ``bound``
    (ties by point)."""
    d = (grid.pts[:, 0] - px) ** 2 + (grid.pts[:, 1] - py) ** 2
    near = np.flatnonzero(d < bound * bound)  # sorting only these keeps a query to a millisecond
    return near[np.lexsort((near, d[near]))][:k]


def _numpy_reference(
    seg_of_point: np.ndarray, idx: np.ndarray, a: np.ndarray, b: np.ndarray, px: float, py: float, max_m: float
) -> tuple[np.ndarray, ...]:
    """The array version, as ``nearest_segments`` computed it before it was compiled."""
    seg = np.unique(seg_of_point[idx])
    ax, ay = a[seg, 0], a[seg, 1]
    dx, dy = b[seg, 0] - ax, b[seg, 1] - ay
    den = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(den == 0, 0.0, np.minimum(1.0, np.maximum(0.0, ((px - ax) * dx + (py - ay) * dy) / den)))
    sx, sy = ax + t * dx, ay + t * dy
    dm = np.hypot(px - sx, py - sy)
    near = dm <= max_m
    seg, t, sx, sy, dm = seg[near], t[near], sx[near], sy[near], dm[near]
    order = np.lexsort((seg, dm))
    return seg[order], t[order], sx[order], sy[order], dm[order]


@pytest.mark.parametrize("mode", ["walk", "drive"])
def test_compiled_candidates_match_numpy_bit_for_bit(poa_folder: Path, mode: str) -> None:
    g = StreetGraph.load(poa_folder / "street", mode)
    grid = g._snap_index
    tree, seg_of_point, a, b = cKDTree(grid.pts), grid.seg_of_point, grid.a, grid.b
    rng = random.Random(f"snap-{mode}")
    s, w, n, e = g.bbox
    compared = 0
    for _ in range(400):
        px, py = g.proj.point(rng.uniform(s, n), rng.uniform(w, e))
        max_m = rng.choice([30.0, 150.0, 500.0])
        dist, idx = tree.query((px, py), k=rng.choice([4, 32, 512]), distance_upper_bound=max_m + SNAP_SPACING_M)
        idx = np.atleast_1d(idx)[np.isfinite(np.atleast_1d(dist))]
        if not len(idx):
            continue
        got = nearest_points(seg_of_point, idx.astype(np.int64), a, b, (px, py), max_m)
        want = _numpy_reference(seg_of_point, idx, a, b, px, py, max_m)
        for x, y in zip(got, want, strict=True):
            assert x.tobytes() == y.astype(x.dtype).tobytes()
        compared += 1
    assert compared > 100


def _queries(g: StreetGraph, rng: random.Random) -> tuple[float, float]:
    """A point anywhere in the graph's box, on a node (where sample points tie), or far outside."""
    s, w, n, e = g.bbox
    roll = rng.random()
    if roll < 0.3:
        node = rng.randrange(g.node_count)
        return g.proj.point(float(g.node_lat[node]), float(g.node_lon[node]))
    if roll < 0.35:
        return g.proj.point(n + rng.uniform(0.001, 0.05), e + rng.uniform(-0.05, 0.05))
    return g.proj.point(rng.uniform(s, n), rng.uniform(w, e))


@pytest.mark.parametrize("mode", ["walk", "drive"])
def test_grid_finds_the_k_nearest_points_of_a_plain_scan_and_of_scipy(poa_folder: Path, mode: str) -> None:
    g = StreetGraph.load(poa_folder / "street", mode)
    grid = g._snap_index
    tree = cKDTree(grid.pts)
    rng = random.Random(f"grid-{mode}")
    for _ in range(300):
        px, py = _queries(g, rng)
        k, bound = rng.choice([1, 3, 32, 512]), rng.choice([15.0, 50.0, 520.0, 3000.0])
        got = k_nearest(grid.cell_start, grid.pts, grid.origin, (px, py), k, bound)
        assert got.tolist() == brute_k_nearest(grid, px, py, k, bound).tolist()
        # scipy may break ties between equally near points otherwise; the distances are the same
        dist, _ = tree.query((px, py), k=k, distance_upper_bound=bound)
        dist = np.atleast_1d(dist)
        mine = np.hypot(grid.pts[got, 0] - px, grid.pts[got, 1] - py)
        np.testing.assert_allclose(mine, dist[np.isfinite(dist)], rtol=0, atol=1e-9)


def test_grid_of_tiny_and_empty_point_sets() -> None:
    none = np.zeros((0, 2))
    empty = SnapGrid.of(none, np.zeros(0, np.int32), none, none)
    assert len(k_nearest(empty.cell_start, empty.pts, empty.origin, (5.0, 5.0), 4, 100.0)) == 0
    pts = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0], [1000.0, 0.0]])
    one = SnapGrid.of(pts, np.arange(4, dtype=np.int32), pts, pts)
    got = k_nearest(one.cell_start, one.pts, one.origin, (0.0, 0.0), 3, 10.0)
    assert one.seg_of_point[got].tolist() == [0, 1, 2]  # the tie kept in point order
    assert one.seg_of_point[k_nearest(one.cell_start, one.pts, one.origin, (-5e4, 0.0), 3, 1e6)].tolist() == [0, 1, 2]
    assert len(k_nearest(one.cell_start, one.pts, one.origin, (500.0, 0.0), 3, 400.0)) == 0
