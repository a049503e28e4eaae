"""osmnx as an independent reader: every street segment we compile exists in osmnx's graph of the
same OSM file, with the same length."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["walk", "drive"])
def test_compiled_segments_match_osmnx(tmp_path: Path, mode: str) -> None:
    ox = pytest.importorskip("osmnx")
    osm = ROOT / "seeds" / "beatty" / "beatty.osm"
    compile_streets(read_streets(osm), tmp_path, elevation=None, modes=(mode,))
    g = StreetGraph.load(tmp_path / "street", mode)
    # osmnx keeps every highway way of the file (no network filter) and both directions here.
    G = ox.graph_from_xml(osm, bidirectional=True, simplify=False, retain_all=True)
    osm_ids = np.asarray(g.node_osm)
    checked = 0
    for a, b, length in zip(g.edge_tail.tolist(), g.edge_head.tolist(), g.edge_len.tolist(), strict=True):
        u, v = int(osm_ids[a]), int(osm_ids[b])
        assert G.has_edge(u, v), (u, v)
        theirs = min(d["length"] for d in G.get_edge_data(u, v).values())
        assert length == pytest.approx(theirs, rel=2e-3, abs=0.05)
        checked += 1
    assert checked > 500
