"""Kept and dropped components, snapping between them, and no_street_connection.

The fixture: two districts, a 3×3 grid of streets in the west and a 3×4 grid 300 m to the east,
joined only by a trunk bridge (no sidewalk tag) from the west grid's middle east corner to the east
grid's middle west corner, plus a two-node island farther east.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routing.core.city import city_from_toml, load_city
from routing.core.errors import BuildError, NoStreetConnection, OutsideArea
from routing.core.graphs import build_key
from routing.plan.answer_json import answer_json
from routing.plan.planner import Planner
from routing.plan.request import PlanRequest
from routing.street.components import strong_components
from routing.street.route import LARGER_COMPONENT_SLACK_M, route, route_points, snap, snap_pairs
from tests.street.osm_inline import DLAT, DLON, LAT0, LON0, Nodes, Ways, compile_inline, grid, grid_streets, write_osm

WEST = grid(1, 3, 3)  # nodes 1-9; 6 is the middle of its east side
EAST_LON0 = LON0 + 5 * DLON  # the east grid starts 300 m beyond the west grid's east side
EAST = grid(101, 3, 4, lon0=EAST_LON0)  # nodes 101-112; 105 is the middle of its west side
ISLAND = {201: (LAT0, LON0 + 12 * DLON), 202: (LAT0 - DLAT, LON0 + 12 * DLON)}
BRIDGE_WAY = 900


def _fixture(bridge: dict[str, str]) -> tuple[Nodes, Ways]:
    nodes = {**WEST, **EAST, **ISLAND, 50: (LAT0 - DLAT, LON0 + 3.5 * DLON)}
    ways = {
        **grid_streets(10, 1, 3, 3, {"highway": "residential", "name": "West"}),
        **grid_streets(110, 101, 3, 4, {"highway": "residential", "name": "East"}),
        BRIDGE_WAY: ([6, 50, 105], {"highway": "trunk", "bridge": "yes", "name": "Bridge"} | bridge),
        950: ([201, 202], {"highway": "residential", "name": "Island"}),
    }
    return nodes, ways


def test_two_districts_joined_by_a_trunk_bridge_route_across_on_foot(tmp_path: Path) -> None:
    graphs = compile_inline(tmp_path, *_fixture({}))
    walk = graphs["walk"]
    o = snap(walk, *WEST[1], argument="from")
    d = snap(walk, *EAST[112], argument="to")
    assert o.component == d.component
    r = route(walk, o, d)
    assert "Bridge" in {s["name"] for s in r.steps}
    # 100 m south and 200 m east to node 6, 300 m of bridge, then 300 m east and 100 m south
    assert r.distance_m == pytest.approx(1000.0, rel=0.02)


def test_a_motorroad_bridge_leaves_walkers_and_cyclists_unconnected(tmp_path: Path) -> None:
    graphs = compile_inline(tmp_path, *_fixture({"motorroad": "yes"}), min_network_nodes=5)
    for mode, what in (("walk", "walking"), ("bike", "cycling")):
        g = graphs[mode]
        o = snap(g, *WEST[1], argument="from")
        d = snap(g, *EAST[112], argument="to")
        assert o.component != d.component
        with pytest.raises(NoStreetConnection, match=f"no {what} connection between these points in the OSM data"):
            route(g, o, d)
    drive = graphs["drive"]
    assert route(drive, snap(drive, *WEST[1], argument="from"), snap(drive, *EAST[112], argument="to")).distance_m > 0


def test_unconnected_snaps_fall_back_to_a_shared_component_within_reach(tmp_path: Path) -> None:
    walk = compile_inline(tmp_path, *_fixture({"motorroad": "yes"}), min_network_nodes=5)["walk"]
    # Node 6 is on the west grid, 300 m from the east grid: after the nearest snaps (west, east)
    # fail, the origin is tried on the east grid, and that route is taken.
    pairs = list(snap_pairs(walk, WEST[6], EAST[112]))
    assert [p[0].distance_m for p in pairs] == pytest.approx([0.0, 300.0], abs=1.0)
    assert pairs[1][0].component == pairs[1][1].component
    r = route_points(walk, WEST[6], EAST[112])
    assert r.distance_m == pytest.approx(400.0, rel=0.02)  # from the east grid's 105: 300 m east, 100 m south
    # Node 1 is 501 m from the east grid: nothing to fall back on.
    assert len(list(snap_pairs(walk, WEST[1], EAST[112]))) == 1
    with pytest.raises(NoStreetConnection):
        route_points(walk, WEST[1], EAST[112])


def test_small_components_are_dropped_and_not_snapped_to(tmp_path: Path) -> None:
    # Keep >= 10 nodes: the west grid (9 walk nodes) is dropped along with the island.
    walk = compile_inline(tmp_path, *_fixture({"motorroad": "yes"}), min_network_nodes=10)["walk"]
    kept = np.asarray(walk.node_main)
    osm = np.asarray(walk.node_osm)
    assert set(osm[kept].tolist()) == set(EAST)
    with pytest.raises(OutsideArea):  # the west grid's corner is 500+ m from the east grid
        snap(walk, *WEST[1], argument="from")
    p = snap(walk, *WEST[6], argument="from")  # 300 m from the east grid: it snaps there
    assert p.distance_m == pytest.approx(300.0, rel=0.02)


def test_snap_prefers_the_larger_of_two_about_equally_near_components(tmp_path: Path) -> None:
    walk = compile_inline(tmp_path, *_fixture({"motorroad": "yes"}), min_network_nodes=5)["walk"]
    sizes = walk.component_sizes
    gap_lat = LAT0 - 0.5 * DLAT  # between rows, so only the grids' vertical streets are near
    west_edge, east_edge = LON0 + 2 * DLON, EAST_LON0
    # 10 m nearer the west grid than the east one: within the slack, the larger east grid wins.
    lon = (west_edge + east_edge) / 2 - 5.0 / 96_440
    p = snap(walk, gap_lat, lon, argument="from")
    assert int(sizes[p.component]) == 12 and p.distance_m == pytest.approx(155.0, abs=2.0)
    # 60 m nearer the west grid: beyond the slack, the nearer one.
    assert LARGER_COMPONENT_SLACK_M < 60.0
    lon = (west_edge + east_edge) / 2 - 30.0 / 96_440
    p = snap(walk, gap_lat, lon, argument="from")
    assert int(sizes[p.component]) == 9 and p.distance_m == pytest.approx(120.0, abs=2.0)


def test_strong_components_keep_large_ones_and_always_the_largest() -> None:
    # 0→1→2→0 (3 nodes), 3↔4 (2 nodes), 5 alone, 2→3 joins nothing strongly
    tail = np.array([0, 1, 2, 3, 4, 2], np.int32)
    head = np.array([1, 2, 0, 4, 3, 3], np.int32)
    c = strong_components(tail, head, 6, min_network_nodes=2)
    assert c.kept.tolist() == [True, True, True, True, True, False]
    c = strong_components(tail, head, 6, min_network_nodes=50)
    assert c.kept.tolist() == [True, True, True, False, False, False]  # the largest, though below 50


def test_build_report_lists_components_kept_and_dropped(tmp_path: Path) -> None:
    from routing.street.compile import compile_streets
    from routing.street.osm import read_streets

    osm = write_osm(tmp_path / "f.osm", *_fixture({"motorroad": "yes"}))
    counts = compile_streets(read_streets(osm), tmp_path, elevation=None, min_network_nodes=5)
    walk = counts["walk"]["components"]
    assert [c["nodes"] for c in walk["kept"]] == [12, 9]
    south, west, north, east = walk["kept"][0]["bbox"]
    assert (south, west) == pytest.approx((LAT0 - 2 * DLAT, EAST_LON0), abs=1e-5)
    assert (north, east) == pytest.approx((LAT0, EAST_LON0 + 3 * DLON), abs=1e-5)
    # only the island: the motorroad bridge is not in the walk graph at all
    assert walk["dropped_count"] == 1 and walk["dropped_nodes"] == 2
    assert walk["dropped"] == [
        {"nodes": 2, "bbox": [round(LAT0 - DLAT, 5), round(LON0 + 12 * DLON, 5), LAT0, round(LON0 + 12 * DLON, 5)]}
    ]
    assert counts["walk"]["kept_nodes"] == 21
    drive = counts["drive"]["components"]
    assert [c["nodes"] for c in drive["kept"]] == [22]  # the bridge joins both grids for cars


def _seed(tmp_path: Path, streets: str) -> Path:
    seeds = tmp_path / "seeds"
    folder = seeds / "twin"
    folder.mkdir(parents=True)
    write_osm(folder / "twin.osm", *_fixture({"motorroad": "yes"}))
    (folder / "city.toml").write_text(
        f'name = "twin"\ntimezone = "America/Sao_Paulo"\n[files]\nosm = "twin.osm"\n{streets}', encoding="utf-8"
    )
    return seeds


def test_min_network_nodes_is_read_from_city_toml_and_part_of_the_build_hash(tmp_path: Path) -> None:
    seeds = _seed(tmp_path, "[streets]\nmin_network_nodes = 5\n")
    five = load_city("twin", seeds=seeds)
    assert five.min_network_nodes == 5
    toml = seeds / "twin" / "city.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("= 5", "= 200"), encoding="utf-8")
    assert city_from_toml(toml).min_network_nodes == 200
    assert build_key(city_from_toml(toml)) != build_key(five)
    toml.write_text(toml.read_text(encoding="utf-8").replace("[streets]\nmin_network_nodes = 200\n", ""))
    assert city_from_toml(toml).min_network_nodes == 200  # the default


@pytest.mark.parametrize("value", ["0", '"many"', "true", "2.5"])
def test_a_bad_min_network_nodes_is_a_build_error(tmp_path: Path, value: str) -> None:
    seeds = _seed(tmp_path, f"[streets]\nmin_network_nodes = {value}\n")
    with pytest.raises(BuildError, match="min_network_nodes"):
        load_city("twin", seeds=seeds)


def test_the_plan_answers_other_modes_when_walking_has_no_connection(tmp_path: Path) -> None:
    from routing.build.pipeline import build_city

    seeds = _seed(tmp_path, "[streets]\nmin_network_nodes = 5\n")
    city = load_city("twin", seeds=seeds)
    planner = Planner(build_city(city, root=tmp_path / "graphs", progress=False), city)
    req = PlanRequest(origin=WEST[1], destination=EAST[112], modes=("walk", "bike", "drive"))
    plan = answer_json(planner.plan(req))
    assert [o["mode"] for o in plan["options"]] == ["drive"]
    for mode in ("walk", "bike"):
        assert plan["errors"][mode]["error"] == "no_street_connection"
    assert "no walking connection between these points in the OSM data" in plan["errors"]["walk"]["message"]


def test_stops_join_the_nearest_kept_street_not_the_nearest_node(tmp_path: Path) -> None:
    from routing.core.walking import STRAIGHT_DETOUR, WALK_MPS
    from routing.street.footpaths import snap_stops
    from routing.street.snap_nodes import nearest_street_nodes

    # A 500 m street 1-2-5 and, 15 m north of it, a two-node footway island (dropped: 2 < 3 nodes).
    nodes = {1: (LAT0, LON0), 2: (LAT0, LON0 + 4 * DLON), 5: (LAT0, LON0 + 5 * DLON)}
    nodes |= {3: (LAT0 + 0.00014, LON0 + 1.45 * DLON), 4: (LAT0 + 0.00014, LON0 + 1.55 * DLON)}
    ways = {1: ([1, 2, 5], {"highway": "residential"}), 2: ([3, 4], {"highway": "footway"})}
    walk = compile_inline(tmp_path, nodes, ways, min_network_nodes=3)["walk"]
    # 5 m south of the island, 10 m north of the street, 150 m from node 1 along it
    lat, lon = np.array([LAT0 + 0.00009]), np.array([LON0 + 1.5 * DLON])
    node, off_m, along_m = nearest_street_nodes(walk, lat, lon, max_m=300.0)
    assert int(walk.node_osm[node[0]]) == 1
    assert off_m[0] == pytest.approx(10.0, abs=0.5) and along_m[0] == pytest.approx(150.0, rel=0.01)
    stop_node, offset = snap_stops(walk, lat, lon)
    assert stop_node[0] == node[0]
    assert offset[0] == pytest.approx((10.0 * STRAIGHT_DETOUR + 150.0) / WALK_MPS, rel=0.01)
    far, _, _ = nearest_street_nodes(walk, np.array([LAT0 + 0.01]), np.array([LON0]), max_m=300.0)
    assert far.tolist() == [-1]
