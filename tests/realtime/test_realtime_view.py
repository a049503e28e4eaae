"""The realtime view against a slow, obvious reading of the same GTFS text and protobuf.

Random delays (some large enough for a bus to overtake the next two) and cancellations of R1;
the oracle scans the feed's stop_times.txt itself, adds each trip's delay and takes the earliest
arrival at SE of a trip leaving NW no earlier than the query. The view must agree at every
query time, and its patterns must stay free of overtaking.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np

from routing.transit import Timetable, TransitQuery, TransitRouter
from routing.transit.realtime_feed import parse_feed
from routing.transit.realtime_view import realtime_view
from tests.realtime.conftest import DAY, at
from tests.realtime.feeds import message, trip_update


def _secs(hms: str) -> int:
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s


def _oracle(zip_path: Path, delays: dict[str, tuple[int, int]], canceled: set[str], t: int) -> int | None:
    with zipfile.ZipFile(zip_path) as z:
        rows = list(csv.DictReader(io.TextIOWrapper(z.open("stop_times.txt"), encoding="utf-8")))
    trips: dict[str, dict[str, int]] = {}
    for r in rows:
        trips.setdefault(r["trip_id"], {})[r["stop_id"]] = _secs(r["departure_time"])
    best = None
    for tid, times in trips.items():
        if tid in canceled or "NW" not in times or "SE" not in times:
            continue
        dep_delay, arr_delay = delays.get(tid, (0, 0))
        if times["NW"] + dep_delay >= t:
            arr = times["SE"] + arr_delay
            best = arr if best is None else min(best, arr)
    return best


def test_view_agrees_with_a_scan_of_the_feed(rt_city: tuple[object, Path]) -> None:
    _, folder = rt_city
    tt = Timetable.load(folder / "transit")
    rng = np.random.default_rng(18)
    m = message(at(6, 0))
    delays: dict[str, tuple[int, int]] = {}  # trip → (delay leaving NW, delay reaching SE)
    canceled: set[str] = set()
    for minute in range(6 * 60, 12 * 60, 15):
        tid = f"T{minute // 60:02d}{minute % 60:02d}"
        roll = rng.random()
        if roll < 0.1:
            canceled.add(tid)
            trip_update(m, tid, canceled=True)
        elif roll < 0.5:
            dep = int(rng.integers(0, 40 * 60))
            # Half of them lose more time on the way: a later bus can then overtake them.
            arr = dep + (int(rng.integers(0, 30 * 60)) if rng.random() < 0.5 else 0)
            delays[tid] = (dep, arr)
            trip_update(m, tid, stops=(("NW", {"departure_delay": dep}), ("SE", {"arrival_delay": arr})))
    assert any(a - d > 15 * 60 for d, a in delays.values()), "the seed must make some bus overtake another"
    view = realtime_view(tt, {0: parse_feed(m.SerializeToString()).trip_updates}, now=at(6, 0))
    assert view.info.applied == len(delays) + len(canceled) and not view.info.ignored
    router = TransitRouter(view)
    nw, se = view.stop_index("NW"), view.stop_index("SE")
    base = dt.datetime(DAY.year, DAY.month, DAY.day, 12, tzinfo=at(0, 0).tzinfo) - dt.timedelta(hours=12)
    checked = 0
    for minute in range(6 * 60, 12 * 60, 5):
        when = at(minute // 60, minute % 60)
        answer = router.route(TransitQuery(access=((nw, 0.0),), egress=((se, 0.0),), at=when, max_transfers=0))
        got = min((int((j.arrival - base).total_seconds()) for j in answer.journeys), default=None)
        assert got == _oracle(folder.parent.parent / "seeds" / "rt" / "bus.zip", delays, canceled, minute * 60), when
        checked += 1
    assert checked == 72


def test_view_patterns_never_overtake(rt_city: tuple[object, Path]) -> None:
    _, folder = rt_city
    tt = Timetable.load(folder / "transit")
    m = message(at(6, 0))
    # Delays that only reorder buses need no new pattern; losing 20 minutes on the way does:
    # T0815 then passes T0800.
    for tid, delay in (("T0815", 60), ("T0830", 1500), ("T0900", 0)):
        trip_update(m, tid, stops=(("NW", {"departure_delay": delay}),))
    trip_update(m, "T0800", stops=(("SE", {"arrival_delay": 1200}),))
    view = realtime_view(tt, {0: parse_feed(m.SerializeToString()).trip_updates}, now=at(6, 0))
    assert view.pattern_count > tt.pattern_count  # the buses that overtake need a pattern of their own
    d = (DAY - view.day0).days
    for p in range(view.pattern_count):
        trips = view.pattern_trips[view.pattern_trips_start[p] : view.pattern_trips_start[p + 1]]
        n = int(view.pattern_stops_start[p + 1] - view.pattern_stops_start[p])
        running = [int(t) for t in trips if view.service_days[view.trip_service[t], d]]
        times = [view.st_dep[view.trip_times[t] : view.trip_times[t] + n] + view.trip_shift[t] for t in running]
        for x in range(len(times)):
            for y in range(len(times)):
                assert np.all(times[x] <= times[y]) or np.all(times[x] >= times[y])
