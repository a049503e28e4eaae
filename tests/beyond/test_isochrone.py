"""Isochrones: exact one-to-all times, polygons that grow with minutes, transit by time of day."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from flask.testing import FlaskClient

from routing.core.errors import InvalidParameter
from routing.plan.isochrone import IsochroneQuery, Isochrones
from routing.plan.planner import Planner
from routing.plan.reach import Reach
from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets
from routing.street.route import route, route_to_node, snap
from tests.street.osm_fixture import DLON, LAT0, LON0, node_latlon, write_osm

ORIGIN = (-30.0277, -51.2287)


def _shape(feature: dict[str, Any]) -> shapely.Geometry:
    return shapely.geometry.shape(feature["geometry"])


def _contains(feature: dict[str, Any], lat: float, lon: float) -> bool:
    return bool(_shape(feature).contains(shapely.Point(lon, lat)))


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StreetGraph]:
    tmp: Path = tmp_path_factory.mktemp("grid-iso")
    compile_streets(read_streets(write_osm(tmp / "grid.osm")), tmp, elevation=None)
    return {m: StreetGraph.load(tmp / "street", m) for m in ("walk", "bike", "drive")}


def test_grid_one_to_all_times_equal_point_to_point_routes(grid: dict[str, StreetGraph]) -> None:
    for mode, g in grid.items():
        reach = Reach(g)
        o = snap(g, LAT0, LON0 + DLON * 0.3, argument="from")
        times = reach.times_ms(reach.origin_seeds(o), 1e9)
        for node in range(g.node_count):
            if not g.node_main[node]:
                continue
            r = route_to_node(g, o, node, (float(g.node_lat[node]), float(g.node_lon[node])))
            assert r is not None and times[node] / 1000 == pytest.approx(r.duration_s, abs=0.01), (mode, node)


def test_grid_walk_isochrone_grows_and_holds_what_routes_reach(grid: dict[str, StreetGraph]) -> None:
    from zoneinfo import ZoneInfo

    iso = Isochrones(grid, tz=ZoneInfo("America/Sao_Paulo"))
    start = node_latlon(1)
    fc = iso.compute(IsochroneQuery(origin=start, mode="walk", minutes=(1, 2, 4)))
    by_min = {f["properties"]["minutes"]: f for f in fc["features"]}
    a1, a2, a4 = (_shape(by_min[m]).area for m in (1, 2, 4))
    assert 0 < a1 < a2 < a4
    g = grid["walk"]
    o = snap(g, *start, argument="from")
    for node in (2, 3, 4, 5, 6, 7, 8, 9):
        lat, lon = node_latlon(node)
        secs = route(g, o, snap(g, lat, lon, argument="to")).duration_s
        for m in (1, 2, 4):
            if secs <= m * 60:
                assert _contains(by_min[m], lat, lon), (node, m)
            elif secs > m * 60 + 60:  # beyond the 50 m buffer's reach (~38 s of walking)
                assert not _contains(by_min[m], lat, lon), (node, m)
    # The island is not reachable on foot however long one walks.
    assert not _contains(by_min[4], *node_latlon(20))


def test_query_validation() -> None:
    for kwargs, arg in (
        ({"mode": "fly", "minutes": (10,)}, "mode"),
        ({"mode": "walk", "minutes": ()}, "minutes"),
        ({"mode": "walk", "minutes": (0,)}, "minutes"),
        ({"mode": "walk", "minutes": (121,)}, "minutes"),
        ({"mode": "walk", "minutes": (1, 2, 3, 4, 5, 6, 7)}, "minutes"),
        ({"mode": "walk", "minutes": (10,), "at": datetime(2026, 1, 1, 8)}, "at"),
    ):
        with pytest.raises(InvalidParameter) as err:
            IsochroneQuery(origin=ORIGIN, **kwargs)
        assert err.value.argument == arg
    assert IsochroneQuery(origin=ORIGIN, mode="walk", minutes=(30, 10, 10)).minutes == (10, 30)


def test_porto_alegre_walk_isochrone_grows_and_contains_routed_points(poa_planner: Planner) -> None:
    iso = Isochrones(poa_planner.graphs, tz=poa_planner.tz)
    fc = iso.compute(IsochroneQuery(origin=ORIGIN, mode="walk", minutes=(5, 10, 15)))
    by_min = {f["properties"]["minutes"]: f for f in fc["features"]}
    assert [f["properties"]["minutes"] for f in fc["features"]] == [15, 10, 5]
    assert _shape(by_min[5]).area < _shape(by_min[10]).area < _shape(by_min[15]).area
    # Nested, up to the 5 m simplification of each outline.
    assert _shape(by_min[5]).difference(_shape(by_min[10])).area < 0.01 * _shape(by_min[5]).area
    g = poa_planner.graphs["walk"]
    o = snap(g, *ORIGIN, argument="from")
    rng = np.random.default_rng(9)
    checked = 0
    for node in rng.choice(np.flatnonzero(np.asarray(g.node_main)), size=400, replace=False):
        lat, lon = float(g.node_lat[node]), float(g.node_lon[node])
        r = route_to_node(g, o, int(node), (lat, lon))
        assert r is not None
        secs = r.duration_s
        if secs <= 15 * 60:
            for m in (5, 10, 15):
                if secs <= m * 60:
                    assert _contains(by_min[m], lat, lon), (node, m, secs)
                    checked += 1
    assert checked >= 3


def test_porto_alegre_transit_isochrone_smaller_at_3_than_at_8(poa_client: FlaskClient) -> None:
    # A Monday; the 2019 feeds are used for its weekday (stale-feed fallback, said in notices).
    url = f"/api/isochrone?from={ORIGIN[0]},{ORIGIN[1]}&mode=transit&minutes=20,30"
    night = poa_client.get(url + "&at=2026-11-23T03:00").get_json()
    morning = poa_client.get(url + "&at=2026-11-23T08:00").get_json()
    walk = poa_client.get(f"/api/isochrone?from={ORIGIN[0]},{ORIGIN[1]}&mode=walk&minutes=20,30").get_json()
    assert any(n["code"] == "stale_feed" for n in morning["notices"])
    for i in range(2):
        a_night, a_morning = (_shape(fc["features"][i]).area for fc in (night, morning))
        assert a_night < a_morning
        outside = _shape(walk["features"][i]).difference(_shape(morning["features"][i]))
        assert outside.area < 0.01 * _shape(walk["features"][i]).area
    assert morning["features"][0]["properties"] == {
        "minutes": 30,
        "mode": "transit",
        "area_km2": morning["features"][0]["properties"]["area_km2"],
    }


def test_isochrone_api_answers_geojson_and_names_bad_arguments(poa_client: FlaskClient) -> None:
    r = poa_client.get(f"/api/isochrone?from={ORIGIN[0]},{ORIGIN[1]}&mode=bike&minutes=5,10")
    assert r.status_code == 200
    fc = r.get_json()
    assert fc["type"] == "FeatureCollection" and [f["properties"]["minutes"] for f in fc["features"]] == [10, 5]
    assert all(f["geometry"]["type"] == "MultiPolygon" and f["properties"]["mode"] == "bike" for f in fc["features"])
    assert fc["request"]["mode"] == "bike" and fc["request"]["minutes"] == [5, 10]
    for query, status, argument in (
        ("mode=walk", 400, "from"),
        (f"from={ORIGIN[0]},{ORIGIN[1]}&mode=teleport", 400, "mode"),
        (f"from={ORIGIN[0]},{ORIGIN[1]}&minutes=ten", 400, "minutes"),
        (f"from={ORIGIN[0]},{ORIGIN[1]}&minutes=500", 400, "minutes"),
        (f"from={ORIGIN[0]},{ORIGIN[1]}&at=tomorrow", 400, "at"),
        (f"from={ORIGIN[0]},{ORIGIN[1]}&zoom=3", 400, "zoom"),
        ("from=10,10&mode=walk", 422, "from"),
    ):
        r = poa_client.get("/api/isochrone?" + query)
        body = r.get_json()
        assert r.status_code == status and body["argument"] == argument and body["message"], query
