"""Tiny OSM files written inline from nodes and ways, compiled into the three street graphs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets

Nodes = dict[int, tuple[float, float]]  # node id → (lat, lon)
Ways = dict[int, tuple[list[int], dict[str, str]]]  # way id → (node ids, tags)
LAT0, LON0 = -30.0, -51.2
DLAT, DLON = 0.0009, 0.00104  # about 100 m each way at this latitude


def write_osm(path: Path, nodes: Nodes, ways: Ways, *, node_tags: dict[int, dict[str, str]] | None = None) -> Path:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="greenroute-tests">']
    for node, (lat, lon) in nodes.items():
        tags = (node_tags or {}).get(node)
        if not tags:
            lines.append(f'  <node id="{node}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
            continue
        lines.append(f'  <node id="{node}" version="1" lat="{lat:.7f}" lon="{lon:.7f}">')
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </node>")
    for wid, (refs, tags) in ways.items():
        lines.append(f'  <way id="{wid}" version="1">')
        lines += [f'    <nd ref="{n}"/>' for n in refs]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def compile_inline(
    tmp: Path,
    nodes: Nodes,
    ways: Ways,
    *,
    min_network_nodes: int = 200,
    node_tags: dict[int, dict[str, str]] | None = None,
) -> dict[str, StreetGraph]:
    """Write, read and compile the file; the three graphs, loaded."""
    streets = read_streets(write_osm(tmp / "inline.osm", nodes, ways, node_tags=node_tags))
    compile_streets(streets, tmp, elevation=None, min_network_nodes=min_network_nodes)
    return {m: StreetGraph.load(tmp / "street", m) for m in ("walk", "bike", "drive")}


def edges_of(g: StreetGraph, way: int) -> set[tuple[int, int]]:
    """The (from OSM node, to OSM node) pairs the mode may travel on one way."""
    sel = np.flatnonzero(np.asarray(g.edge_way) == way)
    return {(int(g.node_osm[g.edge_tail[e]]), int(g.node_osm[g.edge_head[e]])) for e in sel}


def ridden_edges_of(g: StreetGraph, way: int, *, pushed: bool = False) -> set[tuple[int, int]]:
    """Like :func:`edges_of` for the bike graph: the edges ridden (or, ``pushed=True``, walked)."""
    push = np.load(g.folder / "edge_push.npy")
    sel = np.flatnonzero((np.asarray(g.edge_way) == way) & (push == pushed))
    return {(int(g.node_osm[g.edge_tail[e]]), int(g.node_osm[g.edge_head[e]])) for e in sel}


def grid(first_id: int, rows: int, cols: int, *, lat0: float = LAT0, lon0: float = LON0) -> Nodes:
    """Nodes of a ``rows`` × ``cols`` grid of 100 m blocks, numbered row by row from ``first_id``."""
    return {first_id + r * cols + c: (lat0 - r * DLAT, lon0 + c * DLON) for r in range(rows) for c in range(cols)}


def grid_streets(first_way: int, first_id: int, rows: int, cols: int, tags: dict[str, str]) -> Ways:
    """One way per row and per column of a :func:`grid`, all with ``tags``."""
    ways: Ways = {}
    for r in range(rows):
        ways[first_way + r] = ([first_id + r * cols + c for c in range(cols)], dict(tags))
    for c in range(cols):
        ways[first_way + rows + c] = ([first_id + r * cols + c for r in range(rows)], dict(tags))
    return ways
