"""A realtime view of a timetable: trip updates applied as new timetable arrays.

The router searches a :class:`~routing.transit.timetable.Timetable`; this module makes another
one from the compiled timetable and a feed's trip updates, so the search code stays unchanged:

* an updated trip *instance* (trip × service date) is removed from its service on that date and,
  unless cancelled, added back as a new trip running on that date only, with the predicted times;
* a cancelled instance is only removed;
* a skipped stop makes a new pattern whose position at that stop neither boards nor alights;
* an added trip (``ADDED``) gets a pattern of its own stops; a ``DUPLICATED`` one is a copy of its
  trip moved to the new start;
* a new trip joins its pattern only if it overtakes none of the trips that can share a day view
  with it (RAPTOR's binary search by departure needs patterns that stay in order); otherwise it
  goes to a new pattern, as the build splits patterns.

Stop, route and original trip indices stay the same, and new trips come after the original ones,
so answers read with either timetable agree on everything the feed did not change.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from routing.transit.dates import service_base
from routing.transit.realtime_feed import StopUpdate, TripUpdate
from routing.transit.timetable import Timetable


@dataclass
class ViewInfo:
    """What the realtime view changed, for the answer's ``realtime`` fields.

    ``scheduled[t]`` is, for a trip of the view, the compiled trip whose timetable it replaces
    (itself for unchanged trips, -1 for added and duplicated ones).
    """

    n_static: int
    scheduled: np.ndarray
    canceled: set[tuple[int, dt.date]] = field(default_factory=set)
    feeds: set[int] = field(default_factory=set)
    applied: int = 0
    ignored: dict[str, int] = field(default_factory=dict)

    def ignore(self, reason: str) -> None:
        self.ignored[reason] = self.ignored.get(reason, 0) + 1


class _StopTimes(NamedTuple):
    """One new trip's stops and predicted times (seconds of its service day)."""

    stops: np.ndarray  # position → stop
    pick: np.ndarray  # position → 1 if riders may board
    drop: np.ndarray  # position → 1 if riders may alight
    arr: np.ndarray  # position → arrival seconds
    dep: np.ndarray  # position → departure seconds


class RealtimeTimetable(Timetable):
    """A :class:`Timetable` with trip updates applied; ``info`` says what changed."""

    info: ViewInfo


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _hms(text: str) -> int | None:
    parts = text.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    h, m, s = (int(p) for p in parts)
    return h * 3600 + m * 60 + s


