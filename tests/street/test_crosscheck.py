"""CCH travel times equal Dijkstra's on the same Porto Alegre graphs: networkx on the street graphs, a plain heapq
Dijkstra on the turn-expanded ones."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from routing.street.graph import StreetGraph


@pytest.mark.parametrize("mode", ["drive", "walk", "bike"])
def test_cch_matches_dijkstra_on_random_pairs(poa_folder: Path, mode: str) -> None:
    g = StreetGraph.load(poa_folder / "street", mode)
    G = g.to_networkx()
    rng = random.Random(20261122)
    main = g.largest_component_nodes()  # every pair in it is connected
    q = g.query()
    checked = 0
    for _ in range(200):
        s, t = int(rng.choice(main)), int(rng.choice(main))
        res = q.run(s, t)
        dist, arcs = res.distance, list(res.arc_path)
        del res
        expected = nx.dijkstra_path_length(G, s, t, weight="w")
        assert dist == expected, (s, t)
        # The path itself is real: its edges chain from s to t and sum to the distance.
        assert sum(int(g.edge_ms[a]) for a in arcs) == dist
        if arcs:
            assert int(g.edge_tail[arcs[0]]) == s and int(g.edge_head[arcs[-1]]) == t
        checked += 1
    assert checked == 200


def test_unreachable_pairs_agree(poa_folder: Path) -> None:
    g = StreetGraph.load(poa_folder / "street", "drive")
    G = g.to_networkx()
    main = g.largest_component_nodes()
    outside = np.setdiff1d(np.arange(g.node_count), main)
    rng = random.Random(7)
    q = g.query()
    for _ in range(30):
        s, t = int(rng.choice(main)), int(rng.choice(outside))
        res = q.run(s, t)
        dist = res.distance
        del res
        reachable = nx.has_path(G, s, t)
        assert (dist is not None) == reachable
        if reachable:
            assert dist == nx.dijkstra_path_length(G, s, t, weight="w")


@pytest.mark.parametrize("mode", ["drive", "bike"])
def test_turn_routes_match_a_plain_dijkstra_over_the_turn_expanded_graph(poa_folder: Path, mode: str) -> None:
    """The turn search route() runs, between random points (mid-edge snaps), against heapq Dijkstra
    over the same arcs and routing costs."""
    import heapq

    from routing.core.errors import GreenrouteError
    from routing.street.route import _direct, _search, partial_cost, route_sources, route_targets, snap

    g = StreetGraph.load(poa_folder / "street", mode)
    t = g.turns
    assert t is not None
    # routing costs (what a route minimises: turn costs plus the entered edge's cost), not times
    weights = np.asarray(t.cost_metric.weights, dtype=np.int64)
    order = np.argsort(t.arc_from, kind="stable")
    start = np.zeros(t.node_count + 1, np.int64)
    np.cumsum(np.bincount(t.arc_from, minlength=t.node_count), out=start[1:])
    heads, costs = t.arc_to[order].tolist(), weights[order].tolist()
    starts = start.tolist()
    edge_of = t.edge.tolist()
    arc_to_edge = [(int(a), edge_of[int(b)], int(ms)) for a, b, ms in zip(t.arc_from, t.arc_to, t.arc_ms, strict=True)]
    into: dict[int, list[tuple[int, int]]] = {}  # street edge → (expanded node turned from, turn ms)
    for a, e, ms in arc_to_edge:
        into.setdefault(e, []).append((a, ms))
    s, w, n, e_ = g.bbox
    rng = random.Random(f"turns-{mode}")
    checked = 0
    for _ in range(80):
        if checked >= 25:
            break
        try:
            o = snap(g, rng.uniform(s, n), rng.uniform(w, e_), argument="from")
            d = snap(g, rng.uniform(s, n), rng.uniform(w, e_), argument="to")
        except GreenrouteError:
            continue
        if o.seg == d.seg or _direct(g, o, d) is not None:
            continue
        # Targets: expanded node → ms still to go (the turn onto the destination's edge and its part).
        # A point at a node (route_targets/route_sources) is reached by, and left on, any edge there.
        goal: dict[int, int] = {}
        for node, part in route_targets(g, d).items():
            if part is None:
                goal.update((int(x), 0) for x in np.flatnonzero(np.asarray(g.edge_head)[t.edge] == node))
                continue
            for x, ms in into.get(part[0], []):
                goal[x] = min(goal.get(x, 1 << 62), ms + partial_cost(g, part))
        dist: dict[int, int] = {}
        heap = []
        for node, p in route_sources(g, o).items():
            if p is not None:
                heap.append((partial_cost(g, p), p[0]))
            else:  # every edge out of the node, itself an expanded node, travelled whole
                heap += [(int(g.edge_cost[e]), e) for e in np.flatnonzero(np.asarray(g.edge_tail) == node).tolist()]
        heapq.heapify(heap)
        best = None
        while heap:
            c, x = heapq.heappop(heap)
            if x in dist or (best is not None and c >= best):
                continue
            dist[x] = c
            if x in goal:
                best = c + goal[x] if best is None else min(best, c + goal[x])
            for i in range(starts[x], starts[x + 1]):
                if heads[i] not in dist:
                    heapq.heappush(heap, (c + costs[i], heads[i]))
        found = _search(g, route_sources(g, o), route_targets(g, d))  # route()'s search
        got = None if found is None else found.total_cost(g)
        assert (got is None) == (best is None)
        if best is not None:
            assert got == pytest.approx(best, abs=3), (o, d)
            checked += 1
    assert checked >= 20
