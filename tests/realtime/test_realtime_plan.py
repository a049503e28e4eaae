"""Trip updates and alerts served as real protobuf from a loopback server, through the planner."""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

import pytest

from routing.core.realtime_config import RealtimeSource
from routing.plan.answer_json import answer_json
from routing.plan.planner import Planner
from routing.plan.request import PlanRequest
from routing.realtime.fetch import fetch_bytes
from routing.realtime.service import RealtimeService
from tests.realtime.conftest import Clock, at
from tests.realtime.feeds import FeedServer, alert, message, trip_update
from tests.street.osm_fixture import node_latlon

NE, SE = node_latlon(3), node_latlon(9)


def live(planner: Planner, feeds: FeedServer, clock: Clock, **kw: Any) -> RealtimeService:
    assert planner.transit is not None
    src = RealtimeSource("bus", trip_updates=f"{feeds.url}/tu", alerts=f"{feeds.url}/al", max_age_seconds=300)
    service = RealtimeService(planner.transit.tt, (src,), clock=clock, background=kw.pop("background", False), **kw)
    planner.transit.realtime = service
    return service


def publish(feeds: FeedServer, msg: Any, path: str = "/tu") -> None:
    feeds.bodies[path] = msg.SerializeToString()


def plan(planner: Planner, to: tuple[float, float], when: Any) -> dict[str, Any]:
    # 150 m of walking at most: the stops at the origin and destination only, never R1 then a walk.
    req = PlanRequest(origin=node_latlon(1), destination=to, modes=("transit",), at=when, max_walk_m=150.0)
    return answer_json(planner.plan(req))


