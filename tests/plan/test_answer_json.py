"""The JSON edge of the typed answer: hand-built values give exactly the docs/api.md bytes."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from routing.core.answer import (
    UNFLAGGED,
    Calories,
    DayNote,
    LegEmissions,
    ModeError,
    Notice,
    OptionEmissions,
    Realtime,
    Served,
    Timing,
    evolve,
)
from routing.core.errors import NoRoute
from routing.plan.answer import PlanAnswer
from routing.plan.answer_json import answer_json, option_json
from routing.plan.request import PlanRequest
from tests.answer_values import AT, Names, ride, street_leg, street_option
from webapp.jsonfast import plain_default

WALK_FACTOR = {"value": 0.0, "unit": "g/passenger-km", "scope": "direct", "pack": "p", "year": 2025}


def test_a_street_option_serialises_field_by_field_in_the_served_order() -> None:
    leg = evolve(
        street_leg("walk", secs=600.0, metres=800.0),
        emissions=LegEmissions(co2e_g=0.0, factor=WALK_FACTOR, calories=Calories(kcal=40.5, method={"met": 3.5})),
    )
    option = dataclasses.replace(
        street_option("walk"),
        legs=(leg,),
        emissions=OptionEmissions(co2e_g=0.0, factor=WALK_FACTOR, active=True, calories_kcal=40.5),
        pareto=True,
    )
    line = {"type": "LineString", "coordinates": [[-51.2287, -30.0277], [-51.221, -30.029]]}
    expected = {
        "id": "walk",
        "mode": "walk",
        "duration_s": 600.0,
        "distance_m": 800.0,
        "elevation_gain_m": 2.5,
        "elevation_loss_m": 0.0,
        "departure": "2026-11-23T08:00:00-03:00",
        "arrival": "2026-11-23T08:10:00-03:00",
        "transfers": 0,
        "walk_distance_m": 800.0,
        "geometry": line,
        "legs": [
            {
                "mode": "walk",
                "duration_s": 600.0,
                "distance_m": 800.0,
                "elevation_gain_m": 2.5,
                "elevation_loss_m": 0.0,
                "geometry": line,
                "elevation": [10.0, 12.5],
                "steps": [],
                "departure": "2026-11-23T08:00:00-03:00",
                "arrival": "2026-11-23T08:10:00-03:00",
                "co2e_g": 0.0,
                "factor": WALK_FACTOR,
                "calories_kcal": 40.5,
                "calories": {"met": 3.5},
            }
        ],
        "co2e_g": 0.0,
        "factor": WALK_FACTOR,
        "calories_kcal": 40.5,
        "calories_estimate": True,
        "pareto": True,
    }
    # The bytes, not only the values: the key order is part of the answer.
    assert json.dumps(option_json(option), default=plain_default) == json.dumps(expected)


def test_a_journey_names_its_stops_and_trip_at_the_edge_and_keeps_its_annotations() -> None:
    names = Names(("t:T1", "t:T2"))
    transfer = dataclasses.replace(
        street_leg("walk", secs=60.0, metres=21.0, at=AT + timedelta(minutes=5)),
        elevation=None,
        coords=Served([[-51.201, -30.001], [-51.202, -30.002]]),
        between_stops=(1, 2),
        timetable=names,
    )
    first = dataclasses.replace(
        ride(names, 0, stops=(0, 3, 1), secs=300.0),
        realtime=Realtime(
            status="updated", delay_s=60, departure_delay_s=30, scheduled_departure=AT, scheduled_arrival=AT
        ),
        alerts=(),
        wheelchair=("accessible", "not_stated", "accessible"),
        notices=(Notice(code="accessibility_not_stated", message="accessibility not stated by the operator"),),
    )
    second = ride(names, 1, stops=(2, 4), at=AT + timedelta(minutes=6), secs=240.0)
    note = DayNote(code="later_day", day=AT.date(), message="first journey on Monday 23 Nov")
    option = dataclasses.replace(
        street_option("transit-0", mode="transit"),
        legs=(first, transfer, second),
        fare=None,
        timing=Timing(wait_s=0, note=note),
    )
    served = option_json(option)
    assert list(served) == [
        "id",
        "mode",
        "duration_s",
        "distance_m",
        "elevation_gain_m",
        "elevation_loss_m",
        "departure",
        "arrival",
        "transfers",
        "walk_distance_m",
        "fare",
        "geometry",
        "legs",
        "wait_s",
        "later_day",
    ]
    assert served["later_day"] == {"code": "later_day", "date": "2026-11-23", "message": note.message}
    r1, walk, r2 = served["legs"]
    assert list(r1) == [
        "mode",
        "route",
        "headsign",
        "trip_id",
        "from_stop",
        "to_stop",
        "departure",
        "arrival",
        "intermediate_stops",
        "stay_seated",
        "distance_m",
        "duration_s",
        "geometry",
        "realtime",
        "alerts",
        "wheelchair",
        "notices",
    ]
    assert r1["trip_id"] == "t:T1" and r2["trip_id"] == "t:T2"
    assert r1["from_stop"] == {"id": "t:S0", "name": "Stop 0", "lat": -30.0, "lon": -51.2}
    assert r1["to_stop"]["id"] == "t:S1"
    assert r1["intermediate_stops"] == [
        {"id": "t:S3", "name": "Stop 3", "lat": -30.003, "lon": -51.203, "arrival": "2026-11-23T08:02:30-03:00"}
    ]
    assert list(r1["realtime"]) == [
        "status",
        "delay_s",
        "departure_delay_s",
        "scheduled_departure",
        "scheduled_arrival",
    ]
    assert r1["wheelchair"] == {"trip": "accessible", "from_stop": "not_stated", "to_stop": "accessible"}
    assert r1["notices"] == [
        {"code": "accessibility_not_stated", "message": "accessibility not stated by the operator"}
    ]
    assert list(walk) == [
        "mode",
        "from_stop",
        "to_stop",
        "departure",
        "arrival",
        "duration_s",
        "distance_m",
        "geometry",
        "steps",
    ]
    assert walk["from_stop"]["id"] == "t:S1" and walk["to_stop"]["id"] == "t:S2"
    assert "realtime" not in r2 and "alerts" not in r2 and "notices" not in r2
    # the option's line is its legs' lines end to end
    assert served["geometry"]["coordinates"] == [c for leg in served["legs"] for c in leg["geometry"]["coordinates"]]


def test_the_answer_body_orders_options_request_notices_errors_data() -> None:
    req = PlanRequest(origin=(-30.0277, -51.2287), destination=(-30.0346, -51.2177), modes=("walk", "transit"))
    answer = PlanAnswer(
        options=(street_option("walk"),),
        request=req,
        at=AT,
        data={"city": "tiny"},
        notices=(Notice(code="stale_feed", message="f: timetable of 2026-11-16 used"),),
        errors=(ModeError(mode="transit", error=NoRoute("no stop", argument="from")),),
    )
    body = answer_json(answer)
    assert list(body) == ["options", "request", "notices", "errors", "data"]
    assert body["errors"] == {"transit": {"error": "no_route", "message": "no stop", "argument": "from"}}
    assert body["notices"] == [{"code": "stale_feed", "message": "f: timetable of 2026-11-16 used"}]
    assert body["request"]["at"] == "2026-11-23T08:00:00-03:00" and "wheelchair" not in body["request"]
    assert "pareto" not in body["options"][0] and "co2e_g" not in body["options"][0]


@given(
    secs=st.floats(1, 20000),
    micro=st.integers(0, 999_999),
    co2=st.none() | st.floats(0, 1e6),
    pareto=st.sampled_from([True, False, None, UNFLAGGED]),
)
def test_served_times_are_the_values_to_the_second_and_the_flag_only_when_asked(secs, micro, co2, pareto) -> None:
    at = AT.replace(microsecond=micro)
    leg = street_leg("bike", secs=secs, at=at)
    option = dataclasses.replace(
        street_option("bike"),
        departure=leg.departure,
        arrival=leg.arrival,
        legs=(leg,),
        emissions=OptionEmissions(co2e_g=co2, factor={}),
        pareto=pareto,
    )
    served = json.loads(json.dumps(option_json(option), default=plain_default))
    for key in ("departure", "arrival"):
        assert datetime.fromisoformat(served[key]) == getattr(option, key).replace(microsecond=0)
        assert served["legs"][0][key] == served[key]
    assert served["co2e_g"] == co2 and served["duration_s"] == option.duration_s
    assert ("pareto" in served) is (pareto is not UNFLAGGED)
    assert served.get("pareto", UNFLAGGED) == pareto
    assert served["geometry"]["coordinates"] == served["legs"][0]["geometry"]["coordinates"]


def test_evolve_copies_and_refuses_unknown_fields() -> None:
    option = street_option("walk")
    flagged = evolve(option, pareto=False)
    assert flagged.pareto is False and option.pareto is UNFLAGGED
    assert flagged == dataclasses.replace(option, pareto=False)
    try:
        evolve(option, paretto=True)
    except TypeError as exc:
        assert "paretto" in str(exc)
    else:
        raise AssertionError("an unknown field was accepted")
