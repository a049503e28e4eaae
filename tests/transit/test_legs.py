"""journey_legs: the ride and transfer legs in the docs/api.md shape, golden values."""

from __future__ import annotations

import datetime as dt

from routing.core.errors import InvalidParameter
from routing.plan.answer_json import leg_json
from routing.transit import Timetable, TransitQuery, TransitRouter, journey_legs
from tests.transit.conftest import monday


def _journey(tt: Timetable, router: TransitRouter, a: str, b: str, at: dt.datetime):
    answer = router.route(TransitQuery(access=((tt.stop_index(a), 30.0),), egress=((tt.stop_index(b), 60.0),), at=at))
    return answer.journeys[0]


def test_block_legs_golden(sample_timetable, sample_router):
    tt = sample_timetable
    j = _journey(tt, sample_router, "BEATTY_AIRPORT", "FUR_CREEK_RES", monday(7, 50))
    assert j.departure == monday(7, 59) + dt.timedelta(seconds=30)
    assert j.arrival == monday(9, 21)
    assert j.access == (tt.stop_index("BEATTY_AIRPORT"), 30.0)
    legs = [leg_json(leg) for leg in journey_legs(tt, j)]  # as served
    assert [leg["mode"] for leg in legs] == ["transit", "transit"]
    first, second = legs
    assert first["route"] == {
        "id": "sample:AB",
        "short_name": "10",
        "long_name": "Airport - Bullfrog",
        "type": 2,
        "agency": "Demo Transit Authority",
        "color": "",
    }
    assert first["headsign"] == "to Bullfrog" and first["trip_id"] == "sample:AB1"
    assert first["from_stop"] == {
        "id": "sample:BEATTY_AIRPORT",
        "name": "Nye County Airport (Demo)",
        "lat": 36.868446,
        "lon": -116.784582,
    }
    assert first["departure"] == "2007-01-01T08:00:00-08:00"
    assert first["arrival"] == "2007-01-01T08:10:00-08:00"
    assert first["stay_seated"] is True and second["stay_seated"] is False
    assert first["duration_s"] == 600.0 and first["intermediate_stops"] == []
    assert first["geometry"] == {
        "type": "LineString",
        "coordinates": [[-116.784582, 36.868446], [-116.81797, 36.88108]],
    }
    assert first["distance_m"] == 3285.4  # no shape: stop to stop, great circle
    assert second["to_stop"]["id"] == "sample:FUR_CREEK_RES"
    assert second["arrival"] == "2007-01-01T09:20:00-08:00"


def test_transfer_walk_leg_between_stops(tmp_path):
    from routing.core.report import BuildReport
    from routing.transit.build import build_timetable
    from tests.transit.gtfs_strings import write_feed

    folder = write_feed(
        tmp_path / "f",
        {
            "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,0,0\nB,B,0,0.01\nB2,B2,0,0.0102\nC,C,0,0.03\n",
            "routes.txt": "route_id,route_short_name,route_type\nR,R,3\n",
            "trips.txt": "route_id,service_id,trip_id\nR,ALL,T1\nR,ALL,T2\n",
            "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "T1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n"
            "T2,08:20:00,08:20:00,B2,1\nT2,08:30:00,08:30:00,C,2\n",
        },
    )
    tt = build_timetable([("f", folder)], timezone="UTC", report=BuildReport("t"))
    router = TransitRouter(tt)
    at = dt.datetime(2024, 1, 1, 7, tzinfo=dt.UTC)
    j = router.route(
        TransitQuery(access=((tt.stop_index("A"), 0.0),), egress=((tt.stop_index("C"), 0.0),), at=at)
    ).journeys[0]
    legs = [leg_json(leg) for leg in journey_legs(tt, j)]  # as served
    assert [leg["mode"] for leg in legs] == ["transit", "walk", "transit"]
    walk = legs[1]
    assert walk["from_stop"]["id"] == "f:B" and walk["to_stop"]["id"] == "f:B2"
    assert walk["departure"] == "2024-01-01T08:10:00+00:00"
    # 22 m × 1.3 at 4.8 km/h is 22 s of walking, but a change takes at least MIN_CHANGE_S.
    assert 20 < walk["distance_m"] < 25 and walk["duration_s"] == 60.0
    assert j.transfers == 1


def test_warm_up_and_unknown_stop(sample_timetable):
    router = TransitRouter(sample_timetable)
    router.warm_up()
    try:
        sample_timetable.stop_index("NOWHERE")
    except InvalidParameter as err:
        assert err.argument == "stop"
    else:
        raise AssertionError("unknown stop accepted")
