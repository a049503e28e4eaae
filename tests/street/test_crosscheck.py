"""CCH travel times equal networkx Dijkstra's on the same Porto Alegre graphs (≥ 200 random pairs)."""

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
