"""The timetable as a search sees it: one direction, and the trips that run on one day.

An arrive-by query is a depart-at query on the *reversed* timetable: every trip's stops in reverse
order and every time negated. :func:`directed` builds either direction from a
:class:`~routing.transit.timetable.Timetable`, so one RAPTOR kernel serves both.

:func:`day_view` then lists, per pattern, the trips running on the service days before, of and
after the query's date (times shifted by ±24 h), sorted by departure, with the block (stay
seated) successor of each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from routing.transit.timetable import Timetable

DAY = 86_400


@dataclass(frozen=True)
class Directed:
    """Timetable arrays for one search direction (names as in ``Timetable``)."""

    reverse: bool
    pattern_stops_start: np.ndarray
    pattern_stops: np.ndarray
    pattern_pickup: np.ndarray
    pattern_dropoff: np.ndarray
    pattern_route: np.ndarray
    pattern_trips_start: np.ndarray
    pattern_trips: np.ndarray
    stop_pat_start: np.ndarray
    stop_pat: np.ndarray
    stop_pat_pos: np.ndarray
    trip_route: np.ndarray
    trip_group: np.ndarray
    trip_pattern: np.ndarray
    trip_times: np.ndarray
    trip_shift: np.ndarray
    trip_service: np.ndarray
    trip_feed: np.ndarray
    trip_block: np.ndarray
    st_arr: np.ndarray
    st_dep: np.ndarray
    fp_start: np.ndarray
    fp_to: np.ndarray
    fp_secs: np.ndarray
    xr_start: np.ndarray
    xr_from_route: np.ndarray
    xr_to_route: np.ndarray
    xr_from_trip: np.ndarray
    xr_to_trip: np.ndarray
    xr_secs: np.ndarray
    stop_trip_rule: np.ndarray  # stop → 1 if a transfer rule there names the trip boarded
    stop_rule: np.ndarray  # stop → 1 if any transfer rule is there (xr_start's run is not empty)
    service_days: np.ndarray
    pattern_len: np.ndarray  # pattern → number of stops


def _mirror(starts: np.ndarray) -> np.ndarray:
    """Index permutation that reverses every run ``starts[i]:starts[i+1]`` in place."""
    lengths = np.diff(starts)
    run = np.repeat(np.arange(len(lengths)), lengths)
    flat = np.arange(int(starts[-1]))
    return (2 * starts[:-1][run] + lengths[run] - 1 - flat).astype(np.int64)


def directed(tt: Timetable, *, reverse: bool) -> Directed:
    """The forward arrays of ``tt`` (copied into memory) or their time-reversed mirror."""
    a = {
        name: np.array(getattr(tt, name))
        for name in (
            "pattern_stops_start",
            "pattern_stops",
            "pattern_pickup",
            "pattern_dropoff",
            "pattern_route",
            "pattern_trips_start",
            "pattern_trips",
            "stop_pat_start",
            "stop_pat",
            "stop_pat_pos",
            "trip_route",
            "trip_group",
            "trip_pattern",
            "trip_times",
            "trip_shift",
            "trip_service",
            "trip_block",
            "st_arr",
            "st_dep",
            "fp_start",
            "fp_to",
            "fp_secs",
            "xr_start",
            "xr_from_route",
            "xr_to_route",
            "xr_from_trip",
            "xr_to_trip",
            "xr_secs",
            "service_days",
        )
    }
    a["trip_feed"] = np.asarray(tt.route_feed)[a["trip_route"]].astype(np.int32)
    n_stops = tt.stop_count
    if reverse:
        ps = a["pattern_stops_start"]
        perm = _mirror(ps)
        a["pattern_stops"] = a["pattern_stops"][perm]
        a["pattern_pickup"], a["pattern_dropoff"] = (a["pattern_dropoff"][perm], a["pattern_pickup"][perm])
        a["pattern_trips"] = a["pattern_trips"][_mirror(a["pattern_trips_start"])]
        lengths = np.diff(ps)
        pat_len = lengths[a["stop_pat"]]
        a["stop_pat_pos"] = (pat_len - 1 - a["stop_pat_pos"]).astype(np.int32)
        # Templates: each trip's run of times, reversed and negated (arrival ↔ departure).
        t_len = lengths[a["trip_pattern"]]
        tmpl = np.unique(np.column_stack([a["trip_times"], t_len]), axis=0)
        st_perm = np.arange(len(a["st_arr"]), dtype=np.int64)
        for o, n in tmpl.tolist():
            st_perm[o : o + n] = np.arange(o + n - 1, o - 1, -1)
        st_arr, st_dep = a["st_arr"], a["st_dep"]
        a["st_arr"], a["st_dep"] = -st_dep[st_perm], -st_arr[st_perm]
        a["trip_shift"] = -a["trip_shift"]
        # Footpaths reversed: the CSR is rebuilt by destination.
        frm = np.repeat(np.arange(n_stops), np.diff(a["fp_start"]))
        order = np.lexsort((frm, a["fp_secs"], a["fp_to"]))  # shortest first, as forward
        start = np.zeros(n_stops + 1, dtype=np.int64)
        np.add.at(start, a["fp_to"].astype(np.int64) + 1, 1)
        a["fp_start"], a["fp_to"], a["fp_secs"] = (np.cumsum(start), frm[order].astype(np.int32), a["fp_secs"][order])
        a["xr_from_route"], a["xr_to_route"] = a["xr_to_route"], a["xr_from_route"]
        a["xr_from_trip"], a["xr_to_trip"] = a["xr_to_trip"], a["xr_from_trip"]
    rule_stop = np.repeat(np.arange(n_stops), np.diff(a["xr_start"]))
    flag = np.zeros(n_stops, dtype=np.uint8)
    flag[rule_stop[a["xr_to_trip"] >= 0]] = 1
    a["stop_trip_rule"] = flag
    a["stop_rule"] = (np.diff(a["xr_start"]) > 0).astype(np.uint8)
    a["pattern_len"] = np.diff(a["pattern_stops_start"])
    return Directed(reverse=reverse, **{k: np.ascontiguousarray(v) for k, v in a.items()})


@dataclass(frozen=True)
class DayView:
    """The trips of one search date, per pattern, sorted by departure."""

    view_start: np.ndarray  # pattern → first entry; one extra end entry
    view_trip: np.ndarray  # entry → trip
    view_tt: np.ndarray  # entry → offset of the trip's times in st_arr/st_dep
    view_shift: np.ndarray  # entry → seconds to add to the template times (day and frequency)
    view_off: np.ndarray  # entry → the day's offset in seconds (0, ±86400)
    view_next: np.ndarray  # entry → the entry the vehicle continues as (block), -1 if none
    view_prev: np.ndarray  # entry → the entry this one continues, -1 if none

    @property
    def size(self) -> int:
        return int(self.view_trip.shape[0])


@njit(cache=True)
def _collect(
    pts, ptr, trip_service, trip_feed, trip_times, trip_shift, st_dep, service_days, feed_day, sign
):  # pragma: no cover - compiled
    n_pat = pts.shape[0] - 1
    n_days = service_days.shape[1]
    count = np.zeros(n_pat + 1, dtype=np.int64)
    for p in range(n_pat):
        c = 0
        for slot in range(pts[p], pts[p + 1]):
            t = ptr[slot]
            base = feed_day[trip_feed[t]]
            for d in range(-1, 2):
                day = base + d
                if base >= 0 and 0 <= day < n_days and service_days[trip_service[t], day]:
                    c += 1
        count[p + 1] = count[p] + c
    total = count[n_pat]
    v_trip = np.empty(total, dtype=np.int32)
    v_off = np.empty(total, dtype=np.int64)
    v_dep = np.empty(total, dtype=np.int64)
    for p in range(n_pat):
        k = count[p]
        for d in range(-1, 2):
            for slot in range(pts[p], pts[p + 1]):
                t = ptr[slot]
                base = feed_day[trip_feed[t]]
                day = base + d
                if base >= 0 and 0 <= day < n_days and service_days[trip_service[t], day]:
                    v_trip[k] = t
                    v_off[k] = sign * d * DAY
                    v_dep[k] = st_dep[trip_times[t]] + trip_shift[t] + v_off[k]
                    k += 1
        lo, hi = count[p], count[p + 1]
        order = np.argsort(v_dep[lo:hi], kind="mergesort")
        v_trip[lo:hi] = v_trip[lo:hi][order]
        v_off[lo:hi] = v_off[lo:hi][order]
    return count, v_trip, v_off


def view_key(net: Directed, feed_day: tuple[int, ...]) -> tuple[bytes, ...]:
    """What :func:`day_view` reads of the calendar for ``feed_day``: for each feed, and for the
    days before, of and after its date, which services run (empty bytes where the feed is unused
    or the day lies outside the calendar).

    Dates with equal keys have equal views (every regular weekday of a feed, usually), so a view
    made for one serves the others.
    """
    days = net.service_days
    n_days = days.shape[1]
    return tuple(
        np.packbits(days[:, base + d]).tobytes() if base >= 0 and 0 <= base + d < n_days else b""
        for base in feed_day
        for d in (-1, 0, 1)
    )


def day_view(net: Directed, feed_day: np.ndarray) -> DayView:
    """Trips running on the service days around the query date of each feed.

    ``feed_day[f]`` is the day index (in ``service_days``) whose timetable feed ``f`` uses, or -1
    when the feed must not be used.
    """
    sign = -1 if net.reverse else 1
    start, v_trip, v_off = _collect(
        net.pattern_trips_start,
        net.pattern_trips,
        net.trip_service,
        net.trip_feed,
        net.trip_times,
        net.trip_shift,
        net.st_dep,
        net.service_days,
        feed_day.astype(np.int64),
        sign,
    )
    v_tt = net.trip_times[v_trip]
    v_shift = net.trip_shift[v_trip].astype(np.int64) + v_off
    nxt = np.full(len(v_trip), -1, dtype=np.int64)
    prv = np.full(len(v_trip), -1, dtype=np.int64)
    blocks = net.trip_block[v_trip]
    chained = np.flatnonzero(blocks >= 0)
    if len(chained):
        lengths = np.diff(net.pattern_stops_start)[net.trip_pattern[v_trip[chained]]]
        first_dep = net.st_dep[v_tt[chained]] + v_shift[chained]
        last_arr = net.st_arr[v_tt[chained] + lengths - 1] + v_shift[chained]
        order = np.lexsort((first_dep, v_off[chained], blocks[chained]))
        e, b, o = chained[order], blocks[chained][order], v_off[chained][order]
        fd, la = first_dep[order], last_arr[order]
        # Consecutive trips of one block on one service day, the next leaving after the first
        # arrives: the rider may stay seated ("only between trips that both run that day").
        link = (b[1:] == b[:-1]) & (o[1:] == o[:-1]) & (fd[1:] >= la[:-1])
        nxt[e[:-1][link]] = e[1:][link]
        prv[e[1:][link]] = e[:-1][link]
    return DayView(start, v_trip, v_tt, v_shift, v_off, nxt, prv)