def rides(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The transit legs of the first (earliest-arriving) option."""
    first = min(answer["options"], key=lambda o: (o["arrival"], o["transfers"]))
    return [leg for leg in first["legs"] if leg["mode"] == "transit"]


def hhmm(iso: str) -> str:
    return iso[11:16]


@pytest.fixture()
def clock() -> Clock:
    return Clock(at(7, 50))


def test_ten_minute_delay_moves_the_leg_and_the_arrival(rt_planner: Planner, feeds: FeedServer, clock: Clock) -> None:
    before = rides(plan(rt_planner, SE, at(8, 0)))
    got = [(hhmm(r["departure"]), hhmm(r["arrival"]), r["trip_id"]) for r in before]
    assert got == [("08:00", "08:04", "bus:T0800")]
    m = message(at(7, 50))
    trip_update(m, "T0800", stops=(("NW", {"departure_delay": 600}),))
    publish(feeds, m)
    live(rt_planner, feeds, clock).poll(force=True)
    answer = plan(rt_planner, SE, at(8, 0))
    (leg,) = rides(answer)
    assert (hhmm(leg["departure"]), hhmm(leg["arrival"]), leg["trip_id"]) == ("08:10", "08:14", "bus:T0800")
    assert leg["realtime"] == {
        "status": "updated",
        "delay_s": 600,
        "departure_delay_s": 600,
        "scheduled_departure": "2026-12-01T08:00:00-03:00",
        "scheduled_arrival": "2026-12-01T08:04:00-03:00",
    }
    (block,) = [d for d in answer["data"]["realtime"] if d["kind"] == "trip_updates"]
    assert block["feed"] == "bus" and block["entities"] == 1 and block["age_s"] == 0.0


def test_cancelled_trip_is_not_offered_and_the_next_one_is(
    rt_planner: Planner, feeds: FeedServer, clock: Clock
) -> None:
    m = message(at(7, 50))
    trip_update(m, "T0800", canceled=True)
    publish(feeds, m)
    live(rt_planner, feeds, clock).poll(force=True)
    answer = plan(rt_planner, SE, at(8, 0))
    (leg,) = rides(answer)
    assert (hhmm(leg["departure"]), leg["trip_id"], leg["realtime"]["status"]) == ("08:15", "bus:T0815", "scheduled")
    assert all(o["legs"][1].get("trip_id") != "bus:T0800" for o in answer["options"])
    (note,) = [n for n in answer["notices"] if n["code"] == "realtime_canceled"]
    assert note["trip_id"] == "bus:T0800" and "08:00" in note["message"]


def test_a_connection_the_delay_breaks_is_replaced(rt_planner: Planner, feeds: FeedServer, clock: Clock) -> None:
    before = rides(plan(rt_planner, NE, at(7, 55)))
    assert [r["trip_id"] for r in before] == ["bus:A8", "bus:B0835"]
    m = message(at(7, 50))
    trip_update(m, "A8", stops=(("FAR", {"arrival_delay": 1200}),))  # reaches FAR at 08:40
    publish(feeds, m)
    live(rt_planner, feeds, clock).poll(force=True)
    after = rides(plan(rt_planner, NE, at(7, 55)))
    assert [r["trip_id"] for r in after] == ["bus:A8", "bus:B0855"]
    assert hhmm(after[0]["arrival"]) == "08:40" and after[0]["realtime"]["delay_s"] == 1200
    assert hhmm(after[1]["arrival"]) == "09:10" and after[1]["realtime"]["status"] == "scheduled"


def test_a_delayed_bus_makes_an_earlier_connection(rt_planner: Planner, feeds: FeedServer, clock: Clock) -> None:
    m = message(at(7, 50))
    trip_update(m, "B0815", stops=(("FAR", {"departure_delay": 420}),))  # leaves FAR at 08:22
    publish(feeds, m)
    live(rt_planner, feeds, clock).poll(force=True)
    legs = rides(plan(rt_planner, NE, at(7, 55)))
    assert [r["trip_id"] for r in legs] == ["bus:A8", "bus:B0815"]
    assert hhmm(legs[1]["departure"]) == "08:22" and hhmm(legs[1]["arrival"]) == "08:37"


def test_a_skipped_stop_is_not_boarded_and_an_added_trip_is(
    rt_planner: Planner, feeds: FeedServer, clock: Clock
) -> None:
    m = message(at(7, 50))
    trip_update(m, "T0800", skipped=("NW",))
    t0805 = int(at(8, 5).timestamp())
    trip_update(
        m,
        "EXTRA1",
        added_route="R1",
        stops=(("NW", {"departure_time": t0805}), ("SE", {"arrival_time": t0805 + 300})),
    )
    publish(feeds, m)
    live(rt_planner, feeds, clock).poll(force=True)
    (leg,) = rides(plan(rt_planner, SE, at(8, 0)))
    assert (hhmm(leg["departure"]), hhmm(leg["arrival"]), leg["trip_id"]) == ("08:05", "08:10", "bus:EXTRA1")
    assert leg["realtime"]["status"] == "added"
    m = message(at(7, 50))
    trip_update(m, "T0800", skipped=("NW",))
    publish(feeds, m)
    rt_planner.transit.realtime.poll(force=True)  # type: ignore[union-attr]
    (leg,) = rides(plan(rt_planner, SE, at(8, 0)))
    assert leg["trip_id"] == "bus:T0815"


def test_an_alert_on_a_route_appears_on_that_leg_only(rt_planner: Planner, feeds: FeedServer, clock: Clock) -> None:
    m = message(at(7, 50))
    alert(m, route_id="B", texts={"en": "Detour on B", "pt": "Desvio na B"})
    alert(m, route_id="R1")
    publish(feeds, m, "/al")
    live(rt_planner, feeds, clock).poll(force=True)
    a_leg, b_leg = rides(plan(rt_planner, NE, at(7, 55)))
    assert a_leg["alerts"] == []
    (shown,) = b_leg["alerts"]
    assert shown["header"] == "Detour on B" and shown["effect"] == "DETOUR" and shown["cause"] == "CONSTRUCTION"
    assert shown["translations"]["pt"]["header"] == "Desvio na B"
    assert "realtime" not in a_leg  # no trip updates were fetched: nothing claims to be live


def test_a_stale_feed_falls_back_to_the_timetable(rt_planner: Planner, feeds: FeedServer, clock: Clock) -> None:
    m = message(at(7, 50))
    trip_update(m, "T0800", stops=(("NW", {"departure_delay": 600}),))
    publish(feeds, m)
    service = live(rt_planner, feeds, clock)
    service.poll(force=True)
    assert hhmm(rides(plan(rt_planner, SE, at(8, 0)))[0]["departure"]) == "08:10"
    feeds.bodies.clear()  # the operator's server now answers 404
    clock.t += 301
    service.poll(force=True)
    answer = plan(rt_planner, SE, at(8, 0))
    (leg,) = rides(answer)
    assert hhmm(leg["departure"]) == "08:00" and "realtime" not in leg
    codes = [n["code"] for n in answer["notices"]]
    assert codes.count("realtime_stale") == 2  # trip updates and alerts
    assert answer["data"]["realtime"] == []


def test_a_plan_during_the_views_build_reports_only_what_its_legs_use(
    rt_planner: Planner, feeds: FeedServer, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request landing while the poller builds the view of a new fetch: it answers from the
    timetable, and its data block must not name the fetch (it once did: the fetch was stored before
    its view was built, and CI caught a leg at 08:00 beside a block saying the delay feed was used)."""
    import routing.realtime.service as service_module

    m = message(at(7, 50))
    trip_update(m, "T0800", stops=(("NW", {"departure_delay": 600}),))
    publish(feeds, m)
    service = live(rt_planner, feeds, clock)
    during: list[dict[str, Any]] = []
    build = service_module.realtime_view

    def build_while_a_request_lands(*args: Any, **kw: Any) -> Any:
        during.append(plan(rt_planner, SE, at(8, 0)))
        return build(*args, **kw)

    monkeypatch.setattr(service_module, "realtime_view", build_while_a_request_lands)
    service.poll(force=True)
    (answer,) = during
    (leg,) = rides(answer)
    assert hhmm(leg["departure"]) == "08:00" and "realtime" not in leg
    assert answer["data"]["realtime"] == []
    after = plan(rt_planner, SE, at(8, 0))
    assert hhmm(rides(after)[0]["departure"]) == "08:10"
    assert [d["kind"] for d in after["data"]["realtime"]] == ["trip_updates"]


@pytest.mark.parametrize(
    ("body", "limit", "reason"),
    [
        (b"\x08\x96\x01 this is no protobuf \xff\xff", None, "not a GTFS-Realtime FeedMessage"),
        (b"<html>maintenance</html>", None, "not a GTFS-Realtime FeedMessage"),
        (b"\x00" * 5000, 4096, "larger than the 4096-byte limit"),
    ],
)
def test_a_corrupt_or_huge_feed_is_refused_and_logged(
    rt_planner: Planner,
    feeds: FeedServer,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    limit: int | None,
    reason: str,
) -> None:
    m = message(at(7, 50))
    trip_update(m, "T0800", stops=(("NW", {"departure_delay": 600}),))
    publish(feeds, m)
    fetch = functools.partial(fetch_bytes, limit=limit) if limit else fetch_bytes
    service = live(rt_planner, feeds, clock, fetch=fetch)
    service.poll(force=True)
    feeds.bodies["/tu"] = body
    clock.t += 60
    with caplog.at_level(logging.WARNING, logger="greenroute.realtime"):
        service.poll(force=True)
    assert any(reason in r.getMessage() and "refused" in r.getMessage() for r in caplog.records)
    # The last good data is kept while it is fresh, and the planner keeps answering.
    assert hhmm(rides(plan(rt_planner, SE, at(8, 0)))[0]["departure"]) == "08:10"


def test_a_slow_feed_never_blocks_a_request(rt_planner: Planner, feeds: FeedServer) -> None:
    m = message(at(7, 50))
    publish(feeds, m)
    feeds.delay_s = 3.0
    assert rt_planner.transit is not None
    src = RealtimeSource("bus", trip_updates=f"{feeds.url}/tu")
    service = RealtimeService(rt_planner.transit.tt, (src,), fetch=functools.partial(fetch_bytes, timeout_s=2.0))
    rt_planner.transit.realtime = service
    plan(rt_planner, SE, at(8, 0))  # starts the poller, which now waits on the slow server
    deadline = time.monotonic() + 2
    while feeds.hits == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert feeds.hits >= 1
    t0 = time.perf_counter()
    answer = plan(rt_planner, SE, at(8, 0))
    assert time.perf_counter() - t0 < 1.0
    assert any(n["code"] == "realtime_stale" for n in answer["notices"])
