"""A few-block OSM file written inline: a 3×3 grid of 100 m blocks plus a detached island."""

from __future__ import annotations

from pathlib import Path

LAT0, LON0 = -30.0, -51.2
DLAT, DLON = 0.0009, 0.00104  # about 100 m each way at this latitude

# node id → (row, col); 20-21 form an island 300 m east of the grid.
GRID = {
    1: (0, 0),
    2: (0, 1),
    3: (0, 2),
    4: (1, 0),
    5: (1, 1),
    6: (1, 2),
    7: (2, 0),
    8: (2, 1),
    9: (2, 2),
    20: (0, 5),
    21: (1, 5),
}

WAYS = {
    101: ([1, 2, 3], {"highway": "residential", "name": "Rua Um"}),
    102: ([4, 5, 6], {"highway": "residential", "name": "Rua Dois", "oneway": "yes"}),
    103: ([7, 8, 9], {"highway": "residential", "name": "Rua Tres", "oneway": "yes", "oneway:bicycle": "no"}),
    104: ([1, 4, 7], {"highway": "residential", "name": "Rua Quatro", "oneway": "-1"}),
    105: ([2, 5, 8], {"highway": "residential", "name": "Rua Cinco", "foot": "no"}),
    106: ([3, 6, 9], {"highway": "motorway", "name": "Autoestrada"}),
    107: ([6, 5], {"highway": "residential", "name": "Rua Seis", "oneway": "yes", "cycleway": "opposite_lane"}),
    108: ([20, 21], {"highway": "residential", "name": "Ilha"}),
    109: ([8, 9], {"highway": "footway", "name": "Passeio"}),
}


def node_latlon(node: int) -> tuple[float, float]:
    r, c = GRID[node]
    return LAT0 - r * DLAT, LON0 + c * DLON


def write_osm(path: Path) -> Path:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="greenroute-tests">']
    for node in GRID:
        lat, lon = node_latlon(node)
        lines.append(f'  <node id="{node}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    for wid, (nodes, tags) in WAYS.items():
        lines.append(f'  <way id="{wid}" version="1">')
        lines += [f'    <nd ref="{n}"/>' for n in nodes]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
