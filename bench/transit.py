"""Transit query benchmark on Porto Alegre: greenroute's RAPTOR against ferrobus (Rust RAPTOR).

Builds (or loads) the Porto Alegre timetable, picks 200 seeded random origin/destination stop
pairs inside the OSM extract, and times a depart-at query at 08:00 on a weekday for each, in
greenroute and in ferrobus, in the same run. Both are offered the same access/egress: the (up
to) 10 stops within 20 minutes' walk of the point (ferrobus on its street graph, greenroute with
the straight-line estimate); ferrobus's one-to-many search starts from as many of its access
stops as its ``MAX_CANDIDATE_STOPS`` allows (1 in its source when this was written), greenroute
from all of them in one search. Both walk transfers of at most ``--footpath-s`` (default the
planner's 15 minutes; 391 s is the 400 m × 1.3 at 1.33 m/s of earlier runs); greenroute chains
them up to that and adds its minimum change (routing/transit/footpaths.py). By default
greenroute's footpaths link only stops inside the OSM extract, as the street graph (ferrobus's
and the planner's) does; ``--all-footpaths`` links every stop. ferrobus ignores calendar dates
and its single-pair call is sometimes later than its one-to-many answer, so its one-to-many
call is timed (one destination).

Two greenroute figures are timed per pair: ``route`` (the Pareto journeys rebuilt into legs, with
fares, as the planner asks) and ``earliest_arrivals`` (the same search, answering rides and arrival
per Pareto journey without legs). ferrobus's one-to-many call answers the latter: travel time,
walking time and transfers per journey, no legs.

Both are asked for the same journeys: at most ``--max-transfers`` changes, that is one ride
more. ferrobus's ``max_transfers=m`` runs m RAPTOR rounds (m rides, m - 1 changes): with 0 it
finds nothing even between two stops of one trip. The bench checks that on a trip before it
starts and gives ferrobus one more, so neither side searches a round the other does not.

``--realtime 0.2`` measures the cost of GTFS-Realtime instead (ferrobus is not run): a TripUpdates
feed, made with gtfs-realtime-bindings, delays that share of the trips running that day by 1–10
minutes from a random stop on; the same queries are timed on the compiled timetable and on its
realtime view, interleaved, three times each (the fastest kept), and the ratio printed (issue 18 asks for at most 1.10).

Usage: ``python bench/transit.py [--pairs 200] [--seed 7] [--realtime SHARE]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import zipfile
import zoneinfo
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from routing.core.city import load_city  # noqa: E402
from routing.core.geo import haversine_m_arr  # noqa: E402
from routing.core.report import BuildReport  # noqa: E402
from routing.core.walking import STRAIGHT_DETOUR, WALK_FLAT_KMH, WALK_MPS  # noqa: E402
from routing.street.footpaths import MAX_FOOTPATH_S  # noqa: E402
from routing.transit import (  # noqa: E402
    FootpathFn,
    Timetable,
    TransitQuery,
    TransitRouter,
    straight_line_footpaths,
)
from routing.transit.build import build_transit  # noqa: E402
from routing.transit.footpaths import walk_seconds  # noqa: E402
from routing.transit.gtfs import format_time  # noqa: E402

MAX_WALK_S = 1200
MAX_STOPS = 10


def _osm_extent(path: Path) -> tuple[float, float, float, float]:
    """(min lat, min lon, max lat, max lon) of the extract's nodes."""
    import osmium

    lats: list[float] = []
    lons: list[float] = []
    for obj in osmium.FileProcessor(str(path), osmium.osm.NODE):
        if isinstance(obj, osmium.osm.Node):
            lats.append(obj.location.lat)
            lons.append(obj.location.lon)
    return min(lats), min(lons), max(lats), max(lons)


