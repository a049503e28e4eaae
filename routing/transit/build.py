"""Compiling GTFS feeds into a :class:`~routing.transit.timetable.Timetable`."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from routing.core.city import CityConfig
from routing.core.errors import BuildError
from routing.core.geo import haversine_m_arr
from routing.core.report import BuildReport
from routing.transit.feedload import FeedTables, RawTrip
from routing.transit.footpaths import (
    FootpathFn,
    merge_footpaths,
    straight_line_footpaths,
    walk_seconds,
)
from routing.transit.gtfs import FeedFiles, feed_name_for, format_time
from routing.transit.timetable import Timetable

#: A service calendar longer than this is cut (and noted): it would only waste memory.
MAX_DAYS = 366 * 15


def build_transit(city: CityConfig, out: Path, *, report: BuildReport, footpaths: FootpathFn | None = None) -> None:
    """Compile every GTFS feed ``city`` lists into ``out/"transit"/``.

    Feed names (the id prefixes) come from the file names: ``gtfs-eptc-bus.zip`` → ``eptc``.
    Same inputs give byte-identical files.
    """
    names: list[str] = []
    feeds: list[tuple[str, Path]] = []
    for path in city.gtfs:
        name = feed_name_for(path, names)
        names.append(name)
        feeds.append((name, path))
    folder = out / "transit"
    if not feeds:
        report.note("no GTFS feed: transit is not available")
        shutil.rmtree(folder, ignore_errors=True)
        return
    with report.step("transit"):
        timetable = build_timetable(feeds, timezone=city.timezone, report=report, footpaths=footpaths)
        shutil.rmtree(folder, ignore_errors=True)
        timetable.save(folder)


def build_timetable(
    feeds: Sequence[tuple[str, Path]], *, timezone: str, report: BuildReport, footpaths: FootpathFn | None = None
) -> Timetable:
    """Read GTFS feeds (zips or folders of ``.txt`` files) into one timetable.

    Parameters
    ----------
    feeds
        ``(name, path)`` pairs; ``name`` prefixes every id of that feed (``"eptc:1511"``).
    timezone
        The IANA time zone all feeds' times are read in.
    report
        Receives counts and every skipped row, by ``"<feed>: <file>: <reason>"``.
    footpaths
        Walking links between nearby stops; straight-line estimate within 400 m when None.

    Raises
    ------
    BuildError
        If a feed is not a zip/folder, lacks a required file or column, or nothing is left.
    """
    tables = FeedTables(report)
    seen: set[str] = set()
    for name, path in feeds:
        if not name or ":" in name or name in seen:
            raise BuildError(f"feed name {name!r} must be unique, non-empty, without ':'", argument="gtfs")
        seen.add(name)
        files = FeedFiles(name, Path(path))
        tables.add_feed(name, files, timezone)
        report.count(f"transit_{name}_encoding", files.encoding_summary())
    if not tables.trips:
        raise BuildError("the GTFS feeds hold no usable trip: see the build report for skipped rows", argument="gtfs")
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"timezone": timezone}
    _stops(tables, arrays, meta)
    _services(tables, arrays, meta, report)
    _trips_and_patterns(tables, arrays, meta)
    _transfers(tables, arrays, footpaths or straight_line_footpaths)
    _shapes(tables, arrays, meta)
    meta["fares"] = tables.fares
    for key, value in (
        ("stops", len(tables.stop_ids)),
        ("routes", len(tables.route_ids)),
        ("trips", len(arrays["trip_route"])),
        ("patterns", len(arrays["pattern_route"])),
        ("footpaths", len(arrays["fp_to"])),
    ):
        report.count(f"transit_{key}", value)
    return Timetable(arrays, meta)


def _stops(tables: FeedTables, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    arrays["stop_lat"] = np.array(tables.stop_lat, dtype=np.float64)
    arrays["stop_lon"] = np.array(tables.stop_lon, dtype=np.float64)
    parent = [tables.stop_index.get(p, -1) if p else -1 for p in tables.stop_parent_id]
    unknown = sum(1 for p, i in zip(tables.stop_parent_id, parent, strict=True) if p and i < 0)
    tables.report.skip("stops.txt: unknown parent_station (ignored)", unknown)
    arrays["stop_parent"] = np.array(parent, dtype=np.int32)
    meta.update(stop_ids=tables.stop_ids, stop_names=tables.stop_names, stop_zones=tables.stop_zones)
    meta["stop_wheelchair"] = tables.stop_wheelchair  # stop → GTFS wheelchair_boarding (0, 1, 2)
    meta["trip_wheelchair"] = tables.trip_wheelchair  # trip group → GTFS wheelchair_accessible
    arrays["route_type"] = np.array(tables.route_type, dtype=np.int32)
    arrays["route_feed"] = np.array(tables.route_feed, dtype=np.int32)
    meta.update(
        route_ids=tables.route_ids,
        route_short=tables.route_short,
        route_long=tables.route_long,
        route_agency=tables.route_agency,
        route_color=tables.route_color,
    )


def _services(tables: FeedTables, arrays: dict[str, np.ndarray], meta: dict[str, Any], report: BuildReport) -> None:
    dates = [svc.dates() for svc in tables.services]
    every = set().union(*dates) if dates else set()
    if not every:
        raise BuildError("the GTFS calendars run on no day at all", argument="gtfs")
    day0, last = min(every), max(every)
    if (last - day0).days >= MAX_DAYS:
        last = day0 + dt.timedelta(days=MAX_DAYS - 1)
        report.note(f"service calendar cut at {last.isoformat()}")
    n_days = (last - day0).days + 1
    days = np.zeros((len(tables.services), n_days), dtype=np.uint8)
    for i, ds in enumerate(dates):
        idx = [(d - day0).days for d in ds if d <= last]
        days[i, idx] = 1
    arrays["service_days"] = days
    meta["day0"] = day0.isoformat()
    for fi, feed in enumerate(tables.feeds):
        mine = set().union(*(d for svc, d in zip(tables.services, dates, strict=True) if svc.feed == fi))
        feed["start"] = min(mine).isoformat() if mine else None
        feed["end"] = max(mine).isoformat() if mine else None
    meta["feeds"] = tables.feeds


#: Frequency templates whose first departure is earlier than this are read as offsets.
RELATIVE_TEMPLATE_S = 3600


def _expand(tables: FeedTables) -> list[tuple[int, int]]:
    """(raw trip, shift seconds) for every vehicle trip, frequencies expanded into trips.

    The GTFS spec aligns a frequency trip's first departure with ``start_time``. Some feeds
    (GraphHopper's sample feed among them) instead write the template as offsets from 0:00,
    a trip starting at 0:30 meaning "30 minutes after start_time"; a template whose first
    departure is under an hour can only mean that, so it is read that way (and noted).
    """
    out: list[tuple[int, int]] = []
    relative = 0
    for i, trip in enumerate(tables.trips):
        windows = tables.frequencies.get(trip.group)
        if not windows:
            out.append((i, 0))
            continue
        origin = 0 if trip.dep[0] < RELATIVE_TEMPLATE_S else trip.dep[0]
        relative += origin == 0 and trip.dep[0] > 0
        for start, end, headway in sorted(windows):
            t = start
            while t < end or (t == start == end):
                out.append((i, t - origin))
                t += headway
    if relative:
        tables.report.note(
            f"{relative} frequency trip(s) start their template after 0:00 but "
            "before 1:00: read as offsets from start_time"
        )
    return out


def _trips_and_patterns(tables: FeedTables, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    raw: list[RawTrip] = tables.trips
    # Templates: one flat run of times per raw trip; frequency copies only add a shift.
    lengths = np.array([len(t.stops) for t in raw], dtype=np.int64)
    tmpl_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    st_arr = np.array([x for t in raw for x in t.arr], dtype=np.int32)
    st_dep = np.array([x for t in raw for x in t.dep], dtype=np.int32)

    keyed: dict[tuple[Any, ...], list[tuple[int, int, int, int]]] = {}
    for raw_i, shift in _expand(tables):
        t = raw[raw_i]
        key = (t.route, tuple(t.stops), tuple(t.pickup), tuple(t.dropoff))
        keyed.setdefault(key, []).append((t.dep[0] + shift, t.group, shift, raw_i))

    pat_stops: list[int] = []
    pat_pick: list[int] = []
    pat_drop: list[int] = []
    pat_stops_start = [0]
    pat_trips_start = [0]
    pat_route: list[int] = []
    trips: list[tuple[int, int, int]] = []  # (raw trip, shift, pattern)
    for key, members in keyed.items():
        members.sort()
        # Split into non-overtaking groups so a binary search by departure stays valid.
        lanes: list[list[tuple[int, int, int, int]]] = []
        last_times: list[tuple[np.ndarray, np.ndarray]] = []
        for m in members:
            o, n = tmpl_start[m[3]], lengths[m[3]]
            a, d = st_arr[o : o + n] + m[2], st_dep[o : o + n] + m[2]
            for li, (la, ld) in enumerate(last_times):
                if np.all(a >= la) and np.all(d >= ld):
                    lanes[li].append(m)
                    last_times[li] = (a, d)
                    break
            else:
                lanes.append([m])
                last_times.append((a, d))
        for lane in lanes:
            p = len(pat_route)
            pat_route.append(key[0])
            pat_stops.extend(key[1])
            pat_pick.extend(key[2])
            pat_drop.extend(key[3])
            pat_stops_start.append(len(pat_stops))
            trips.extend((m[3], m[2], p) for m in lane)
            pat_trips_start.append(len(trips))

    block_index: dict[str, int] = {}
    trip_block = []
    for raw_i, _, _ in trips:
        b = raw[raw_i].block
        trip_block.append(block_index.setdefault(b, len(block_index)) if b else -1)
    raw_idx = np.array([t[0] for t in trips], dtype=np.int64)
    arrays["trip_route"] = np.array([raw[i].route for i in raw_idx], dtype=np.int32)
    arrays["trip_service"] = np.array([raw[i].service for i in raw_idx], dtype=np.int32)
    arrays["trip_pattern"] = np.array([t[2] for t in trips], dtype=np.int32)
    arrays["trip_times"] = tmpl_start[raw_idx] if len(trips) else np.zeros(0, np.int64)
    arrays["trip_shift"] = np.array([t[1] for t in trips], dtype=np.int32)
    arrays["trip_block"] = np.array(trip_block, dtype=np.int32)
    arrays["trip_group"] = np.array([raw[i].group for i in raw_idx], dtype=np.int32)
    arrays["trip_shape"] = np.array([raw[i].shape for i in raw_idx], dtype=np.int32)
    arrays["st_arr"], arrays["st_dep"] = st_arr, st_dep
    arrays["pattern_stops_start"] = np.array(pat_stops_start, dtype=np.int64)
    arrays["pattern_stops"] = np.array(pat_stops, dtype=np.int32)
    arrays["pattern_pickup"] = np.array(pat_pick, dtype=np.uint8)
    arrays["pattern_dropoff"] = np.array(pat_drop, dtype=np.uint8)
    arrays["pattern_route"] = np.array(pat_route, dtype=np.int32)
    arrays["pattern_trips_start"] = np.array(pat_trips_start, dtype=np.int64)
    arrays["pattern_trips"] = np.arange(len(trips), dtype=np.int32)
    meta["trip_ids"] = [
        tables.trip_group_ids[raw[r].group]
        + (f"@{format_time(raw[r].dep[0] + s)}" if raw[r].group in tables.frequencies else "")
        for r, s, _ in trips
    ]
    meta["trip_headsigns"] = tables.trip_headsigns

    # stop → (pattern, position), ordered by stop then pattern.
    n_stops = len(tables.stop_ids)
    pos_stop = arrays["pattern_stops"].astype(np.int64)
    pos_pat = np.repeat(np.arange(len(pat_route)), np.diff(arrays["pattern_stops_start"]))
    pos_in = np.arange(len(pos_stop)) - arrays["pattern_stops_start"][pos_pat]
    order = np.lexsort((pos_in, pos_pat, pos_stop))
    start = np.zeros(n_stops + 1, dtype=np.int64)
    np.add.at(start, pos_stop + 1, 1)
    arrays["stop_pat_start"] = np.cumsum(start)
    arrays["stop_pat"] = pos_pat[order].astype(np.int32)
    arrays["stop_pat_pos"] = pos_in[order].astype(np.int32)


def _transfers(tables: FeedTables, arrays: dict[str, np.ndarray], fn: FootpathFn) -> None:
    n = len(tables.stop_ids)
    lat, lon = arrays["stop_lat"], arrays["stop_lon"]
    children: dict[int, list[int]] = {}
    for s, p in enumerate(arrays["stop_parent"].tolist()):
        if p >= 0:
            children.setdefault(p, []).append(s)
    # Within a station every platform reaches every other (and the station node) on foot.
    sib_a: list[int] = []
    sib_b: list[int] = []
    for p, kids in sorted(children.items()):
        members = [p, *kids]
        for a in members:
            for b in members:
                if a != b:
                    sib_a.append(a)
                    sib_b.append(b)
    sa, sb = np.array(sib_a, dtype=np.int64), np.array(sib_b, dtype=np.int64)
    station = (
        sa.astype(np.int32),
        sb.astype(np.int32),
        walk_seconds(haversine_m_arr(lat[sa], lon[sa], lat[sb], lon[sb])),
    )
    fa, fb, fs = fn(lat, lon)
    computed = (np.asarray(fa, dtype=np.int64), np.asarray(fb, dtype=np.int64), np.asarray(fs, dtype=np.int64))

    rules: list[tuple[int, int, int, int, int, int, int]] = []  # -specificity, stop, ...
    overrides: dict[tuple[int, int], int] = {}
    banned: set[tuple[int, int]] = set()
    for a0, b0, fr, tr, ft, tt, kind, secs in tables.transfers:
        for a in children.get(a0, [a0]):
            for b in children.get(b0, [b0]):
                value = -1 if kind == 3 else (0 if kind == 1 else secs)
                if a == b:
                    if kind == 0:
                        continue  # "recommended transfer point": nothing to enforce
                    spec = (ft >= 0) * 4 + (tt >= 0) * 4 + (fr >= 0) + (tr >= 0)
                    rules.append((-spec, a, fr, tr, ft, tt, value))
                elif kind == 3:
                    banned.add((a, b))
                elif value >= 0:
                    overrides[(a, b)] = value
    fp_start, fp_to, fp_secs = merge_footpaths(n, [station, computed], overrides=overrides, banned=banned)
    arrays["fp_start"], arrays["fp_to"], arrays["fp_secs"] = fp_start, fp_to, fp_secs
    rules.sort(key=lambda r: (r[1], r[0], r[2:]))
    start = np.zeros(n + 1, dtype=np.int64)
    np.add.at(start, np.array([r[1] + 1 for r in rules], dtype=np.int64), 1)
    arrays["xr_start"] = np.cumsum(start)
    for i, name in enumerate(("xr_from_route", "xr_to_route", "xr_from_trip", "xr_to_trip", "xr_secs")):
        arrays[name] = np.array([r[2 + i] for r in rules], dtype=np.int32)


def _shapes(tables: FeedTables, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    pts = tables.shape_points
    counts = np.array([len(p[0]) for p in pts], dtype=np.int64)
    arrays["shape_start"] = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    lat = np.concatenate([p[0] for p in pts]) if pts else np.zeros(0)
    lon = np.concatenate([p[1] for p in pts]) if pts else np.zeros(0)
    dist = np.zeros(len(lat))
    for i in range(len(pts)):
        o, e = arrays["shape_start"][i], arrays["shape_start"][i + 1]
        steps = haversine_m_arr(lat[o : e - 1], lon[o : e - 1], lat[o + 1 : e], lon[o + 1 : e])
        dist[o + 1 : e] = np.cumsum(steps)
    arrays["shape_lat"] = lat.astype(np.float64)
    arrays["shape_lon"] = lon.astype(np.float64)
    arrays["shape_dist"] = dist
    meta["shape_ids"] = tables.shape_ids
