"""Combined and extra modes: bike + transit, park-and-ride, e-bike, e-scooter, taxi."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from flask.testing import FlaskClient

from routing.build.car_parks import build_car_parks, read_car_parks
from routing.core.errors import InvalidParameter
from routing.plan.answer_json import answer_json
from routing.plan.assisted_speeds import ebike_kmh, escooter_kmh
from routing.plan.combined_filter import distinct_from_plain, rides_of
from routing.plan.planner import Planner
from routing.plan.request import DEFAULT_MODES, MODE_ORDER, PlanRequest
from routing.street.car_parks import KINDS, load_car_parks
from tests.answer_values import Names, ride, street_leg, street_option
from tests.beyond.tiny_city import PARK_LATLON, TZ
from tests.street.osm_fixture import node_latlon

AT = datetime(2026, 11, 23, 8, 3, tzinfo=ZoneInfo(TZ))
ORIGIN = "-30.0277,-51.2287"


def _check_option(o: dict[str, Any]) -> None:
    """Legs in time order, back to back or waiting, summing to the option; per-leg CO2e adds up."""
    legs = o["legs"]
    times = [datetime.fromisoformat(t) for leg in legs for t in (leg["departure"], leg["arrival"])]
    assert times == sorted(times)
    assert times[0] == datetime.fromisoformat(o["departure"]) and times[-1] == datetime.fromisoformat(o["arrival"])
    assert (times[-1] - times[0]).total_seconds() == pytest.approx(o["duration_s"], abs=1.0)
    for leg in legs:
        d = (datetime.fromisoformat(leg["arrival"]) - datetime.fromisoformat(leg["departure"])).total_seconds()
        assert d == pytest.approx(leg["duration_s"], abs=1.0)
    if o["co2e_g"] is not None:
        assert math.fsum(leg["co2e_g"] for leg in legs) == pytest.approx(o["co2e_g"])


def test_speeds_of_the_assisted_modes() -> None:
    flat = np.array([0.0])
    assert ebike_kmh(flat)[0] == 20.0 and escooter_kmh(flat)[0] == 18.0
    slopes = np.array([-0.2, -0.05, 0.02, 0.05, 0.1, 0.3])
    assert ebike_kmh(slopes).max() <= 25.0 and escooter_kmh(slopes).max() <= 20.0
    assert ebike_kmh(np.array([0.05]))[0] == pytest.approx(20 / 1.2)
    assert np.all(np.diff(ebike_kmh(slopes)) <= 0) and np.all(np.diff(escooter_kmh(slopes)) <= 0)
    assert ebike_kmh(np.array([0.5]))[0] == 8.0 and escooter_kmh(np.array([0.5]))[0] == 6.0


def test_tiny_city_street_modes_retimed_on_the_bike_route(tiny_planner: Planner) -> None:
    req = PlanRequest(origin=node_latlon(7), destination=node_latlon(9), modes=MODE_ORDER, at=AT)
    by_id = {o["id"]: o for o in answer_json(tiny_planner.plan(req))["options"]}
    bike, ebike, scooter = by_id["bike"], by_id["ebike"], by_id["escooter"]
    # The grid is flat (no DEM): the same path at 16, 20 and 18 km/h.
    assert ebike["distance_m"] == bike["distance_m"] == scooter["distance_m"] > 0
    assert bike["duration_s"] == pytest.approx(bike["distance_m"] / (16 / 3.6), rel=0.01)
    assert ebike["duration_s"] == pytest.approx(ebike["distance_m"] / (20 / 3.6), rel=0.01)
    assert scooter["duration_s"] == pytest.approx(scooter["distance_m"] / (18 / 3.6), rel=0.01)
    assert ebike["legs"][0]["geometry"] == bike["legs"][0]["geometry"]
    assert sum(s["duration_s"] for s in ebike["legs"][0]["steps"]) == pytest.approx(ebike["duration_s"], abs=0.5)
    assert [leg["mode"] for leg in ebike["legs"]] == ["ebike"] and scooter["legs"][0]["mode"] == "escooter"
    # desnz-2025 has no e-bike factor: said so, not guessed.
    assert ebike["co2e_g"] is None and "ebike" in ebike["factor"]["missing"]
    taxi, drive = by_id["taxi"], by_id["drive"]
    assert taxi["duration_s"] == drive["duration_s"] and taxi["legs"][0]["geometry"] == drive["legs"][0]["geometry"]
    assert taxi["legs"][0]["mode"] == "taxi" and taxi["factor"]["value"] != drive["factor"]["value"]
    for o in by_id.values():
        _check_option(o)
    assert [o["mode"] for o in by_id.values()] == sorted((o["mode"] for o in by_id.values()), key=MODE_ORDER.index)


def test_tiny_city_park_and_ride_and_bike_and_transit(tiny_planner: Planner) -> None:
    parks = tiny_planner.combined.car_parks  # type: ignore[union-attr]
    assert len(parks) == 1 and KINDS[parks.kind[0]] == "parking"  # the private one is left out
    req = PlanRequest(origin=node_latlon(7), destination=node_latlon(9), modes=MODE_ORDER, at=AT)
    answer = answer_json(tiny_planner.plan(req))
    by_id = {o["id"]: o for o in answer["options"]}
    pr = by_id["park+ride-0"]
    assert [leg["mode"] for leg in pr["legs"]][:3] == ["drive", "walk", "transit"]
    drive, walk, ride = pr["legs"][:3]
    assert drive["car_park"]["lat"] == pytest.approx(PARK_LATLON[0]) and drive["geometry"]["coordinates"][-1] == [
        pytest.approx(PARK_LATLON[1]),
        pytest.approx(PARK_LATLON[0]),
    ]
    assert drive["co2e_g"] > 0 and walk["co2e_g"] == 0 and ride["co2e_g"] > 0
    assert ride["from_stop"]["id"].endswith("NW") and ride["to_stop"]["id"].endswith("SE")
    # Walk from the car park (beside node 3) to stop NW (node 1): 200 m at 4.8 km/h with 1.3 detour.
    assert walk["duration_s"] == pytest.approx(211 * 1.3 / (4.8 / 3.6), rel=0.05)
    _check_option(pr)
    # Biking to stop NW rides the very bus the plain transit option takes, no sooner: not listed.
    assert not any(o["mode"] == "bike+transit" for o in answer["options"])
    assert any(n["code"] == "same_as_transit" and n["message"].startswith("bike+transit") for n in answer["notices"])
    req = PlanRequest(origin=node_latlon(7), destination=node_latlon(9), modes=("bike+transit",), at=AT)
    only = answer_json(tiny_planner.plan(req))
    bt = only["options"][0]
    assert [leg["mode"] for leg in bt["legs"]][:2] == ["bike", "transit"] and bt["legs"][0]["co2e_g"] == 0
    assert bt["legs"][0]["duration_s"] >= 60  # riding, then locking the bike
    _check_option(bt)


def test_combined_options_that_repeat_plain_transit_are_left_out() -> None:
    plain = [(("a",), 1000.0)]
    same, quicker, other = (("a",), 990.0), (("a",), 900.0), (("b",), 2000.0)
    kept, note = distinct_from_plain("bike+transit", [same, quicker, other], plain)
    assert kept == (1, 2)
    assert note is not None and "1 journey" in note.message and note.message.startswith("bike+transit")
    assert distinct_from_plain("park+ride", [other], []) == ((0,), None)
    names = Names(("a", "b"))
    option = dataclasses.replace(
        street_option("bike+transit-0", mode="bike+transit"), legs=(street_leg("bike"), ride(names, 0))
    )
    assert rides_of(option) == ("a",)


def test_car_parks_from_osm_and_as_a_build_step(tiny_planner: Planner, tmp_path: Path) -> None:
    city = tiny_planner.config
    parks = read_car_parks(city.osm)
    assert len(parks) == 1 and parks.lat[0] == pytest.approx(PARK_LATLON[0])
    build_car_parks(city, tmp_path)
    built = load_car_parks(tmp_path)
    assert np.array_equal(built.lat, parks.lat) and np.array_equal(built.kind, parks.kind)
    assert len(load_car_parks(tmp_path / "nothing")) == 0


def test_modes_parameter(poa_client: FlaskClient) -> None:
    assert DEFAULT_MODES == ("walk", "bike", "transit", "bike+transit", "park+ride", "drive")
    r = poa_client.get(f"/api/plan?from={ORIGIN}&to=-30.0346,-51.2177&modes=ebike,bike transit,taxi")
    assert r.status_code == 200 and r.get_json()["request"]["modes"] == ["ebike", "bike+transit", "taxi"]
    bad = poa_client.get(f"/api/plan?from={ORIGIN}&to=-30.0346,-51.2177&modes=walk,jetpack")
    assert bad.status_code == 400 and bad.get_json()["argument"] == "modes" and "park+ride" in bad.get_json()["message"]
    with pytest.raises(InvalidParameter):
        PlanRequest(origin=(-30.0, -51.2), destination=(-30.01, -51.2), modes=("hover",))


def test_porto_alegre_combined_options(poa_planner: Planner) -> None:
    at = datetime(2026, 11, 23, 8, 0, tzinfo=poa_planner.tz)
    seen: set[str] = set()
    for to in ((-30.0, -51.18), (-29.9975, -51.1985), (-30.0346, -51.2177)):
        req = PlanRequest(origin=(-30.0277, -51.2287), destination=to, modes=MODE_ORDER, at=at)
        answer = answer_json(poa_planner.plan(req))
        modes = [o["mode"] for o in answer["options"]]
        assert modes == sorted(modes, key=MODE_ORDER.index)
        for o in answer["options"]:
            _check_option(o)
            first = [leg["mode"] for leg in o["legs"]][:2]
            if o["mode"] == "bike+transit":
                assert first[0] == "bike" and "transit" in [leg["mode"] for leg in o["legs"]]
            if o["mode"] == "park+ride":
                assert first == ["drive", "walk"] and "car_park" in o["legs"][0]
            seen.add(o["mode"])
        by = {o["id"]: o for o in answer["options"]}
        assert by["taxi"]["duration_s"] == by["drive"]["duration_s"]
        # Porto Alegre has hills: the e-bike is slowed less than the bike on the same path.
        assert by["ebike"]["distance_m"] == by["bike"]["distance_m"]
        assert by["ebike"]["duration_s"] < by["bike"]["duration_s"] * 16 / 20 + 1
        assert datetime.fromisoformat(by["walk"]["departure"]) == at
        assert answer["request"]["at"] == at.isoformat(timespec="seconds")
        assert all(datetime.fromisoformat(o["departure"]) >= at - timedelta(seconds=1) for o in answer["options"])
    assert {"bike+transit", "park+ride"} <= seen


def test_assisted_riders_walk_where_the_bicycle_is_pushed(poa_folder: Path) -> None:
    """An e-bike's motor does not make a footway rideable: pushed edges keep the walking time."""
    from routing.plan.assisted import retimed_edge_ms
    from routing.street.graph import StreetGraph

    bike = StreetGraph(poa_folder / "street" / "bike", mode="bike")
    assert bike.edge_push is not None and bike.edge_push.any()
    push = np.asarray(bike.edge_push, dtype=bool)
    for mode in ("ebike", "escooter"):
        ms = retimed_edge_ms(bike, mode)
        assert np.array_equal(ms[push], np.asarray(bike.edge_ms)[push])
        ridden = ~push & (np.asarray(bike.edge_len) > 50)
        assert (ms[ridden] < np.asarray(bike.edge_ms)[ridden]).mean() > 0.5  # faster where ridden
