"""When a transit trip starts: wait_s, the other-day note, the CLI table, and earlier/later cursors."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import datetime

import pytest
from flask.testing import FlaskClient

from cli.main import format_answer
from routing.core.answer import DayNote, Option, Timing
from routing.plan.answer_json import answer_json, option_json
from routing.plan.planner import Planner
from routing.plan.request import PlanRequest
from routing.plan.transit_when import option_timing
from tests.beyond.tiny_city import build_tiny_city
from tests.street.osm_fixture import node_latlon

SUNDAY = datetime.fromisoformat("2026-11-22T10:44:00-03:00")  # a Sunday in America/Sao_Paulo
ORIGIN, FAR = "-30.0277,-51.2287", "-30.0346,-51.2177"  # Centro Histórico, 1.3 km east


@pytest.fixture(scope="module")
def weekday_planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    city, folder = build_tiny_city(tmp_path_factory.mktemp("weekdays"), days="1,1,1,1,1,0,0")
    return Planner(folder, city)


def test_a_sunday_query_on_a_weekday_only_line_says_later_day(weekday_planner: Planner) -> None:
    req = PlanRequest(origin=node_latlon(1), destination=node_latlon(9), modes=("walk", "transit"), at=SUNDAY)
    answer = answer_json(weekday_planner.plan(req))
    transit = [o for o in answer["options"] if o["mode"] == "transit"]
    assert transit, answer["errors"]
    first = transit[0]
    # The first bus is Monday's 06:00 one; the walk to the stop (at the origin's node) is ~0 s.
    departure = datetime.fromisoformat(first["departure"])
    assert departure.date().isoformat() == "2026-11-23" and departure.hour == 6
    assert first["wait_s"] == round((departure - SUNDAY).total_seconds())
    assert 19 * 3600 < first["wait_s"] < 19 * 3600 + 20 * 60
    assert first["later_day"] == {
        "code": "later_day",
        "date": "2026-11-23",
        "message": "first journey on Monday 23 Nov",
    }
    assert {"code": "later_day", "message": "first journey on Monday 23 Nov"} in answer["notices"]
    assert "wait_s" not in answer["options"][0]  # walking has no timetable to wait for
    table = format_answer(answer)
    header, *rows = table.splitlines()
    assert header.split()[:5] == ["option", "duration", "depart", "wait", "arrive"]
    row = next(r for r in rows if r.startswith("transit-0"))
    assert "Mon 23 Nov 06:0" in row and " 19 h " in row
    assert "note: first journey on Monday 23 Nov" in table


def test_same_day_options_carry_only_the_wait(weekday_planner: Planner) -> None:
    monday = SUNDAY.replace(day=23, hour=8, minute=3)
    req = PlanRequest(origin=node_latlon(1), destination=node_latlon(9), modes=("transit",), at=monday)
    option = answer_json(weekday_planner.plan(req))["options"][0]
    assert "later_day" not in option
    assert 0 <= option["wait_s"] <= 10 * 60  # a bus every 10 minutes


def test_arrive_by_waits_at_the_end_and_names_an_earlier_day() -> None:
    at = datetime.fromisoformat("2026-11-23T05:00:00-03:00")
    departure, arrival = (
        datetime.fromisoformat("2026-11-22T21:40:00-03:00"),
        datetime.fromisoformat("2026-11-22T21:54:00-03:00"),
    )
    option = Option(
        id="transit-0",
        mode="transit",
        duration_s=840.0,
        distance_m=0.0,
        elevation_gain_m=0.0,
        elevation_loss_m=0.0,
        departure=departure,
        arrival=arrival,
        transfers=0,
        walk_distance_m=0.0,
        legs=(),
    )
    timing = option_timing(option, at, arrive_by=True)
    note = DayNote(code="earlier_day", day=departure.date(), message="last journey on Sunday 22 Nov")
    assert timing == Timing(wait_s=7 * 3600 + 6 * 60, note=note)
    served = option_json(dataclasses.replace(option, timing=timing))
    assert served["wait_s"] == 7 * 3600 + 6 * 60
    assert served["earlier_day"] == {
        "code": "earlier_day",
        "date": "2026-11-22",
        "message": "last journey on Sunday 22 Nov",
    }


def _plan(client: FlaskClient, query: str) -> dict:
    r = client.get(f"/api/plan?{query}")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_next_and_previous_cursors_page_the_departures(poa_client: FlaskClient) -> None:
    body = _plan(poa_client, f"from={ORIGIN}&to={FAR}&at=2026-11-24T17:00&modes=walk,transit")
    transit = [o for o in body["options"] if o["mode"] == "transit"]
    assert transit and set(body["page"]) == {"next", "previous"}
    later = _plan(poa_client, f"cursor={body['page']['next']}")
    assert later["request"]["modes"] == ["transit"] and later["request"]["arrive_by"] is False
    latest = max(datetime.fromisoformat(o["departure"]) for o in transit)
    assert later["options"] and all(datetime.fromisoformat(o["departure"]) > latest for o in later["options"])
    earlier = _plan(poa_client, f"cursor={body['page']['previous']}")
    assert earlier["request"]["arrive_by"] is True
    first = min(datetime.fromisoformat(o["arrival"]) for o in transit)
    assert earlier["options"] and all(datetime.fromisoformat(o["arrival"]) < first for o in earlier["options"])
    # Paging on keeps going the same way.
    again = _plan(poa_client, f"cursor={later['page']['next']}")
    assert min(datetime.fromisoformat(o["departure"]) for o in again["options"]) > max(
        datetime.fromisoformat(o["departure"]) for o in later["options"]
    )


def test_no_transit_option_no_page(poa_client: FlaskClient) -> None:
    assert "page" not in _plan(poa_client, f"from={ORIGIN}&to={FAR}&modes=walk,bike")


def _token(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "abc",
        _token([1, 2]),
        _token({"v": 2, "q": {}}),
        _token({"v": 1, "q": {"from": ORIGIN, "evil": "1"}}),
        _token({"v": 1, "q": {"from": 5}}),
        _token({"v": 1, "q": {"from": ORIGIN, "to": FAR, "at": "yesterday"}}),
        _token({"v": 1, "q": {"from": "91,0", "to": FAR}}),
        "A" * 5000,
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_bad_cursors_are_400s(poa_client: FlaskClient, cursor: str) -> None:
    r = poa_client.get(f"/api/plan?cursor={cursor}")
    assert r.status_code == 400
    body = r.get_json()
    assert body["error"] == "invalid_parameter" and body["argument"] == "cursor", body


def test_a_cursor_comes_alone(poa_client: FlaskClient) -> None:
    good = _token({"v": 1, "q": {"from": ORIGIN, "to": FAR, "modes": "transit"}})
    for query in (f"cursor={good}&from={ORIGIN}", f"cursor={good}&cursor={good}"):
        r = poa_client.get(f"/api/plan?{query}")
        assert r.status_code == 400 and r.get_json()["argument"] == "cursor"