def _footpaths_inside(extent: tuple[float, float, float, float], radius_m: float) -> FootpathFn:
    """Straight-line footpaths, but only between stops inside the OSM extract: the planner's
    footpaths come from the street graph, which (like ferrobus's) has no street near the 41 %
    of stops outside the extract."""

    def fn(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        inside = (lat >= extent[0]) & (lat <= extent[2]) & (lon >= extent[1]) & (lon <= extent[3])
        idx = np.flatnonzero(inside)
        a, b, secs = straight_line_footpaths(lat[idx], lon[idx], radius_m=radius_m)
        return idx[a].astype(np.int32), idx[b].astype(np.int32), secs

    return fn


def _timetable(city_name: str, *, all_footpaths: bool, footpath_s: int) -> tuple[Timetable, float]:
    city = load_city(city_name, seeds=ROOT / "seeds")
    kind = "all" if all_footpaths else "inside"
    radius_m = footpath_s * WALK_MPS / STRAIGHT_DETOUR
    # The folder names the code's footpath model too: a timetable of an older build is not reused.
    out = Path(tempfile.gettempdir()) / f"greenroute-bench-{city_name}-{kind}-{footpath_s}s-chained-{WALK_FLAT_KMH}kmh"
    if not (out / "transit" / "meta.json").is_file():
        extent = _osm_extent(city.osm)
        footpaths = (
            (lambda lat, lon: straight_line_footpaths(lat, lon, radius_m=radius_m))
            if all_footpaths
            else _footpaths_inside(extent, radius_m)
        )
        build_transit(city, out, report=BuildReport(city_name), footpaths=footpaths)
    t0 = time.perf_counter()
    tt = Timetable.load(out / "transit")
    return tt, time.perf_counter() - t0


def _near(tt: Timetable, lat: float, lon: float) -> tuple[tuple[int, float], ...]:
    d = haversine_m_arr(np.float64(lat), np.float64(lon), np.asarray(tt.stop_lat), np.asarray(tt.stop_lon))
    secs = walk_seconds(d)
    order = [int(i) for i in np.argsort(secs, kind="stable") if secs[i] <= MAX_WALK_S]
    return tuple((i, float(secs[i])) for i in order[:MAX_STOPS])


def _write_stop_times(tt: Timetable, feed: int, path: Path) -> None:
    """ferrobus cannot read empty times (EPTC's non-timepoints): give it our interpolated ones."""
    lines = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    for t in range(tt.trip_count):
        if tt.feed_of_trip(t) != feed:
            continue
        tid = tt.trip_id(t).split(":", 1)[1]
        o, shift = int(tt.trip_times[t]), int(tt.trip_shift[t])
        for n, s in enumerate(tt.pattern_slice(int(tt.trip_pattern[t])).tolist()):
            a, d = int(tt.st_arr[o + n]) + shift, int(tt.st_dep[o + n]) + shift
            lines.append(f"{tid},{format_time(a)},{format_time(d)},{tt.stop_id(s).split(':', 1)[1]},{n + 1}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ferrobus_counts_rides(ferrobus: Any, model: Any, tt: Timetable) -> bool:
    """True if ferrobus's ``max_transfers=0`` finds no journey between the first and last stop of
    one trip while ``1`` does: its limit then counts rides, not changes."""
    for p in range(tt.pattern_count):
        stops = tt.pattern_slice(p).tolist()
        a, b = int(stops[0]), int(stops[-1])
        try:
            pa, pb = (
                ferrobus.create_transit_point(float(tt.stop_lat[s]), float(tt.stop_lon[s]), model, 60, 1)
                for s in (a, b)
            )
        except (ValueError, RuntimeError):
            continue
        with_one = ferrobus.find_routes_one_to_many(model, pa, [pb], 8 * 3600, 1)
        if not (with_one and with_one[0]):
            continue
        with_zero = ferrobus.find_routes_one_to_many(model, pa, [pb], 8 * 3600, 0)
        return not (with_zero and with_zero[0])
    raise SystemExit("no trip between two stops ferrobus can place: cannot check its limit")


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-transfers", type=int, default=3)
    parser.add_argument(
        "--all-footpaths", action="store_true", help="footpaths between all stops, also those outside the OSM extract"
    )
    parser.add_argument("--realtime", type=float, default=None, help="share of trips a realtime feed delays")
    parser.add_argument(
        "--footpath-s", type=int, default=int(MAX_FOOTPATH_S), help="longest walk between two stops (both engines)"
    )
    args = parser.parse_args()

    tt, load_s = _timetable("porto-alegre", all_footpaths=args.all_footpaths, footpath_s=args.footpath_s)
    if args.realtime is not None:
        _realtime_overhead(tt, args)
        return

    import ferrobus

    print(
        f"timetable load: {load_s * 1000:.1f} ms; {tt.stop_count} stops, {tt.trip_count} trips,"
        f" {len(tt.fp_to)} footpaths"
    )
    city = load_city("porto-alegre", seeds=ROOT / "seeds")
    tz = zoneinfo.ZoneInfo(city.timezone)
    at = dt.datetime(2019, 5, 7, 8, 0, tzinfo=tz)  # a Tuesday inside both feeds

    work = Path(tempfile.mkdtemp(prefix="greenroute-ferrobus-"))
    dirs = []
    for fi, path in enumerate(city.gtfs):
        folder = work / path.stem
        with zipfile.ZipFile(path) as z:
            z.extractall(folder)
        _write_stop_times(tt, fi, folder / "stop_times.txt")
        dirs.append(str(folder))
    t0 = time.perf_counter()
    max_transfer_s = args.footpath_s
    model = ferrobus.create_transit_model(str(city.osm), dirs, at.date(), max_transfer_s)
    print(f"ferrobus model: {time.perf_counter() - t0:.1f} s")

    router = TransitRouter(tt)
    t0 = time.perf_counter()
    router.warm_up()
    print(f"greenroute warm_up: {time.perf_counter() - t0:.2f} s")

    rng = np.random.default_rng(args.seed)
    served = np.flatnonzero(np.diff(np.asarray(tt.stop_pat_start)) > 0)
    pairs: list[tuple[int, int]] = []
    points: dict[int, Any] = {}
    while len(pairs) < args.pairs:
        a, b = (int(x) for x in rng.choice(served, 2, replace=False))
        try:
            for s in (a, b):
                if s not in points:
                    points[s] = ferrobus.create_transit_point(
                        float(tt.stop_lat[s]), float(tt.stop_lon[s]), model, MAX_WALK_S, MAX_STOPS
                    )
        except (ValueError, RuntimeError):
            continue  # stop outside the OSM extract: ferrobus cannot place it
        pairs.append((a, b))

    counts_rides = _ferrobus_counts_rides(ferrobus, model, tt)
    their_limit = args.max_transfers + 1 if counts_rides else args.max_transfers
    print(
        f"ferrobus max_transfers counts {'rides' if counts_rides else 'changes'}: it gets "
        f"{their_limit} for greenroute's {args.max_transfers} changes"
    )
    queries = []
    for a, b in pairs:
        access = _near(tt, float(tt.stop_lat[a]), float(tt.stop_lon[a]))
        egress = _near(tt, float(tt.stop_lat[b]), float(tt.stop_lon[b]))
        queries.append(TransitQuery(access=access, egress=egress, at=at, max_transfers=args.max_transfers))
    secs_of_day = 8 * 3600
    calls = {
        "greenroute route": lambda i: router.route(queries[i]),
        "greenroute search": lambda i: router.earliest_arrivals(queries[i]),
        "ferrobus": lambda i: ferrobus.find_routes_one_to_many(
            model, points[pairs[i][0]], [points[pairs[i][1]]], secs_of_day, their_limit
        ),
    }
    n = len(pairs)
    # Interleaved: each call follows the other engine's, so neither finds its arrays in the cache.
    interleaved: dict[str, list[float]] = {name: [0.0] * n for name in calls}
    answers: dict[str, list[Any]] = {name: [None] * n for name in calls}
    for i in range(n):
        for name in ("greenroute route", "ferrobus", "greenroute search", "ferrobus"):
            t0 = time.perf_counter()
            answers[name][i] = calls[name](i)
            interleaved[name][i] = time.perf_counter() - t0
    # Alone: one engine's queries back to back (as a server answering transit does), best of 3.
    alone: dict[str, list[float]] = {name: [float("inf")] * n for name in calls}
    for _ in range(3):
        for name, call in calls.items():
            for i in range(n):
                t0 = time.perf_counter()
                call(i)
                alone[name][i] = min(alone[name][i], time.perf_counter() - t0)

    agree, both = 0, 0
    gaps: list[float] = []
    for i, (a, b) in enumerate(pairs):
        answer, earliest, result = (answers[name][i] for name in calls)
        if answer.journeys and min(j.arrival for j in answer.journeys) != min(t for _, t in earliest):
            raise SystemExit(f"earliest_arrivals and route disagree on stops {a} -> {b}")
        if answer.journeys and result and result[0]:
            both += 1
            mine_s = (min(j.arrival for j in answer.journeys) - at).total_seconds()
            other = result[0].get("travel_time_seconds")
            if other is not None:
                gaps.append(mine_s - float(other))
                agree += abs(mine_s - float(other)) <= 300

    print(f"{n} queries, 08:00 Tuesday, at most {args.max_transfers} changes ({args.max_transfers + 1} rides)")
    print("greenroute search = earliest_arrivals: the route search without legs, as ferrobus answers")
    for label, times in (("interleaved with the other engine", interleaved), ("each engine alone, best of 3", alone)):
        print(f"{label}:")
        for name, values in times.items():
            print(
                f"  {name:18s} p50 {_pct(values, 50) * 1000:.3f} ms  p99 {_pct(values, 99) * 1000:.3f} ms"
                f"  mean {statistics.fmean(values) * 1000:.3f} ms"
            )
        ref50, ref99 = _pct(times["ferrobus"], 50), _pct(times["ferrobus"], 99)
        for name in ("greenroute route", "greenroute search"):
            print(
                f"  ratio {name}/ferrobus: p50 {_pct(times[name], 50) / ref50:.2f}x"
                f"  p99 {_pct(times[name], 99) / ref99:.2f}x"
            )
    print(f"both found a journey for {both} pairs; travel times within 5 min for {agree}")
    if gaps:
        print(
            f"greenroute minus ferrobus travel time: median {statistics.median(gaps):.0f} s, "
            f"min {min(gaps):.0f} s, max {max(gaps):.0f} s"
        )


def _realtime_overhead(tt: Timetable, args: argparse.Namespace) -> None:
    """Time the same queries without and with a feed delaying ``args.realtime`` of the trips."""
    from google.transit import gtfs_realtime_pb2 as rt

    from routing.transit.realtime_feed import parse_feed
    from routing.transit.realtime_view import realtime_view

    tz = zoneinfo.ZoneInfo(tt.timezone)
    at = dt.datetime(2019, 5, 7, 8, 0, tzinfo=tz)  # the Tuesday main() uses
    rng = np.random.default_rng(args.seed)
    day = (at.date() - tt.day0).days
    msg = rt.FeedMessage()
    msg.header.gtfs_realtime_version = "2.0"
    msg.header.timestamp = int(at.timestamp())
    running = [t for t in range(tt.trip_count) if tt.service_days[int(tt.trip_service[t]), day]]
    lengths = np.diff(np.asarray(tt.pattern_stops_start))
    for t in rng.choice(running, int(len(running) * args.realtime), replace=False).tolist():
        trip_id, _, start = tt.trip_id(t).partition(":")[2].partition("@")
        e = msg.entity.add()
        e.id = str(t)
        e.trip_update.trip.trip_id = trip_id
        if start:  # a trip of frequencies.txt: named by its start time, as the spec says
            e.trip_update.trip.start_time = start
        e.trip_update.trip.start_date = at.strftime("%Y%m%d")
        stops = tt.pattern_slice(int(tt.trip_pattern[t]))
        pos = int(rng.integers(0, lengths[tt.trip_pattern[t]]))
        stu = e.trip_update.stop_time_update.add()
        stu.stop_id = tt.stop_id(int(stops[pos])).split(":", 1)[1]
        stu.departure.delay = int(rng.integers(60, 601))
    body = msg.SerializeToString()
    t0 = time.perf_counter()
    feed_data = parse_feed(body)
    names = {f["name"]: i for i, f in enumerate(tt.feeds)}
    by_feed: dict[int, tuple[Any, ...]] = {}
    for tu, ent in zip(feed_data.trip_updates, msg.entity, strict=True):
        fi = names[tt.trip_id(int(ent.id)).split(":", 1)[0]]
        by_feed[fi] = by_feed.get(fi, ()) + (tu,)
    view = realtime_view(tt, by_feed, now=at)
    build_s = time.perf_counter() - t0
    print(
        f"realtime feed: {len(body) / 1e6:.1f} MB, {len(feed_data.trip_updates)} trip updates of {len(running)} "
        f"trips running; view built in {build_s:.2f} s ({view.info.applied} applied, ignored {view.info.ignored}); "
        f"patterns {tt.pattern_count} -> {view.pattern_count}"
    )
    static, live = TransitRouter(tt), TransitRouter(view)
    static.warm_up()
    live.warm_up()
    served = np.flatnonzero(np.diff(np.asarray(tt.stop_pat_start)) > 0)
    times: dict[str, list[float]] = {"timetable": [], "realtime": []}
    changed = 0
    for _ in range(args.pairs):
        a, b = (int(x) for x in rng.choice(served, 2, replace=False))
        access = _near(tt, float(tt.stop_lat[a]), float(tt.stop_lon[a]))
        egress = _near(tt, float(tt.stop_lat[b]), float(tt.stop_lon[b]))
        query = TransitQuery(access=access, egress=egress, at=at, max_transfers=args.max_transfers)
        arrivals = []
        best = {"timetable": float("inf"), "realtime": float("inf")}
        # Three runs each, interleaved, the fastest kept: the machine's other load is noise here.
        for _ in range(3):
            arrivals = []
            for name, router in (("timetable", static), ("realtime", live)):
                t0 = time.perf_counter()
                answer = router.route(query)
                best[name] = min(best[name], time.perf_counter() - t0)
                arrivals.append(min((j.arrival for j in answer.journeys), default=None))
        for name in times:
            times[name].append(best[name])
        changed += arrivals[0] != arrivals[1]
    for name, values in times.items():
        print(f"{name:9s}: p50 {_pct(values, 50) * 1000:.3f} ms  mean {statistics.fmean(values) * 1000:.3f} ms")
    ratio_p50 = _pct(times["realtime"], 50) / _pct(times["timetable"], 50)
    ratio_mean = statistics.fmean(times["realtime"]) / statistics.fmean(times["timetable"])
    per_query = statistics.median(r / t for r, t in zip(times["realtime"], times["timetable"], strict=True))
    print(
        f"realtime/timetable: p50 {ratio_p50:.3f}x  mean {ratio_mean:.3f}x  median per query {per_query:.3f}x;"
        f" earliest arrival changed for {changed}"
    )


if __name__ == "__main__":
    main()
