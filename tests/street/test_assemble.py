"""The vectorized route assembly against a per-edge reference loop, on random Porto Alegre routes.

The reference is the straightforward implementation the vectorized one replaced: one
:class:`~routing.street.steps.Piece` per travelled edge, totals added edge by edge, steps merged
by :func:`~routing.street.steps.build_steps`. Both must give the same route, bit for bit.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from routing.core.errors import GreenrouteError
from routing.plan.assisted import AssistedRoutes
from routing.street.compile import HIGHWAY_CLASSES
from routing.street.graph import SnapPoint, StreetGraph
from routing.street.route import (
    Found,
    Part,
    StreetRoute,
    _assemble,
    _direct,
    _search,
    partial_cost,
    snap,
    snap_sources,
    snap_targets,
)
from routing.street.steps import Piece, build_steps
from tests.street.test_snap import brute_k_nearest

PAIRS_PER_MODE = 150


def _reference(
    g: StreetGraph,
    start: tuple[float, float],
    end_point: tuple[float, float],
    parts: list[Part],
    turn_ms: list[int] | None = None,
) -> StreetRoute:
    """The per-edge assembly loop, as it was before it was vectorized (turn costs added per part)."""

    def name(edge: int) -> str:
        name_id = int(g.edge_name[edge])
        return g.names[name_id] if name_id >= 0 else f"unnamed {HIGHWAY_CLASSES[int(g.edge_class[edge])]}"

    pieces: list[Piece] = []
    coords: list[tuple[float, float]] = [(start[1], start[0])]
    elevs: list[float] = []
    gain = loss = 0.0
    total_ms = 0.0
    carry = 0  # the turn cost of a zero-length part counts on the next part
    kept = [i for i, (_, a, b) in enumerate(parts) if b - a > 0]
    for i, (edge, a, b) in enumerate(parts):
        carry += turn_ms[i] if turn_ms else 0
        if b - a <= 0:
            continue
        tail, head = int(g.edge_tail[edge]), int(g.edge_head[edge])
        z0, z1 = float(g.node_elev[tail]), float(g.node_elev[head])
        lat0, lon0 = float(g.node_lat[tail]), float(g.node_lon[tail])
        lat1, lon1 = float(g.node_lat[head]), float(g.node_lon[head])
        p_start = (lat0 + (lat1 - lat0) * a, lon0 + (lon1 - lon0) * a)
        p_end = (lat0 + (lat1 - lat0) * b, lon0 + (lon1 - lon0) * b)
        if not elevs:
            elevs.append(z0 + (z1 - z0) * a)
        ms = int(g.edge_ms[edge]) * (b - a)
        if turn_ms and any(turn_ms):
            rest = sum(turn_ms[j] for j in range(i + 1, len(parts))) if i == kept[-1] else 0
            ms = ms + float(carry + rest)
        carry = 0
        total_ms += ms
        dz = float(g.edge_dz[edge]) * (b - a)
        gain += max(dz, 0.0)
        loss += max(-dz, 0.0)
        pieces.append(Piece(edge, name(edge), float(g.edge_len[edge]) * (b - a), ms / 1000.0, p_start, p_end))
        coords.append((p_end[1], p_end[0]))
        elevs.append(z0 + (z1 - z0) * b)
    if len(coords) > 1 and parts and parts[-1][2] < 1.0:
        coords[-1] = (end_point[1], end_point[0])
    elif coords[-1] != (end_point[1], end_point[0]):
        coords.append((end_point[1], end_point[0]))
    while len(elevs) < len(coords):
        elevs.append(elevs[-1] if elevs else 0.0)
    return StreetRoute.of_lists(
        mode=g.mode,
        duration_s=total_ms / 1000.0,
        distance_m=sum(p.distance_m for p in pieces),
        elevation_gain_m=gain,
        elevation_loss_m=loss,
        coords=coords,
        elevations=elevs,
        steps=build_steps(pieces),
    )


def _parts(g: StreetGraph, o: SnapPoint, d: SnapPoint) -> Found | None:
    """The parts (and turn costs) :func:`routing.street.route.route` assembles."""
    direct = _direct(g, o, d)
    found = _search(g, snap_sources(g, o), snap_targets(g, d))
    if direct is not None and (found is None or partial_cost(g, direct) <= found.total_cost(g)):
        found = Found([direct], [0])
    return found


def _random_point(g: StreetGraph, rng: random.Random) -> tuple[float, float]:
    s, w, n, e = g.bbox
    return rng.uniform(s, n), rng.uniform(w, e)


@pytest.fixture(scope="module")
def graphs(poa_folder: Path) -> dict[str, StreetGraph]:
    return {m: StreetGraph.load(poa_folder / "street", m) for m in ("walk", "bike", "drive")}


@pytest.mark.parametrize("mode", ["walk", "bike", "drive"])
def test_vectorized_assembly_matches_the_per_edge_loop(graphs: dict[str, StreetGraph], mode: str) -> None:
    g = graphs[mode]
    rng = random.Random(f"assemble-{mode}")
    compared = 0
    for _ in range(PAIRS_PER_MODE * 3):
        if compared >= PAIRS_PER_MODE:
            break
        try:
            o = snap(g, *_random_point(g, rng), argument="from")
            d = snap(g, *_random_point(g, rng), argument="to")
        except GreenrouteError:
            continue
        found = _parts(g, o, d)
        if found is None:
            continue
        ends = ((o.lat, o.lon), (d.lat, d.lon))
        new, ref = _assemble(g, *ends, *found.args()), _reference(g, *ends, *found.args())
        assert new == ref
        assert new.to_leg() == ref.to_leg()
        # The transit access walks: a route to a node, ending with a straight line to a stop.
        node = int(g.edge_head[found.parts[len(found.parts) // 2][0]])
        head = _search(g, snap_sources(g, o), {node: None})
        if head is not None:
            stop = (d.lat + 0.0003, d.lon - 0.0002)
            assert _assemble(g, ends[0], stop, *head.args()) == _reference(g, ends[0], stop, *head.args())
        compared += 1
    assert compared >= PAIRS_PER_MODE * 0.9


def test_vectorized_assembly_matches_on_retimed_and_degenerate_parts(graphs: dict[str, StreetGraph]) -> None:
    g = graphs["bike"]
    timed = AssistedRoutes(g)._timed["ebike"]
    rng = random.Random("assemble-edge-cases")
    edges = rng.sample(range(g.edge_count), 200)
    ends = ((float(g.node_lat[0]), float(g.node_lon[0])), (float(g.node_lat[1]), float(g.node_lon[1])))
    cases: list[list[Part]] = [
        [],
        [(edges[0], 0.3, 0.3)],  # a zero-length part only
        [(edges[0], 0.25, 0.75)],  # within one edge
        [(edges[1], 0.5, 1.0), (edges[2], 0.0, 1.0), (edges[3], 0.0, 0.0)],  # ends on a zero-length part
        [(e, 0.0, 1.0) for e in edges[:50]],  # name changes and turns all along
        [(edges[4], 0.0, 1.0), (edges[4], 0.0, 1.0), (edges[5], 0.1, 0.9)],  # repeated edge
    ]
    for parts in cases:
        for graph in (g, timed):
            assert _assemble(graph, *ends, parts) == _reference(graph, *ends, parts), parts
            turns = [1500 * (i % 3) for i in range(len(parts))]  # with turn costs, some on zero-length parts
            assert _assemble(graph, *ends, parts, turns) == _reference(graph, *ends, parts, turns), parts


def _reference_nearest(g: StreetGraph, lat: float, lon: float, *, max_m: float, k: int = 32) -> list[SnapPoint]:
    """The per-candidate snapping loop, as it was before it was vectorized (over a plain scan's
    nearest sample points)."""
    import numpy as np

    from routing.street.graph import SNAP_SPACING_M

    grid = g.snap_grid
    seg_of_point, a, b = grid.seg_of_point, grid.a, grid.b
    px, py = g.proj.point(lat, lon)
    seen: dict[int, SnapPoint] = {}
    for i in brute_k_nearest(grid, px, py, k, max_m + SNAP_SPACING_M):
        s = int(seg_of_point[i])
        if s in seen:
            continue
        ax, ay = a[s]
        dx, dy = b[s][0] - ax, b[s][1] - ay
        den = dx * dx + dy * dy
        t = 0.0 if den == 0 else min(1.0, max(0.0, ((px - ax) * dx + (py - ay) * dy) / den))
        sx, sy = ax + t * dx, ay + t * dy
        dm = float(np.hypot(px - sx, py - sy))
        if dm <= max_m:
            slat, slon = g.proj.to_latlon(sx, sy)
            comp = int(g.node_comp[g.seg_u[s]])
            seen[s] = SnapPoint(seg=s, t=float(t), lat=slat, lon=slon, distance_m=dm, component=comp)
    return sorted(seen.values(), key=lambda p: (p.distance_m, p.seg))


@pytest.mark.parametrize("mode", ["walk", "drive"])
def test_vectorized_snapping_matches_the_per_candidate_loop(graphs: dict[str, StreetGraph], mode: str) -> None:
    g = graphs[mode]
    rng = random.Random(f"snap-{mode}")
    found = 0
    for _ in range(500):
        lat, lon = _random_point(g, rng)
        for max_m, k in ((500.0, 32), (40.0, 32), (500.0, 3)):
            new = g.nearest_segments(lat, lon, max_m=max_m, k=k)
            assert new == _reference_nearest(g, lat, lon, max_m=max_m, k=k)
            found += bool(new)
    # Nodes themselves: zero distances, ties between the segments that meet there.
    for node in rng.sample(range(g.node_count), 100):
        lat, lon = float(g.node_lat[node]), float(g.node_lon[node])
        assert g.nearest_segments(lat, lon, max_m=10.0) == _reference_nearest(g, lat, lon, max_m=10.0)
    assert found > 500
