"""Snapping, routes and errors on the few-block grid."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.core.errors import InvalidCoordinates, NoRoute, NoStreetConnection, OutsideArea, SameOriginDestination
from routing.core.geo import parse_latlon
from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets
from routing.street.route import check_distinct, route, snap
from tests.street.osm_fixture import DLAT, DLON, LAT0, LON0, node_latlon, write_osm


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StreetGraph]:
    tmp = tmp_path_factory.mktemp("grid")
    compile_streets(read_streets(write_osm(tmp / "grid.osm")), tmp, elevation=None)
    return {m: StreetGraph.load(tmp / "street", m) for m in ("walk", "bike", "drive")}


def test_snap_projects_onto_the_edge_not_the_nearest_node(graphs: dict[str, StreetGraph]) -> None:
    # 30 m south of the middle of block 1-2 (Rua Um): the snapped point lies on the street, mid-block.
    lat, lon = LAT0 - 0.00027, LON0 + DLON * 0.5
    p = snap(graphs["walk"], lat, lon, argument="from")
    assert p.distance_m == pytest.approx(30.0, abs=1.0)
    assert p.lat == pytest.approx(LAT0, abs=1e-6)
    assert p.lon == pytest.approx(LON0 + DLON * 0.5, abs=1e-6)
    assert 0.4 < p.t < 0.6


def test_route_includes_the_partial_edges_from_the_snapped_points(graphs: dict[str, StreetGraph]) -> None:
    g = graphs["walk"]
    o = snap(g, LAT0, LON0 + DLON * 0.25, argument="from")
    d = snap(g, LAT0, LON0 + DLON * 1.75, argument="to")
    r = route(g, o, d)
    assert r.distance_m == pytest.approx(150.0, rel=0.01)
    assert r.duration_s == pytest.approx(150.0 / (4.8 / 3.6), rel=0.01)
    assert r.coords[0] == pytest.approx((o.lon, o.lat)) and r.coords[-1] == pytest.approx((d.lon, d.lat))
    assert [s["turn"] for s in r.steps] == ["depart", "arrive"]
    assert r.steps[0]["name"] == "Rua Um"


def test_drive_obeys_oneway_and_prefers_the_main_network(graphs: dict[str, StreetGraph]) -> None:
    g = graphs["drive"]
    # Node 4 can be left by car but never reached (Rua Dois runs east, Rua Quatro north), so a trip
    # to it snaps to the nearest street of the main network instead: Rua Um, 100 m north.
    o = snap(g, *node_latlon(6), argument="from")
    d = snap(g, *node_latlon(4), argument="to")
    assert d.distance_m == pytest.approx(100.0, rel=0.01)
    r = route(g, o, d)
    assert [s["name"] for s in r.steps][:3] == ["Rua Seis", "Rua Cinco", "Rua Um"]
    assert [s["turn"] for s in r.steps][:3] == ["depart", "right", "left"]
    assert "Rua Dois" not in {s["name"] for s in r.steps}  # westward on a one-way street
    walk = graphs["walk"]
    w = route(walk, snap(walk, *node_latlon(6), argument="from"), snap(walk, *node_latlon(4), argument="to"))
    assert w.distance_m == pytest.approx(200.0, rel=0.01)  # walkers use Rua Dois both ways
    assert [s["name"] for s in w.steps][:1] == ["Rua Dois"]


def test_a_dropped_island_snaps_to_the_kept_network(graphs: dict[str, StreetGraph]) -> None:
    # The two-node island is below min_network_nodes: a point on it snaps to the grid, 300 m west.
    g = graphs["drive"]
    d = snap(g, *node_latlon(20), argument="to")
    assert d.distance_m == pytest.approx(3 * DLON * 96_440, rel=0.02)
    assert route(g, snap(g, *node_latlon(1), argument="from"), d).distance_m > 0


def test_a_kept_island_gives_no_street_connection(tmp_path: Path) -> None:
    compile_streets(read_streets(write_osm(tmp_path / "grid.osm")), tmp_path, elevation=None, min_network_nodes=1)
    g = StreetGraph.load(tmp_path / "street", "drive")
    o = snap(g, *node_latlon(1), argument="from")
    d = snap(g, *node_latlon(20), argument="to")
    with pytest.raises(NoStreetConnection) as err:
        route(g, o, d)
    assert err.value.argument == "to" and err.value.code == "no_street_connection" and err.value.status == 422
    assert "no driving connection between these points in the OSM data" in err.value.message
    assert isinstance(err.value, NoRoute)  # callers that handle NoRoute handle it too


def test_far_from_any_street_is_outside_area(graphs: dict[str, StreetGraph]) -> None:
    with pytest.raises(OutsideArea):
        snap(graphs["walk"], LAT0 - 0.02, LON0, argument="from")  # 2 km south
    with pytest.raises(OutsideArea) as err:
        snap(graphs["walk"], LAT0 - 3 * DLAT - 0.0055, LON0 + DLON, argument="to")  # 600 m beyond the last street
    assert err.value.argument == "to"


def test_same_point_is_an_error(graphs: dict[str, StreetGraph]) -> None:
    with pytest.raises(SameOriginDestination):
        check_distinct((LAT0, LON0), (LAT0, LON0))
    g = graphs["walk"]
    p = snap(g, LAT0, LON0 + DLON * 0.5, argument="from")
    with pytest.raises(SameOriginDestination):
        route(g, p, p)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "nan,1", "inf,2", "91,0", "0,181", "1e999,1", "-30.1;-51.2"])
def test_invalid_coordinates(text: str) -> None:
    with pytest.raises(InvalidCoordinates) as err:
        parse_latlon(text, argument="from")
    assert err.value.argument == "from"


def test_walk_route_uses_footway_but_not_foot_no(graphs: dict[str, StreetGraph]) -> None:
    g = graphs["walk"]
    r = route(g, snap(g, *node_latlon(2), argument="from"), snap(g, *node_latlon(8), argument="to"))
    names = {s["name"] for s in r.steps}
    assert "Rua Cinco" not in names  # foot=no
    assert r.distance_m == pytest.approx(400.0, rel=0.02)  # round Rua Um/Quatro/Tres, not straight down
