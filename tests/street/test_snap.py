"""Snapping's compiled passes, on Porto Alegre: the grid's nearest sample points against a plain scan
and scipy's k-d tree, the candidate pass against numpy's array operations it replaced, the point
grid of stops and places against both, and the many-point snap against one snap at a time."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial import cKDTree

from routing.core.geo import haversine_m
from routing.street.graph import StreetGraph
from routing.street.nearest import PointGrid, SnapGrid, k_nearest, nearest_points
from routing.street.route import prefer_larger
from routing.street.schema import SNAP_SPACING_M
from routing.street.snap_nodes import nearest_street_nodes


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
    grid = g.snap_grid
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
    grid = g.snap_grid
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


def test_point_grid_answers_as_a_plain_scan_and_as_scipy(poa_folder: Path) -> None:
    """PointGrid (stops, car parks, places) against the obvious scans and against the k-d tree it
    replaced: the same points within a radius, the same nearest distances."""
    g = StreetGraph.load(poa_folder / "street", "walk")
    rng = random.Random("point-grid")
    # clustered like stops: every 40th walk node, plus duplicates (two stops on one pole)
    pts = g.proj.to_xy(np.asarray(g.node_lat)[::40], np.asarray(g.node_lon)[::40])
    pts = np.concatenate([pts, pts[:25]])
    grid = PointGrid.of(pts)
    tree = cKDTree(pts)
    for _ in range(300):
        px, py = _queries(g, rng)
        r = rng.choice([0.0, 10.0, 400.0, 1500.0, 50_000.0])
        d2 = (pts[:, 0] - px) * (pts[:, 0] - px) + (pts[:, 1] - py) * (pts[:, 1] - py)
        assert grid.within((px, py), r).tolist() == np.flatnonzero(d2 <= r * r).tolist()
        assert grid.within((px, py), r).tolist() == sorted(tree.query_ball_point((px, py), r=r))
        k, bound = rng.choice([1, 16, 200]), rng.choice([50.0, 1000.0, 1e7])
        dist, idx = grid.nearest((px, py), k=k, bound=bound)
        near = np.flatnonzero(d2 < bound * bound)
        want = near[np.lexsort((near, d2[near]))][:k]
        # the same nearest distances in order (equally near points may come in another order)
        assert d2[idx].tolist() == d2[want].tolist() and len(set(idx.tolist())) == len(idx)
        t_dist, _ = tree.query((px, py), k=k, distance_upper_bound=bound)
        t_dist = np.atleast_1d(t_dist)
        assert dist.tolist() == t_dist[np.isfinite(t_dist)].tolist()  # bit for bit: sqrt of the same sum
    assert PointGrid.of(np.zeros((0, 2))).within((0.0, 0.0), 100.0).tolist() == []
    assert PointGrid.of(np.array([[1e6, -1e6]])).within((-1e12, 1e12), 10.0).tolist() == []


@pytest.mark.parametrize("mode", ["walk", "bike", "drive"])
def test_snapping_many_points_at_once_matches_one_at_a_time(poa_folder: Path, mode: str) -> None:
    """nearest_street_nodes' compiled pass against the endpoint snap it stands for, point by point:
    nearest_segments, prefer_larger, the nearer end of the segment."""
    g = StreetGraph.load(poa_folder / "street", mode)
    rng = np.random.default_rng(7)
    s, w, n, e = g.bbox
    lat = np.concatenate([rng.uniform(s, n, 400), np.asarray(g.node_lat)[:: max(1, g.node_count // 200)]])
    lon = np.concatenate([rng.uniform(w, e, 400), np.asarray(g.node_lon)[:: max(1, g.node_count // 200)]])
    for max_m in (30.0, 150.0, 500.0):
        node, off_m, along_m = nearest_street_nodes(g, lat, lon, max_m=max_m)
        assert (node >= 0).any() and (node < 0).any() or max_m == 500.0
        for i, (la, lo) in enumerate(zip(lat.tolist(), lon.tolist(), strict=True)):
            candidates = g.nearest_segments(la, lo, max_m=max_m)
            if not candidates:
                assert (node[i], off_m[i], along_m[i]) == (-1, 0.0, 0.0)
                continue
            p = prefer_larger(g, candidates)
            end = int(g.seg_u[p.seg]) if p.t <= 0.5 else int(g.seg_v[p.seg])
            assert node[i] == end
            assert off_m[i] == p.distance_m
            assert along_m[i] == haversine_m(p.lat, p.lon, float(g.node_lat[end]), float(g.node_lon[end]))
