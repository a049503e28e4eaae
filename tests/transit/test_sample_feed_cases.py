"""The 26 stop-to-stop cases GraphHopper checks on the GTFS sample feed, as tests of our API.

Travel time is arrival at the destination minus the requested time (the first wait included).
2007-01-01 is a Monday, 2007-01-06 a Saturday; the feed's time zone is America/Los_Angeles.
"""

from __future__ import annotations

import datetime as dt

import pytest

from routing.transit import Journey, Timetable, TransitAnswer, TransitQuery, TransitRouter
from tests.transit.conftest import monday


def ask(
    router: TransitRouter, tt: Timetable, origin: str, dest: str, at: dt.datetime, **options: object
) -> TransitAnswer:
    query = TransitQuery(access=((tt.stop_index(origin), 0.0),), egress=((tt.stop_index(dest), 0.0),), at=at, **options)  # type: ignore[arg-type]
    return router.route(query)


def fastest(answer: TransitAnswer) -> Journey:
    assert answer.journeys, answer.notices
    return min(answer.journeys, key=lambda j: (j.arrival, j.transfers))


def hm(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def trip_groups(tt: Timetable, journey: Journey) -> list[str]:
    return [tt.trip_id(leg.trip).split("@")[0].removeprefix("sample:") for leg in journey.rides]


@pytest.fixture
def tt(sample_timetable: Timetable) -> Timetable:
    return sample_timetable


@pytest.fixture
def router(sample_router: TransitRouter) -> TransitRouter:
    return sample_router


# Cases 1-3, 10-13, 17: earliest arrival from a departure time.
@pytest.mark.parametrize(
    ("case", "origin", "dest", "hour", "minute", "travel"),
    [
        (1, "NADAV", "NANAA", 0, 0, "6:49"),
        (2, "NADAV", "NANAA", 6, 54, "0:25"),
        (3, "NADAV", "NANAA", 7, 44, "0:05"),
        (10, "NADAV", "DADAN", 0, 0, "6:19"),
        (11, "STAGECOACH", "NANAA", 0, 0, "6:05"),
        (12, "STAGECOACH", "NADAV", 0, 0, "6:12"),
        (13, "STAGECOACH", "BEATTY_AIRPORT", 0, 0, "6:20"),
        (17, "STAGECOACH", "NADAV", 10, 1, "0:41"),
    ],
)
def test_travel_time(router, tt, case, origin, dest, hour, minute, travel):
    at = monday(hour, minute)
    journey = fastest(ask(router, tt, origin, dest, at))
    assert hm(journey.arrival - at) == travel, f"case {case}"


def test_case_03_rides_a_bus(router, tt):
    journey = fastest(ask(router, tt, "NADAV", "NANAA", monday(7, 44)))
    assert [tt.route_info(int(tt.trip_route[leg.trip]))["type"] for leg in journey.rides] == [3]


def test_case_04_buses_excluded_gives_no_journey(router, tt):
    answer = ask(router, tt, "NADAV", "NANAA", monday(7, 44), exclude_route_types=frozenset({3}))
    assert answer.journeys == []
    assert answer.notices[-1]["code"] == "no_journey"


@pytest.mark.parametrize(("case", "minute", "before"), [(5, 49, "0:05"), (6, 50, "0:06")])
def test_arrive_by(router, tt, case, minute, before):
    at = monday(6, minute)
    journey = fastest(ask(router, tt, "NADAV", "NANAA", at, arrive_by=True))
    assert journey.departure == monday(6, 44), f"case {case}"
    assert hm(at - journey.departure) == before


def test_case_07_range_query_lists_every_departure(router, tt):
    answer = ask(router, tt, "NADAV", "NANAA", monday(6), window_s=4 * 3600)
    assert [j.departure.strftime("%H:%M") for j in answer.journeys] == [
        "06:44",
        "07:14",
        "07:44",
        "08:14",
        "08:44",
        "08:54",
        "09:04",
        "09:14",
        "09:24",
        "09:34",
        "09:44",
        "09:54",
        "10:04",
    ]


def test_case_08_range_query_late_evening_reaches_next_morning(router, tt):
    answer = ask(router, tt, "NADAV", "NANAA", monday(23), window_s=3600)
    assert [j.departure for j in answer.journeys] == [monday(6, 44, day=2)]


def test_case_09_latest_departures_arriving_by(router, tt):
    answer = ask(router, tt, "NADAV", "NANAA", monday(13), arrive_by=True, window_s=5400)
    latest = sorted((j.departure for j in answer.journeys), reverse=True)[:4]
    assert [d.strftime("%H:%M") for d in latest] == ["12:44", "12:14", "11:44", "11:14"]
    assert all(j.arrival <= monday(13) for j in answer.journeys)


def test_case_14_two_rides_and_two_tickets(router, tt):
    at = monday(0)
    journey = fastest(ask(router, tt, "STAGECOACH", "BULLFROG", at))
    assert hm(journey.arrival - at) == "8:10"
    assert trip_groups(tt, journey) == ["STBA", "AB1"]
    assert journey.fare == {"amount": 2.5, "currency": "USD"}


def test_case_15_arrive_by_takes_the_same_trips(router, tt):
    journey = fastest(ask(router, tt, "STAGECOACH", "BULLFROG", monday(8, 10), arrive_by=True))
    assert trip_groups(tt, journey) == ["STBA", "AB1"]
    assert journey.arrival == monday(8, 10)


@pytest.mark.parametrize(("origin", "dest", "hour"), [("HASNOROUTES", "NADAV", 0), ("NADAV", "HASNOROUTES", 6)])
def test_case_16_stop_without_routes_gives_a_reason(router, tt, origin, dest, hour):
    answer = ask(router, tt, origin, dest, monday(hour))
    assert answer.journeys == []
    notice = answer.notices[-1]
    assert notice["code"] == "no_service_at_stop"
    assert "A stop with no routes" in notice["message"]


def test_case_18_monday_only_the_evening_block(router, tt):
    at = monday(0)
    journey = fastest(ask(router, tt, "BEATTY_AIRPORT", "AMV", at))
    assert hm(journey.arrival - at) == "22:00"


def test_case_19_saturday_direct_trip_and_fare(router, tt):
    at = monday(0, day=6)
    journey = fastest(ask(router, tt, "BEATTY_AIRPORT", "AMV", at))
    assert hm(journey.arrival - at) == "9:00"
    assert trip_groups(tt, journey) == ["AAMV1"]
    assert journey.fare == {"amount": 5.25, "currency": "USD"}


def test_case_20_block_is_one_vehicle(router, tt):
    at = monday(8)
    answer = ask(router, tt, "BEATTY_AIRPORT", "FUR_CREEK_RES", at)
    assert len(answer.journeys) == 1  # the slower direct ABBFC1 is not offered as well
    journey = answer.journeys[0]
    assert hm(journey.arrival - at) == "1:20"
    assert trip_groups(tt, journey) == ["AB1", "BFC1"]
    assert journey.transfers == 0
    assert [leg.stay_seated for leg in journey.rides] == [True, False]


def test_case_21_pareto_fast_with_transfer_and_slow_without(router, tt):
    answer = ask(router, tt, "BEATTY_AIRPORT", "FUR_CREEK_RES", monday(14))
    assert len(answer.journeys) == 2
    fast, slow = sorted(answer.journeys, key=lambda j: j.arrival)
    assert fast.transfers == 1 and slow.transfers == 0
    assert fast.arrival < slow.arrival


@pytest.mark.parametrize(
    ("case", "origin", "dest", "travel"),
    [
        (22, "STAGECOACH", "AMV", "6:30"),  # 11-minute minimum transfer misses the 08:00 bus
        (23, "STAGECOACH", "BULLFROG", "0:40"),  # a transfer to route AB may take 0 minutes
    ],
)
def test_minimum_transfer_times_saturday_morning(router, tt, case, origin, dest, travel):
    at = monday(7, 30, day=6)
    journey = fastest(ask(router, tt, origin, dest, at))
    assert hm(journey.arrival - at) == travel, f"case {case}"


def test_case_24_transfer_from_route_ab_needs_20_minutes(router, tt):
    at = monday(12, 5, day=6)
    journey = fastest(ask(router, tt, "BULLFROG", "STAGECOACH", at))
    assert hm(journey.arrival - at) == "1:15"


def test_case_25_three_trips_one_vehicle(router, tt):
    journey = fastest(ask(router, tt, "BEATTY_AIRPORT", "AMV", monday(18)))
    assert journey.transfers == 0
    assert trip_groups(tt, journey) == ["FUNNY_BLOCK_AB1", "FUNNY_BLOCK_BFC1", "FUNNY_BLOCK_FCAMV1"]
    assert [leg.stay_seated for leg in journey.rides] == [True, True, False]


def test_case_26_arrive_by_last_leg_arrives_exactly(router, tt):
    journey = fastest(ask(router, tt, "NADAV", "BEATTY_AIRPORT", monday(7, 20), arrive_by=True))
    last = journey.rides[-1]
    assert journey.base + dt.timedelta(seconds=last.arrival_s) == monday(7, 20)
