"""The query budget inside RAPTOR: a run stops between rounds, a range query between departures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import zoneinfo
from pathlib import Path

import numpy as np
import pytest

from routing.core.errors import QueryTimeout
from routing.transit import Timetable, TransitQuery, TransitRouter
from routing.transit.kernel_clock import kernel_deadline, monotonic_s
from routing.transit.query import MAX_WINDOW_S

POA_TZ = zoneinfo.ZoneInfo("America/Sao_Paulo")
AT = dt.datetime(2019, 5, 7, 6, 0, tzinfo=POA_TZ)  # a Tuesday inside both feeds


@pytest.fixture(scope="module")
def router(poa_folder: Path) -> TransitRouter:
    r = TransitRouter(Timetable.load(poa_folder / "transit"))
    r.warm_up()
    return r


def _near(tt: Timetable, stop_id: str) -> tuple[tuple[int, float], ...]:
    """The 10 stops nearest to ``stop_id`` with straight-line walking seconds (many access
    stops: many boardings, so many runs in a range query)."""
    s = tt.stop_index(stop_id)
    lat, lon = np.asarray(tt.stop_lat), np.asarray(tt.stop_lon)
    d = np.hypot(lat - lat[s], (lon - lon[s]) * np.cos(np.radians(lat[s]))) * 111_000
    return tuple((int(i), float(d[i] / 1.33)) for i in np.argsort(d, kind="stable")[:10])


def _across_the_city(tt: Timetable, *, window_s: int = 0) -> TransitQuery:
    # Mercado to Aeroporto: a whole-day window takes about 0.6 s (arrive-by 0.07 s) without a budget here.
    access, egress = _near(tt, "trensurb:MR"), _near(tt, "trensurb:AP")
    return TransitQuery(access=access, egress=egress, at=AT, window_s=window_s, max_transfers=6)


def test_kernel_clock_is_the_perf_counter_clock():
    kernel_deadline(0.0)  # compiles (or loads) the clock and measures the offset once
    before = time.perf_counter()
    now = monotonic_s()
    after = time.perf_counter()
    assert kernel_deadline(before) - 0.01 <= now <= kernel_deadline(after) + 0.01


def test_a_single_run_stops_at_its_deadline(router):
    """No range, so no check between runs: only the kernel's check between rounds can stop it."""
    query = _across_the_city(router.timetable)
    assert router.route(query).journeys  # the query has an answer with time to find it
    with pytest.raises(QueryTimeout) as err:
        router.route(query, deadline=time.perf_counter() - 1.0)
    assert err.value.code == "timeout"


def test_tiny_budget_on_a_whole_day_window_stops_within_budget(router):
    query = _across_the_city(router.timetable, window_s=MAX_WINDOW_S)
    budget = 0.05
    t0 = time.perf_counter()
    with pytest.raises(QueryTimeout):
        router.route(query, deadline=t0 + budget)
    assert time.perf_counter() - t0 < budget + 0.5


@pytest.mark.parametrize("arrive_by", [False, True])
def test_answers_after_a_timeout_are_those_of_a_fresh_router(router, poa_folder, arrive_by):
    """A search cut mid-range leaves labels and work arrays the next query must not see."""
    with pytest.raises(QueryTimeout):
        cut = _across_the_city(router.timetable, window_s=MAX_WINDOW_S)
        # 10 ms: a quiet machine runs the whole arrive-by day in about 70 ms, and the cut must come mid-range.
        router.route(dataclasses.replace(cut, arrive_by=arrive_by), deadline=time.perf_counter() + 0.01)
    query = dataclasses.replace(_across_the_city(router.timetable, window_s=1800), arrive_by=arrive_by)
    fresh = TransitRouter(Timetable.load(poa_folder / "transit"))
    ours, theirs = router.route(query), fresh.route(query)
    assert ours.journeys
    key = [(j.departure, j.arrival, j.transfers, j.legs) for j in ours.journeys]
    assert key == [(j.departure, j.arrival, j.transfers, j.legs) for j in theirs.journeys]
