"""Turn-expanded routing (drive, bike) together with kept components, fallback snaps and routing costs.

The drive and bike graphs are searched over their turn-expanded graphs; snapping is on the street
graph's kept components, and :func:`routing.street.route.route_points` tries other snaps when the
nearest lie on unconnected networks. These tests check that the two work together.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.core.errors import NoStreetConnection
from routing.street import access
from routing.street.route import route, route_points, snap, snap_pairs
from tests.street.osm_inline import DLAT, DLON, LAT0, LON0, compile_inline
from tests.street.test_components import EAST, ISLAND, WEST, _fixture


def test_drive_and_bike_graphs_have_turns_and_walk_has_none(tmp_path: Path) -> None:
    graphs = compile_inline(tmp_path, *_fixture({}), min_network_nodes=5)
    assert graphs["walk"].turns is None
    assert graphs["drive"].turns is not None and graphs["bike"].turns is not None


def test_cycling_falls_back_to_a_shared_component_on_the_turn_graph(tmp_path: Path) -> None:
    # The motorroad bridge is closed to cyclists: the west and east grids are separate bike networks.
    bike = compile_inline(tmp_path, *_fixture({"motorroad": "yes"}), min_network_nodes=5)["bike"]
    assert bike.turns is not None
    pairs = list(snap_pairs(bike, WEST[6], EAST[112]))
    assert pairs[0][0].component != pairs[0][1].component
    with pytest.raises(NoStreetConnection, match="no cycling connection"):
        route(bike, *pairs[0])
    r = route_points(bike, WEST[6], EAST[112])  # the origin retried on the east grid, 300 m away
    assert r.distance_m == pytest.approx(400.0, rel=0.02)
    with pytest.raises(NoStreetConnection):  # node 1 is beyond reach of the east grid
        route_points(bike, WEST[1], EAST[112])


def test_driving_snaps_past_a_dropped_island_and_routes_with_turns(tmp_path: Path) -> None:
    drive = compile_inline(tmp_path, *_fixture({"motorroad": "yes"}), min_network_nodes=5)["drive"]
    assert drive.turns is not None
    o = snap(drive, *ISLAND[201], argument="from")  # the two-node island is dropped
    assert bool(drive.node_main[drive.seg_u[o.seg]]) and o.distance_m == pytest.approx(400.0, rel=0.02)
    r = route_points(drive, ISLAND[201], WEST[1])
    assert "Bridge" in {s["name"] for s in r.steps}
    assert r.distance_m > 1000.0  # 400 m back to the east grid, across it and the bridge, to node 1


@pytest.mark.parametrize("penalised", [False, True])
def test_routing_costs_steer_a_turn_graph_search_and_times_stay_travel_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, penalised: bool
) -> None:
    """No turn mode has access penalties today; give cycling the walker's to check that a turn graph
    search minimises routing costs (``edge_cost``) and reports travel times, as the node search does.
    Trunk 1-2 (sidewalk=no, factor 3) is 200 m; the residential detour 1-3-4-2 is 340 m."""
    if penalised:
        monkeypatch.setitem(access.PENALTY, "bike", access.walk_penalty)
    nodes = {
        1: (LAT0, LON0),
        2: (LAT0, LON0 + 2 * DLON),
        3: (LAT0 - 0.7 * DLAT, LON0),
        4: (LAT0 - 0.7 * DLAT, LON0 + 2 * DLON),
    }
    ways = {
        1: ([1, 2], {"highway": "trunk", "name": "Trunk", "sidewalk": "no"}),
        2: ([1, 3, 4, 2], {"highway": "residential", "name": "Detour"}),
    }
    bike = compile_inline(tmp_path, nodes, ways)["bike"]
    assert bike.turns is not None
    assert (bike.turns.cost_metric is not bike.turns.metric) is penalised
    r = route(bike, snap(bike, *nodes[1], argument="from"), snap(bike, *nodes[2], argument="to"))
    names = {s["name"] for s in r.steps}
    assert ("Detour" in names) is penalised and ("Trunk" in names) is not penalised
    assert r.distance_m == pytest.approx(340.0 if penalised else 200.0, rel=0.01)
    # the duration is the edges' travel time (cycling has no turn costs), never the penalised cost
    path = {(1, 3), (3, 4), (4, 2)} if penalised else {(1, 2)}
    osm = bike.node_osm
    along = [e for e in range(bike.edge_count) if (int(osm[bike.edge_tail[e]]), int(osm[bike.edge_head[e]])) in path]
    assert len(along) == len(path)
    assert r.duration_s == pytest.approx(sum(int(bike.edge_ms[e]) for e in along) / 1000.0, rel=0.01)
