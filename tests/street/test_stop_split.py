"""Stops join the walk graph at the point of their street nearest to them (routing.street.split).

Expected walks are computed here from the raw geometry (the OSM file's coordinates, a flat local
projection, the README's 1.3 detour on the straight part and 4.8 km/h), not from the build's code.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest

from routing.street.compile import compile_streets
from routing.street.footpaths import STOP_SNAP_M, snap_stops
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets
from tests.street.osm_inline import DLAT, DLON, LAT0, LON0, write_osm

ROOT = Path(__file__).resolve().parents[2]
WALK_MPS = 4.8 / 3.6
DETOUR = 1.3
EARTH_M = 6_371_008.8


def _xy(lat: float, lon: float, lat0: float) -> tuple[float, float]:
    k = math.pi * EARTH_M / 180.0
    return lon * k * math.cos(math.radians(lat0)), lat * k


def _to_segment_m(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _walk_to(g: StreetGraph, source: int) -> dict[int, float]:
    """Seconds from ``source`` to every node, by a plain Dijkstra over the edge times."""
    import heapq

    adj: dict[int, list[tuple[int, int]]] = {}
    for t, h, ms in zip(g.edge_tail.tolist(), g.edge_head.tolist(), g.edge_ms.tolist(), strict=True):
        adj.setdefault(t, []).append((h, ms))
    best: dict[int, float] = {}
    heap = [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if u in best:
            continue
        best[u] = d / 1000.0
        for v, w in adj.get(u, []):
            if v not in best:
                heapq.heappush(heap, (d + w, v))
    return best


def test_a_stop_beside_the_middle_of_a_long_street_is_reached_from_either_end(tmp_path: Path) -> None:
    # One 600 m street west-east with nodes only at its ends, and a stop 20 m north of its middle.
    west, east = (LAT0, LON0), (LAT0, LON0 + 6 * DLON)
    nodes = {1: west, 2: east, 3: (LAT0 - DLAT, LON0), 4: (LAT0 - DLAT, LON0 + 6 * DLON)}
    ways = {10: ([1, 2], {"highway": "residential"}), 11: ([1, 3, 4, 2], {"highway": "residential"})}
    stop = (LAT0 + 20.0 / 111_195.0, LON0 + 3 * DLON)
    streets = read_streets(write_osm(tmp_path / "x.osm", nodes, ways))
    counts = compile_streets(
        streets, tmp_path, elevation=None, modes=("walk",), min_network_nodes=2,
        stops=(np.array([stop[0]]), np.array([stop[1]])), stop_snap_m=STOP_SNAP_M,
    )  # fmt: skip
    assert counts["walk"]["stop_nodes"] == 1
    walk = StreetGraph.load(tmp_path / "street", "walk")
    node, offset = snap_stops(walk, np.array([stop[0]]), np.array([stop[1]]))
    assert int(walk.node_osm[node[0]]) < 0  # a node made for the stop, not one of the street's ends
    assert offset[0] == pytest.approx(20.0 * DETOUR / WALK_MPS, abs=0.1)
    half_m = math.dist(_xy(*west, LAT0), _xy(*east, LAT0)) / 2
    for end in (1, 2):
        src = int(np.flatnonzero(np.asarray(walk.node_osm) == end)[0])
        assert _walk_to(walk, src)[int(node[0])] == pytest.approx(half_m / WALK_MPS, rel=0.01)


def _beatty_walk_ways(osm: Path) -> tuple[dict[int, tuple[float, float]], list[list[int]]]:
    """Node coordinates and the node lists of the ways walking may use in the Beatty extract
    (highways, less motorways and ways tagged foot=no or access=no without a foot permission)."""
    root = ET.parse(osm).getroot()
    coords = {int(n.get("id", "0")): (float(n.get("lat", "0")), float(n.get("lon", "0"))) for n in root.iter("node")}
    ways = []
    for w in root.iter("way"):
        tags = {t.get("k"): t.get("v") for t in w.iter("tag")}
        if "highway" not in tags or tags["highway"] in ("motorway", "motorway_link", "construction", "proposed"):
            continue
        if tags.get("foot") == "no" or (tags.get("access") in ("no", "private") and tags.get("foot") is None):
            continue
        ways.append([int(nd.get("ref", "0")) for nd in w.iter("nd")])
    return coords, ways


@pytest.mark.slow
def test_the_bullfrog_walk_is_the_straight_part_to_its_street() -> None:
    """In the GTFS sample feed, "Bullfrog" stands 20 m from a 674 m desert road; joined at the
    road's nearer end its walk was 238 s, now it is the straight part alone, as the geometry says."""
    from routing.build.pipeline import build_city
    from routing.core.city import load_city

    city = load_city("beatty")
    folder = build_city(city, progress=False)
    with zipfile.ZipFile(ROOT / "seeds" / "beatty" / "sample-feed.zip") as z:
        rows = z.read("stops.txt").decode("utf-8-sig").splitlines()
    header = rows[0].split(",")
    row = next(dict(zip(header, r.split(","), strict=False)) for r in rows[1:] if r.startswith("BULLFROG,"))
    lat, lon = float(row["stop_lat"]), float(row["stop_lon"])
    coords, ways = _beatty_walk_ways(ROOT / "seeds" / "beatty" / "beatty.osm")
    p = _xy(lat, lon, lat)
    nearest_m = min(
        _to_segment_m(p, _xy(*coords[a], lat), _xy(*coords[b], lat))
        for refs in ways
        for a, b in zip(refs, refs[1:], strict=False)
        if a in coords and b in coords
    )
    expected_s = nearest_m * DETOUR / WALK_MPS
    stop_ids = json.loads((folder / "transit" / "meta.json").read_text(encoding="utf-8"))["stop_ids"]
    i = stop_ids.index("sample:BULLFROG")
    offset = np.load(folder / "transit_access" / "stop_offset_s.npy")
    assert 15.0 < expected_s < 25.0  # 20 m from the road
    assert float(offset[i]) == pytest.approx(expected_s, abs=0.5)
