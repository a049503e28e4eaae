"""Step-free transit on the GTFS sample feed with wheelchair fields (tests/transit/wheelchair_feed.py)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from routing.core.city import CityConfig
from routing.plan.answer_json import answer_json, notice_json
from routing.plan.planner import Planner
from routing.plan.request import PlanRequest
from routing.plan.stepfree_transit import NOT_STATED_NOTICE
from routing.transit import Timetable
from routing.transit.wheelchair import INACCESSIBLE, NOT_STATED, stop_wheelchair, trip_wheelchair
from tests.transit.wheelchair_feed import STOP_ACCESS, TRIP_ACCESS, build_wheelchair_city

STAGECOACH = (36.915682, -116.751677)
AIRPORT = (36.868446, -116.784582)
NANAA = (36.914944, -116.761472)
DADAN = (36.909489, -116.768242)
EMSI = (36.905697, -116.76218)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[CityConfig, Path]:
    return build_wheelchair_city(tmp_path_factory.mktemp("wheelchair"))


@pytest.fixture(scope="module")
def planner(city: tuple[CityConfig, Path]) -> Planner:
    return Planner(city[1], city[0])


def _plan(planner: Planner, a: tuple[float, float], b: tuple[float, float], *, wheelchair: bool) -> dict[str, Any]:
    at = dt.datetime(2008, 6, 2, 5, 55, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles"))  # a Monday
    req = PlanRequest(origin=a, destination=b, modes=("transit",), at=at, wheelchair=wheelchair)
    return answer_json(planner.plan(req))


def _rides(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [leg for o in answer["options"] for leg in o["legs"] if leg["mode"] == "transit"]


def test_compiled_fields_match_the_feed(planner: Planner) -> None:
    assert planner.transit is not None
    tt: Timetable = planner.transit.tt
    trips = trip_wheelchair(tt)
    for t in range(tt.trip_count):
        gtfs_id = tt.trip_id(t).split(":", 1)[1].split("@")[0]
        assert trips[t] == int(TRIP_ACCESS.get(gtfs_id) or NOT_STATED), gtfs_id
    stops = stop_wheelchair(tt)
    for s in range(tt.stop_count):
        assert stops[s] == int(STOP_ACCESS.get(tt.stop_id(s).split(":", 1)[1]) or NOT_STATED)


def test_inaccessible_trip_is_replaced(planner: Planner) -> None:
    plain = _rides(_plan(planner, STAGECOACH, AIRPORT, wheelchair=False))
    assert plain[0]["trip_id"] == "sample:STBA@06:00:00"  # the trip the feed states inaccessible
    step_free = _plan(planner, STAGECOACH, AIRPORT, wheelchair=True)
    rides = _rides(step_free)
    assert rides and all(not r["trip_id"].startswith("sample:STBA@") for r in rides)
    assert rides[0]["trip_id"] == "sample:STBA_LOW@06:15:00"
    assert rides[0]["wheelchair"] == {"trip": "accessible", "from_stop": "accessible", "to_stop": "accessible"}
    assert "notices" not in rides[0]  # everything is stated
    assert step_free["request"]["wheelchair"] is True
    assert any(n["code"] == "stepfree" for n in step_free["notices"])


def test_not_stated_is_allowed_with_a_notice(planner: Planner) -> None:
    rides = _rides(_plan(planner, STAGECOACH, EMSI, wheelchair=True))
    city = [r for r in rides if r["trip_id"].startswith("sample:CITY1")]
    assert city, [r["trip_id"] for r in rides]
    for r in city:
        assert r["wheelchair"]["trip"] == "not_stated"
        assert r["notices"] == [notice_json(NOT_STATED_NOTICE)]
        assert NOT_STATED_NOTICE.message == "accessibility not stated by the operator"


def test_inaccessible_stop_is_neither_boarded_nor_left(planner: Planner) -> None:
    plain = _rides(_plan(planner, NANAA, DADAN, wheelchair=False))
    assert any(r["from_stop"]["id"] == "sample:NANAA" for r in plain)
    answer = _plan(planner, NANAA, DADAN, wheelchair=True)
    for r in _rides(answer):
        assert "sample:NANAA" not in (r["from_stop"]["id"], r["to_stop"]["id"])


def test_wheelchair_false_answer_unchanged(planner: Planner) -> None:
    a = _plan(planner, STAGECOACH, AIRPORT, wheelchair=False)
    assert "wheelchair" not in a["request"] and not any("wheelchair" in leg for leg in _rides(a))


def test_view_closes_only_inaccessible(planner: Planner) -> None:
    assert planner.transit is not None
    tt = planner.transit.tt
    view = planner.transit.stepfree().tt
    closed = trip_wheelchair(tt) == INACCESSIBLE
    never = view.service_days.shape[0] - 1
    assert not np.asarray(view.service_days)[never].any()
    assert (np.asarray(view.trip_service)[closed] == never).all()
    assert (np.asarray(view.trip_service)[~closed] == np.asarray(tt.trip_service)[~closed]).all()
    assert tt.service_days.shape[0] == never  # the compiled timetable is untouched
