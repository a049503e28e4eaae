"""RAPTOR against a brute-force time-dependent Dijkstra on random small timetables.

The oracle reads the generated rows directly (not our arrays), and explores states "at a stop,
arrived on foot or by ride" and "on a trip at position i". Model: an optional walk from the
origin, then rides, each followed by at most one walk. A walk is the shortest chain of the
generated footpaths (Floyd-Warshall here) no longer than the longest footpath, and takes at
least a minute; boarding at the stop one arrived at by ride takes a minute's change too.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import zoneinfo
from pathlib import Path

import numpy as np
import pytest

from routing.core.errors import InvalidParameter
from routing.core.report import BuildReport
from routing.transit import TransitQuery, TransitRouter
from routing.transit.build import build_timetable
from tests.transit.gtfs_strings import write_feed

UTC = zoneinfo.ZoneInfo("UTC")
DAY = dt.date(2024, 3, 5)
CAL = (
    "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
    "end_date\nS,1,1,1,1,1,1,1,20240305,20240305\n"
)


def _hms(t: int) -> str:
    return f"{t // 3600}:{t % 3600 // 60:02d}:{t % 60:02d}"


def generate(seed: int, folder: Path):
    rng = random.Random(seed)
    n_stops = rng.randint(5, 10)
    trips: list[list[tuple[int, int, int]]] = []  # (stop, arr, dep)
    for _ in range(rng.randint(2, 5)):
        stops = rng.sample(range(n_stops), rng.randint(2, min(5, n_stops)))
        for _ in range(rng.randint(1, 4)):
            t = rng.randint(0, 3 * 3600)
            rows = []
            for s in stops:
                dwell = rng.choice([0, 0, 60, 120])
                rows.append((s, t, t + dwell))
                t += dwell + rng.randint(60, 1200)
            trips.append(rows)
    foot = {}
    for _ in range(rng.randint(0, 2 * n_stops)):
        a, b = rng.sample(range(n_stops), 2)
        foot[(a, b)] = rng.randint(30, 900)
    stops_txt = "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
        f"s{i},Stop {i},{i * 0.1},0.0\n" for i in range(n_stops)
    )
    routes_txt = "route_id,route_short_name,route_type\nR,R,3\n"
    trips_txt = "route_id,service_id,trip_id\n" + "".join(f"R,S,t{i}\n" for i in range(len(trips)))
    st_txt = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "".join(
        f"t{i},{_hms(a)},{_hms(d)},s{s},{n + 1}\n" for i, rows in enumerate(trips) for n, (s, a, d) in enumerate(rows)
    )
    write_feed(
        folder,
        {
            "stops.txt": stops_txt,
            "routes.txt": routes_txt,
            "trips.txt": trips_txt,
            "stop_times.txt": st_txt,
            "calendar.txt": CAL,
        },
    )
    return n_stops, trips, foot


CHANGE_S = 60  # the documented minimum change (README), typed here rather than imported


def walks(foot: dict[tuple[int, int], int], n_stops: int) -> dict[tuple[int, int], int]:
    """Chained footpaths: shortest walk of every pair within the longest footpath, >= a minute."""
    if not foot:
        return {}
    inf = float("inf")
    d = [[inf] * n_stops for _ in range(n_stops)]
    for (a, b), secs in foot.items():
        d[a][b] = min(d[a][b], secs)
    for m in range(n_stops):
        for i in range(n_stops):
            for j in range(n_stops):
                if d[i][m] + d[m][j] < d[i][j]:
                    d[i][j] = d[i][m] + d[m][j]
    cap = max(foot.values())
    return {
        (i, j): max(int(d[i][j]), CHANGE_S) for i in range(n_stops) for j in range(n_stops) if i != j and d[i][j] <= cap
    }


def brute_force(origin: int, t0: int, trips, foot, n_stops: int) -> list[float]:
    """Earliest arrival at each stop with at least one ride."""
    foot = walks(foot, n_stops)
    # Stop states: b = 0 arrived by ride, 1 walked after a ride, 2 origin, 3 walked from it.
    best = [float("inf")] * n_stops
    heap: list[tuple[int, int, int, int]] = [(t0, 0, origin, 2)]  # (time, kind, a, b)
    seen: set[tuple[int, int, int]] = set()
    while heap:
        t, kind, a, b = heapq.heappop(heap)
        if (kind, a, b) in seen:
            continue
        seen.add((kind, a, b))
        if kind == 0:  # at stop a
            if a != origin and b in (0, 1):
                best[a] = min(best[a], t)
            for ti, rows in enumerate(trips):
                ready = t + CHANGE_S if b == 0 else t
                for pos, (s, _, dep) in enumerate(rows):
                    if s == a and dep >= ready and pos + 1 < len(rows):
                        heapq.heappush(heap, (dep, 1, ti, pos))
            if b in (0, 2):
                for (x, y), secs in foot.items():
                    if x == a:
                        heapq.heappush(heap, (t + secs, 0, y, 1 if b == 0 else 3))
        else:  # on trip a, leaving position b
            rows = trips[a]
            s, arr, _ = rows[b + 1]
            heapq.heappush(heap, (arr, 0, s, 0))
            if b + 2 < len(rows):
                heapq.heappush(heap, (rows[b + 1][2], 1, a, b + 1))
    return best


def _setup(seed: int, tmp_path: Path):
    n_stops, trips, foot = generate(seed, tmp_path / f"feed{seed}")
    pairs = list(foot)

    def footpaths(lat, lon):
        return (
            np.array([p[0] for p in pairs], dtype=np.int32),
            np.array([p[1] for p in pairs], dtype=np.int32),
            np.array([foot[p] for p in pairs], dtype=np.int32),
        )

    tt = build_timetable(
        [("g", tmp_path / f"feed{seed}")], timezone="UTC", report=BuildReport("x"), footpaths=footpaths
    )
    return tt, TransitRouter(tt), n_stops, trips, foot


def _at(seconds: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(), tzinfo=UTC) + dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("seed", range(40))
def test_earliest_arrival_equals_brute_force(seed, tmp_path):
    tt, router, n_stops, trips, foot = _setup(seed, tmp_path)
    t0 = random.Random(seed).randint(0, 2 * 3600)
    for origin in range(n_stops):
        expected = brute_force(origin, t0, trips, foot, n_stops)
        for target in range(n_stops):
            # Also where walking there directly is quicker: the earliest journey with a ride.
            if target == origin:
                continue
            answer = router.route(
                TransitQuery(
                    access=((tt.stop_index(f"g:s{origin}"), 0.0),),
                    egress=((tt.stop_index(f"g:s{target}"), 0.0),),
                    at=_at(t0),
                    max_transfers=12,
                )
            )
            got = min((j.arrival for j in answer.journeys), default=None)
            want = expected[target]
            if want == float("inf"):
                assert got is None, (origin, target)
            else:
                assert got == _at(int(want)), (origin, target, got, _at(int(want)))


@pytest.mark.parametrize("seed", range(20))
def test_arrivals_at_every_stop_equal_brute_force(seed, tmp_path):
    """The one-to-all search (isochrones): rides as the oracle, or the walk from the origin."""
    tt, router, n_stops, trips, foot = _setup(seed, tmp_path)
    walked = walks(foot, n_stops)
    t0 = random.Random(seed).randint(0, 2 * 3600)
    for origin in range(n_stops):
        want = brute_force(origin, t0, trips, foot, n_stops)
        want[origin] = t0
        for (a, b), secs in walked.items():
            if a == origin:
                want[b] = min(want[b], t0 + secs)
        secs_at, _ = router.arrivals(
            TransitQuery(
                access=((tt.stop_index(f"g:s{origin}"), 0.0),), egress=((0, 0.0),), at=_at(t0), max_transfers=12
            )
        )
        got = [secs_at[tt.stop_index(f"g:s{s}")] + t0 for s in range(n_stops)]
        assert got == want, origin


def test_arrivals_refuse_arrive_by_and_windows(tmp_path):
    tt, router, *_ = _setup(0, tmp_path)
    for extra in ({"arrive_by": True}, {"window_s": 600}):
        with pytest.raises(InvalidParameter) as err:
            router.arrivals(TransitQuery(access=((0, 0.0),), egress=((1, 0.0),), at=_at(0), **extra))
        assert err.value.argument in ("arrive_by", "window")


@pytest.mark.parametrize("seed", range(12))
def test_range_query_equals_brute_force_at_each_departure(seed, tmp_path):
    tt, router, n_stops, trips, foot = _setup(seed, tmp_path)
    walked = walks(foot, n_stops)
    rng = random.Random(1000 + seed)
    t0, window = rng.randint(0, 3600), 2 * 3600
    for origin in range(n_stops):
        for target in range(n_stops):
            if target == origin or (origin, target) in walked:
                continue
            answer = router.route(
                TransitQuery(
                    access=((tt.stop_index(f"g:s{origin}"), 0.0),),
                    egress=((tt.stop_index(f"g:s{target}"), 0.0),),
                    at=_at(t0),
                    window_s=window,
                    max_transfers=12,
                )
            )
            for j in answer.journeys:
                # Never better than the oracle allows (journeys with fewer transfers may be
                # slower, but no journey may arrive before the earliest possible arrival).
                dep = int((j.departure - _at(0)).total_seconds())
                want = brute_force(origin, dep, trips, foot, n_stops)[target]
                assert j.arrival >= _at(int(want)), (origin, target, dep)
            for t in rng.sample(range(t0, t0 + window + 1), 5):
                want = brute_force(origin, t, trips, foot, n_stops)[target]
                later = [j.arrival for j in answer.journeys if j.departure >= _at(t)]
                if want == float("inf"):
                    assert not later
                else:
                    assert min(later) == _at(int(want)), (origin, target, t)


@pytest.mark.parametrize("seed", range(12))
def test_arrive_by_is_consistent_with_depart_at(seed, tmp_path):
    tt, router, n_stops, trips, foot = _setup(seed, tmp_path)
    walked = walks(foot, n_stops)
    t0 = random.Random(seed).randint(0, 2 * 3600)
    for origin in range(n_stops):
        expected = brute_force(origin, t0, trips, foot, n_stops)
        for target in range(n_stops):
            if target == origin or (origin, target) in walked or expected[target] == float("inf"):
                continue
            arrive = _at(int(expected[target]))
            answer = router.route(
                TransitQuery(
                    access=((tt.stop_index(f"g:s{origin}"), 0.0),),
                    egress=((tt.stop_index(f"g:s{target}"), 0.0),),
                    at=arrive,
                    arrive_by=True,
                    max_transfers=12,
                )
            )
            assert answer.journeys, (origin, target)
            latest = max(answer.journeys, key=lambda j: j.departure)
            assert latest.arrival <= arrive
            assert latest.departure >= _at(t0)
            # Leaving at the latest departure still reaches the target by the deadline.
            dep = int((latest.departure - _at(0)).total_seconds())
            assert brute_force(origin, dep, trips, foot, n_stops)[target] <= expected[target]