class _Builder:
    """Collects the changes of one feed (or several) and writes the new arrays once."""

    def __init__(self, tt: Timetable, tz: zoneinfo.ZoneInfo) -> None:
        self.tt = tt
        self.tz = tz
        self.n_trips = tt.trip_count
        self.n_days = int(tt.service_days.shape[1])
        self.pattern_len = np.diff(np.asarray(tt.pattern_stops_start))
        self.removed: dict[int, set[int]] = {}  # trip → days it no longer runs
        # New trips, each a dict: pattern (-1: own), stops, pick, drop, arr, dep (seconds of its
        # service day), day, route, group, block, id, scheduled (compiled trip or -1), shift.
        self.new: list[dict[str, Any]] = []
        self.info = ViewInfo(tt.trip_count, np.zeros(0, np.int32))
        self.trip_index: dict[str, int] = {tid: i for i, tid in enumerate(tt.meta["trip_ids"])}
        self.route_index: dict[str, int] = {rid: i for i, rid in enumerate(tt.meta["route_ids"])}
        self.stop_feed_index: dict[str, int] = {}

    # -- matching ------------------------------------------------------------------------------
    def _trip(self, feed: str, tu: TripUpdate) -> int | None:
        t = self.trip_index.get(f"{feed}:{tu.trip_id}")
        if t is None and tu.start_time:  # a frequency trip: one expanded trip per start time
            t = self.trip_index.get(f"{feed}:{tu.trip_id}@{tu.start_time}")
        return t

    def _day(self, t: int, tu: TripUpdate, now: dt.datetime) -> int | None:
        """The day index (in service_days) of the instance the update is about."""
        svc = int(self.tt.trip_service[t])
        if tu.start_date:
            date = _parse_date(tu.start_date)
            if date is None:
                return None
            d = (date - self.tt.day0).days
            return d if 0 <= d < self.n_days and self.tt.service_days[svc, d] else None
        # No start date: the instance nearest to now among yesterday's and today's services.
        today = (now.astimezone(self.tz).date() - self.tt.day0).days
        first = int(self.tt.st_dep[int(self.tt.trip_times[t])]) + int(self.tt.trip_shift[t])
        best: tuple[float, int] | None = None
        for d in (today - 1, today):
            if 0 <= d < self.n_days and self.tt.service_days[svc, d]:
                start = service_base(self.tt.day0 + dt.timedelta(days=d), self.tz) + dt.timedelta(seconds=first)
                gap = abs((start - now).total_seconds())
                if best is None or gap < best[0]:
                    best = (gap, d)
        return None if best is None else best[1]

    def _base(self, d: int) -> int:
        return int(service_base(self.tt.day0 + dt.timedelta(days=d), self.tz).timestamp())

    # -- applying ------------------------------------------------------------------------------
    def apply(self, feed_index: int, updates: tuple[TripUpdate, ...], now: dt.datetime) -> None:
        feed = str(self.tt.feeds[feed_index]["name"])
        self.info.feeds.add(feed_index)
        for tu in updates:
            if tu.relationship == "ADDED":
                self._added(feed, tu, now)
                continue
            t = self._trip(feed, tu)
            if t is None:
                self.info.ignore("trip not in the timetable")
                continue
            d = self._day(t, tu, now)
            if d is None:
                self.info.ignore("trip does not run on that date")
                continue
            if tu.relationship == "DUPLICATED":
                self._duplicated(t, d, tu)
                continue
            if d in self.removed.get(t, set()):
                self.info.ignore("trip instance updated twice")
                continue
            self.removed.setdefault(t, set()).add(d)
            self.info.applied += 1
            if tu.relationship == "CANCELED":
                self.info.canceled.add((t, self.tt.day0 + dt.timedelta(days=d)))
                continue
            self._updated(t, d, tu)

    def _scheduled_times(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        o, n = int(self.tt.trip_times[t]), int(self.pattern_len[self.tt.trip_pattern[t]])
        shift = int(self.tt.trip_shift[t])
        return (
            np.asarray(self.tt.st_arr[o : o + n], dtype=np.int64) + shift,
            np.asarray(self.tt.st_dep[o : o + n], dtype=np.int64) + shift,
        )

    def _updated(self, t: int, d: int, tu: TripUpdate) -> None:
        p = int(self.tt.trip_pattern[t])
        stops = self.tt.pattern_slice(p)
        o = int(self.tt.pattern_stops_start[p])
        pick = np.array(self.tt.pattern_pickup[o : o + len(stops)], dtype=np.uint8)
        drop = np.array(self.tt.pattern_dropoff[o : o + len(stops)], dtype=np.uint8)
        arr, dep = self._scheduled_times(t)
        arr, dep = _predict(arr, dep, stops, self.tt.meta["stop_ids"], tu, self._base(d), pick, drop)
        self._add(p, _StopTimes(stops, pick, drop, arr, dep), d, t, 0)

    def _duplicated(self, t: int, d: int, tu: TripUpdate) -> None:
        start = _hms(tu.new_start_time)
        date = _parse_date(tu.new_start_date) if tu.new_start_date else self.tt.day0 + dt.timedelta(days=d)
        nd = None if date is None else (date - self.tt.day0).days
        if start is None or nd is None or not 0 <= nd < self.n_days:
            self.info.ignore("duplicated trip without a usable new start")
            return
        p = int(self.tt.trip_pattern[t])
        stops = self.tt.pattern_slice(p)
        o = int(self.tt.pattern_stops_start[p])
        arr, dep = self._scheduled_times(t)
        move = start - int(dep[0])
        arr, dep = arr + move, dep + move
        pick = np.array(self.tt.pattern_pickup[o : o + len(stops)], dtype=np.uint8)
        drop = np.array(self.tt.pattern_dropoff[o : o + len(stops)], dtype=np.uint8)
        arr, dep = _predict(arr, dep, stops, self.tt.meta["stop_ids"], tu, self._base(nd), pick, drop)
        self.info.applied += 1
        self._add(p, _StopTimes(stops, pick, drop, arr, dep), nd, t, move, duplicate=True)

    def _added(self, feed: str, tu: TripUpdate, now: dt.datetime) -> None:
        route = self.route_index.get(f"{feed}:{tu.route_id}")
        if not self.stop_feed_index:
            self.stop_feed_index = {sid: i for i, sid in enumerate(self.tt.meta["stop_ids"])}
        stops = [self.stop_feed_index.get(f"{feed}:{s.stop_id}", -1) for s in tu.stops]
        times = [(s.arrival_time or s.departure_time or 0, s.departure_time or s.arrival_time or 0) for s in tu.stops]
        if route is None or len(stops) < 2 or min(stops) < 0 or not all(a for a, _ in times):
            self.info.ignore("added trip without route, known stops and absolute times")
            return
        date = _parse_date(tu.start_date) if tu.start_date else now.astimezone(self.tz).date()
        d = None if date is None else (date - self.tt.day0).days
        if d is None or not 0 <= d < self.n_days:
            self.info.ignore("added trip outside the timetable's dates")
            return
        base = self._base(d)
        arr = np.maximum.accumulate(np.array([a - base for a, _ in times], dtype=np.int64))
        dep = np.maximum(np.array([b - base for _, b in times], dtype=np.int64), arr)
        keep = np.array([not s.skipped for s in tu.stops], dtype=np.uint8)
        self.info.applied += 1
        run = _StopTimes(np.array(stops, np.int32), keep, keep.copy(), arr, dep)
        self._add(-1, run, d, -1, 0, route=route, trip_id=tu.trip_id)

    def _add(
        self,
        p: int,
        run: _StopTimes,
        d: int,
        t: int,
        move: int,
        *,
        duplicate: bool = False,
        route: int = -1,
        trip_id: str = "",
    ) -> None:
        tt = self.tt
        feed_of_route = np.asarray(tt.route_feed)
        if t >= 0:
            route = int(tt.trip_route[t])
        feed = str(tt.feeds[int(feed_of_route[route])]["name"])
        self.new.append(
            {
                "pattern": p,
                "stops": np.asarray(run.stops, np.int32),
                "pick": run.pick,
                "drop": run.drop,
                "arr": run.arr,
                "dep": run.dep,
                "day": d,
                "route": route,
                "group": int(tt.trip_group[t]) if t >= 0 else -1,
                "block": int(tt.trip_block[t]) if t >= 0 and not duplicate else -1,
                "id": tt.trip_id(t) + ("+dup" if duplicate else "") if t >= 0 else f"{feed}:{trip_id}",
                "scheduled": t,
                "shift": move,
            }
        )

    # -- writing -------------------------------------------------------------------------------
    def build(self) -> RealtimeTimetable:
        return _write(self)


def _predict(
    arr: np.ndarray,
    dep: np.ndarray,
    stops: np.ndarray,
    stop_ids: list[str],
    tu: TripUpdate,
    base: int,
    pick: np.ndarray,
    drop: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Predicted arrival and departure seconds of one trip (GTFS-Realtime propagation rules).

    A stop's update sets its times (absolute, or the scheduled time plus the delay; a missing
    departure takes the arrival's delay); stops after it keep the last delay until the next
    update; stops before the first update keep their schedule (the trip-level ``delay`` when
    the feed gives no stop). ``NO_DATA`` returns to the schedule; ``SKIPPED`` clears boarding
    and alighting there (``pick``/``drop`` are changed in place). Times never go backwards.
    """
    arr, dep = arr.copy(), dep.copy()
    n = len(stops)
    delay = tu.delay if tu.delay is not None and not tu.stops else 0
    at: dict[int, StopUpdate] = {}
    pos = 0
    ids = [stop_ids[int(s)].split(":", 1)[1] for s in stops]
    for su in tu.stops:
        j = None
        if su.stop_id:
            j = next((k for k in range(pos, n) if ids[k] == su.stop_id), None)
        if j is None:
            continue
        at[j] = su
        pos = j + 1
    for j in range(n):
        here = at.get(j)
        if here is not None:
            su = here
            if su.no_data:
                delay = 0
            elif su.skipped:
                pick[j] = 0
                drop[j] = 0
            else:
                a_delay = (
                    su.arrival_time - base - int(arr[j])
                    if su.arrival_time is not None
                    else su.arrival_delay
                    if su.arrival_delay is not None
                    else None
                )
                d_delay = (
                    su.departure_time - base - int(dep[j])
                    if su.departure_time is not None
                    else su.departure_delay
                    if su.departure_delay is not None
                    else None
                )
                a_delay = a_delay if a_delay is not None else d_delay if d_delay is not None else delay
                d_delay = d_delay if d_delay is not None else a_delay
                arr[j] += a_delay
                dep[j] += d_delay
                delay = d_delay
                continue
        arr[j] += delay
        dep[j] += delay
    # The kernel relies on times that only grow along a trip.
    dep = np.maximum(dep, arr)
    arr = np.maximum.accumulate(np.concatenate(([arr[0]], np.maximum(arr[1:], dep[:-1]))))
    dep = np.maximum(dep, arr)
    return arr, dep


def _write(b: _Builder) -> RealtimeTimetable:
    from routing.transit.realtime_arrays import write_view

    return write_view(b)


def realtime_view(tt: Timetable, updates: dict[int, tuple[TripUpdate, ...]], *, now: dt.datetime) -> RealtimeTimetable:
    """The timetable ``tt`` with each feed's trip updates applied (``{feed index: updates}``).

    Updates that match nothing are counted in ``info.ignored`` by reason, never raised.
    """
    b = _Builder(tt, zoneinfo.ZoneInfo(tt.timezone))
    for feed_index, feed_updates in sorted(updates.items()):
        b.apply(feed_index, feed_updates, now)
    return b.build()
