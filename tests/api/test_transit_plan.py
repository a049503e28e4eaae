"""Transit options in /api/plan on Porto Alegre: walking access/egress around RAPTOR journeys."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient

ORIGIN = "-30.0277,-51.2287"  # Centro Histórico
FAR = "-30.0,-51.18"  # about 6.5 km north-east


def test_transit_option_has_walk_ride_walk_legs_and_a_stale_feed_notice(poa_client: FlaskClient) -> None:
    r = poa_client.get(f"/api/plan?from={ORIGIN}&to={FAR}&at=2026-11-23T08:00")
    assert r.status_code == 200
    body = r.get_json()
    transit = [o for o in body["options"] if o["mode"] == "transit"]
    assert transit, body["errors"]
    for o in transit:
        legs = o["legs"]
        assert legs[0]["mode"] == "walk" and legs[-1]["mode"] == "walk"
        rides = [leg for leg in legs if leg["mode"] == "transit"]
        # Staying seated into the next trip of the same block is not a transfer.
        boardings = 1 + sum(1 for prev in rides[:-1] if not prev["stay_seated"])
        assert rides and o["transfers"] == boardings - 1
        for ride in rides:
            assert isinstance(ride["route"]["type"], int)
            assert ride["from_stop"]["name"] and ride["to_stop"]["name"]
            assert ride["distance_m"] > 0 and ride["co2e_g"] is not None and ride["co2e_g"] > 0
            assert ride["factor"]["unit"].endswith("passenger-km")
        times = [datetime.fromisoformat(t) for leg in legs for t in (leg["departure"], leg["arrival"])]
        assert times == sorted(times)
        assert abs(sum(leg["co2e_g"] for leg in legs) - o["co2e_g"]) < 1e-6
    notices = [n["message"] for n in body["notices"]]
    assert any("timetable of 2019-" in m and "the feed covers 2019-04-15 to 2019-07-15" in m for m in notices)
    assert [g["file"] for g in body["data"]["gtfs"]] == ["gtfs-eptc-bus.zip", "gtfs-trensurb-rail.zip"]


def test_trensurb_to_farrapos_and_route_type_filters(poa_client: FlaskClient) -> None:
    farrapos = "-29.9975,-51.1985"  # beside Trensurb's Farrapos station
    url = f"/api/plan?from={ORIGIN}&to={farrapos}&at=2026-11-23T08:00&modes=transit"
    no_bus = poa_client.get(url + "&exclude_route_types=3").get_json()
    rides = [leg for o in no_bus["options"] for leg in o["legs"] if leg["mode"] == "transit"]
    assert rides and all(leg["route"]["type"] != 3 for leg in rides)
    assert any(leg["route"]["short_name"] == "LINHA1" and leg["to_stop"]["name"] == "ESTACAO FARRAPOS" for leg in rides)
    r = poa_client.get(url + "&exclude_route_types=2")
    if r.status_code == 200:
        assert all(leg["route"]["type"] != 2 for o in r.get_json()["options"] for leg in o["legs"] if "route" in leg)
    else:
        assert r.status_code == 422 and "excluded route types [2]" in r.get_json()["message"]


def test_no_stop_near_the_destination_is_reported_for_transit_only(poa_client: FlaskClient) -> None:
    body = poa_client.get(f"/api/plan?from={ORIGIN}&to=-30.09,-51.2&at=2026-11-23T08:00").get_json()
    assert body["errors"]["transit"]["error"] == "no_route"
    assert "walk" in body["errors"]["transit"]["message"]
    assert {o["mode"] for o in body["options"]} == {"walk", "bike", "drive"}


def test_transfer_walks_between_stops_follow_the_streets(poa_app: Flask) -> None:
    from routing.plan.answer_json import option_json
    from routing.plan.planner import Planner
    from routing.plan.request import PlanRequest
    from webapp.runtime import ensure_built

    city = ensure_built("porto-alegre")
    planner = city.cached("planner", lambda folder: Planner(folder, city.config))
    transit = planner.transit
    assert transit is not None
    at = datetime.fromisoformat("2026-11-23T08:00-03:00")
    seen = 0
    for dest in [(-30.0, -51.18), (-30.0346, -51.2177), (-30.06, -51.17)]:
        options, _ = transit.options(PlanRequest(origin=(-30.0277, -51.2287), destination=dest), at)
        for o in map(option_json, options):
            for leg in o["legs"]:
                if leg["mode"] != "walk" or "from_stop" not in leg:
                    continue
                a = transit.tt.stop_index(leg["from_stop"]["id"])
                b = transit.tt.stop_index(leg["to_stop"]["id"])
                if transit.stop_node[a] < 0 or transit.stop_node[b] < 0 or transit.stop_node[a] == transit.stop_node[b]:
                    continue
                seen += 1
                coords = leg["geometry"]["coordinates"]
                assert leg["steps"] and leg["steps"][-1]["turn"] == "arrive"
                assert coords[0] == [leg["from_stop"]["lon"], leg["from_stop"]["lat"]] or len(coords) > 2
                assert leg["distance_m"] >= 0.9 * _straight_m(leg["from_stop"], leg["to_stop"])
    assert seen >= 1


def _straight_m(a: dict[str, float], b: dict[str, float]) -> float:
    from routing.core.geo import haversine_m

    return haversine_m(a["lat"], a["lon"], b["lat"], b["lon"])


def test_nearby_stop_search_equals_searching_every_stop(poa_app: Flask) -> None:
    """Access and egress look only at stops a walk could reach in a straight line; the answer must be
    what a search over every stop gives."""
    import random

    import numpy as np
    import routingkit_cch

    from routing.plan.planner import Planner
    from routing.street.route import snap, source_ms, target_ms
    from webapp.runtime import ensure_built

    city = ensure_built("porto-alegre")
    transit = city.cached("planner", lambda folder: Planner(folder, city.config)).transit
    assert transit is not None
    walk = transit.walk
    every_from = routingkit_cch.CCHOneToMany(walk.metric, transit._nodes)
    every_to = routingkit_cch.CCHManyToOne(walk.metric, transit._nodes)
    offsets = transit.stop_offset_s[transit.snapped]

    def brute(dist: list[int | None], limit: float) -> dict[int, float]:
        total = np.array(dist, dtype=np.float64) / 1000.0 + offsets
        ok = np.flatnonzero(total <= limit)
        return dict(zip(transit.snapped[ok].tolist(), np.round(total[ok], 1).tolist(), strict=True))

    rng = random.Random(11)
    s, w, n, e = walk.bbox
    compared = 0
    for _ in range(60):
        lat, lon = rng.uniform(s, n), rng.uniform(w, e)
        try:
            p = snap(walk, lat, lon, argument="from")
        except Exception:  # noqa: BLE001 - points far from any street are not what this test is about
            continue
        limit = rng.choice([120.0, 300.0, 600.0, 900.0])
        assert transit.access(p, limit) == brute(every_from.distances_from_multi(source_ms(walk, p)), limit)
        assert transit.egress(p, limit) == brute(every_to.distances_to_multi(target_ms(walk, p)), limit)
        compared += 1
    assert compared >= 30
