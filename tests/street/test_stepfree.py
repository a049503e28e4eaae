"""Step-free walking on an inline OSM fixture: steps, raised kerbs and wheelchair=no are avoided."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routing.core.errors import NoRoute
from routing.street.graph import StreetGraph
from routing.street.route import route_points
from routing.street.stepfree import MAX_STEPFREE_SLOPE, stepfree_graph, way_stepfree
from tests.street.osm_inline import DLAT, DLON, LAT0, LON0, compile_inline, edges_of

# Three rows of nodes, 100 m apart:
#   1 --steps(10)-- 2 --footway(11)-- 3          row 0: the short way from 1 to 3 climbs steps
#   |                                 |
#   4 -- 5 --crossing(13)-- 6 ------- 7          row 1: a crossing with a raised kerb node (6)
#   |                                 |
#   8 ------- residential(15) ------- 9          row 2: the step-free detour
NODES = {
    1: (LAT0, LON0),
    2: (LAT0, LON0 + DLON),
    3: (LAT0, LON0 + 2 * DLON),
    4: (LAT0 - DLAT, LON0),
    5: (LAT0 - DLAT, LON0 + 0.5 * DLON),
    6: (LAT0 - DLAT, LON0 + 1.0 * DLON),
    7: (LAT0 - DLAT, LON0 + 2 * DLON),
    8: (LAT0 - 2 * DLAT, LON0),
    9: (LAT0 - 2 * DLAT, LON0 + 2 * DLON),
    20: (LAT0 - 3 * DLAT, LON0),
    21: (LAT0 - 3 * DLAT, LON0 + DLON),
}
WAYS = {
    10: ([1, 2], {"highway": "steps"}),
    11: ([2, 3], {"highway": "footway"}),
    12: ([4, 5], {"highway": "footway"}),
    13: ([5, 6, 7], {"highway": "footway", "footway": "crossing"}),
    14: ([1, 4, 8], {"highway": "residential"}),
    15: ([8, 9], {"highway": "residential"}),
    16: ([3, 7, 9], {"highway": "residential"}),
    17: ([8, 20], {"highway": "footway", "wheelchair": "no"}),
    18: ([20, 21], {"highway": "steps", "ramp:wheelchair": "yes"}),
    19: ([21, 9], {"highway": "footway", "footway": "crossing", "kerb": "raised"}),
}
KERB = {6: {"barrier": "kerb", "kerb": "raised"}}


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> StreetGraph:
    tmp: Path = tmp_path_factory.mktemp("stepfree")
    return compile_inline(tmp, NODES, WAYS, min_network_nodes=2, node_tags=KERB)["walk"]


def _ways_used(g: StreetGraph, a: int, b: int) -> list[int]:
    """OSM ways under the route from node ``a`` to node ``b`` (by the edges along its points)."""
    r = route_points(g, NODES[a], NODES[b])
    lon = np.asarray(g.node_lon)
    lat = np.asarray(g.node_lat)
    used = []
    for (x0, y0), (x1, y1) in zip(r.coords, r.coords[1:], strict=False):
        for e in range(g.edge_count):
            t, h = int(g.edge_tail[e]), int(g.edge_head[e])
            if np.isclose(lon[t], x0) and np.isclose(lat[t], y0) and np.isclose(lon[h], x1) and np.isclose(lat[h], y1):
                used.append(int(g.edge_way[e]))
                break
    return used


def test_edges_closed_by_tags(walk: StreetGraph) -> None:
    assert walk.edge_stepfree is not None
    ok = np.asarray(walk.edge_stepfree)
    ways = np.asarray(walk.edge_way)

    def closed(way: int) -> bool:
        assert edges_of(walk, way), f"way {way} is not walkable at all"
        return not ok[ways == way].any()

    assert closed(10)  # highway=steps
    assert not closed(11)
    assert closed(17)  # wheelchair=no
    assert not closed(18)  # steps with a wheelchair ramp
    assert closed(19)  # a crossing way tagged kerb=raised
    # The raised kerb node 6 closes both edges of the crossing that meet at it, not the rest.
    crossing = np.flatnonzero(ways == 13)
    kerb_node = int(np.flatnonzero(np.asarray(walk.node_osm) == 6)[0])
    at_kerb = (np.asarray(walk.edge_tail)[crossing] == kerb_node) | (np.asarray(walk.edge_head)[crossing] == kerb_node)
    assert at_kerb.all() and not ok[crossing].any()
    assert ok[ways == 12].all() and ok[ways == 15].all()


def test_incline_tag_limit() -> None:
    assert way_stepfree({"highway": "footway", "incline": "8%"})
    assert not way_stepfree({"highway": "footway", "incline": "-12 %"})
    assert way_stepfree({"highway": "footway", "incline": "up"})  # no figure: nothing to compare
    assert pytest.approx(0.0833, abs=1e-4) == MAX_STEPFREE_SLOPE


def test_steps_avoided(walk: StreetGraph) -> None:
    assert _ways_used(walk, 1, 3)[0] == 10  # a walker climbs the steps: 100 m at half speed beats 300 m
    sf = stepfree_graph(walk)
    used = _ways_used(sf, 1, 3)
    assert 10 not in used and used, used
    plain = route_points(walk, NODES[1], NODES[3])
    detour = route_points(sf, NODES[1], NODES[3])
    assert detour.distance_m > plain.distance_m + 150


def test_raised_kerb_avoided(walk: StreetGraph) -> None:
    assert 13 in _ways_used(walk, 4, 7)  # straight along the crossing
    used = _ways_used(stepfree_graph(walk), 4, 7)
    assert 13 not in used and 12 not in used, used  # round by rows 0/2 instead


def test_no_stepfree_way_is_an_error(walk: StreetGraph) -> None:
    route_points(walk, NODES[20], NODES[9])  # a walker can
    with pytest.raises(NoRoute):
        # node 20 is reached only over wheelchair=no (17) or the kerb=raised crossing (19)
        route_points(stepfree_graph(walk), NODES[21], NODES[9])


def test_view_is_shared_and_plain_graph_unchanged(walk: StreetGraph) -> None:
    assert stepfree_graph(walk) is stepfree_graph(walk)
    assert _ways_used(walk, 1, 3)[0] == 10  # the plain graph's metric is untouched
