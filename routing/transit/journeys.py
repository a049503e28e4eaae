"""Rebuilding journeys from RAPTOR labels, Pareto filtering, and their legs as typed answer values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from routing.core.answer import Leg, Served, TransitLeg
from routing.transit.network import Directed
from routing.transit.query import Journey, RideLeg, StopPoints, TransferLeg
from routing.transit.raptor_state import INF, Day, Labels
from routing.transit.ride_shapes import line_length, ride_geometry
from routing.transit.timetable import Timetable


def _footpath_secs(net: Directed, frm: int, to: int) -> int:
    for f in range(int(net.fp_start[frm]), int(net.fp_start[frm + 1])):
        if int(net.fp_to[f]) == to:
            return int(net.fp_secs[f])
    return 0


@dataclass(frozen=True)
class JourneyEnds:
    """What a rebuilt journey needs beside the labels: the search's ends and its clock.

    ``sources``/``targets`` are ``(stop, walking seconds)`` pairs in search order (an arrive-by
    search starts at the egress stops); leg seconds count from ``base`` and are shown in ``tz``.
    """

    sources: Any
    targets: Any
    base: dt.datetime
    tz: dt.tzinfo


def rebuild(
    tt: Timetable, net: Directed, day: Day, labels: Labels, *, label: tuple[int, int, bool], ends: JourneyEnds
) -> Journey | None:
    """Follow parent pointers from ``label`` = (round, stop, on foot) back to a source stop.

    Returns None if the labels no longer describe a consistent journey (never expected, but a
    wrong answer is worse than none).
    """
    k, stop, walking = label
    # Search-order segments: ("ride", trip, fwd board, fwd alight, fwd day offset) / ("walk", ..)
    segments: list[tuple[Any, ...]] = []
    links: set[tuple[int, int, int, int]] = set()  # forward (trip, off) → (trip, off) seated
    s = stop
    lengths = net.pattern_len

    def fwd(i: int, b: int, j: int) -> tuple[Any, ...]:
        t = int(day.view_trip[i])
        off = int(day.view_off[i])
        if net.reverse:
            n = int(lengths[net.trip_pattern[t]])
            return ("ride", t, n - 1 - j, n - 1 - b, -off)
        return ("ride", t, b, j, off)

    while True:
        if walking:
            frm = int(labels.w_from[k, s])
            if frm < 0:
                break
            secs = _footpath_secs(net, frm, s) if k == 0 else int(labels.walk[k, s] - labels.ride[k, frm])
            segments.append(("walk", s, frm, secs) if net.reverse else ("walk", frm, s, secs))
            s, walking = frm, k == 0
            if k == 0:
                break
            continue
        if k == 0:
            return None
        i, b = int(labels.r_view[k, s]), int(labels.r_board[k, s])
        seated = bool(labels.r_seat[k, s])
        segments.append(fwd(i, b, int(labels.r_alight[k, s])))
        while seated:
            prev = int(day.view_prev[i])
            pb, seated = int(day.seat_board[k, i]), bool(day.seat_chain[k, i])
            p_prev = int(net.trip_pattern[day.view_trip[prev]])
            seg = fwd(prev, pb, int(lengths[p_prev]) - 1)
            later, earlier = segments[-1], seg
            if net.reverse:
                later, earlier = earlier, later
            links.add((earlier[1], earlier[4], later[1], later[4]))
            segments.append(seg)
            i, b = prev, pb
        p = int(net.trip_pattern[day.view_trip[i]])
        bs = int(net.pattern_stops[net.pattern_stops_start[p] + b])
        dep = int(net.st_dep[day.view_tt[i] + b] + day.view_shift[i])
        k -= 1
        if labels.walk[k, bs] <= dep:
            walking = True
        elif labels.ride[k, bs] < INF and k > 0:
            walking = False
        else:
            return None
        s = bs
    if not net.reverse:
        segments.reverse()
    return _assemble(tt, segments, links, ends, search_ends=(s, stop), reverse=net.reverse)


class _Least(Mapping[int, float]):
    """:meth:`StopPoints.least` as a read-only mapping."""

    __slots__ = ("_points",)

    def __init__(self, points: StopPoints) -> None:
        self._points = points

    def __getitem__(self, stop: int) -> float:
        return self._points.least(stop)

    def __iter__(self) -> Iterator[int]:
        return iter(dict.fromkeys(self._points.stops.tolist()))

    def __len__(self) -> int:
        return len(np.unique(self._points.stops))


# The least walk to each stop of the few (stop, seconds) sets in use, by the set's id: a range
# search rebuilds thousands of journeys from the same access set of thousands of stops, and a scan of
# the set per journey was a third of a park-and-ride range query. The set itself is kept in the
# entry, so an id reused by a new object is told apart by identity.
_LEAST_WALKS: dict[int, tuple[object, dict[int, float]]] = {}
_LEAST_WALKS_KEPT = 8


def least_walks(points: Sequence[tuple[int, float]]) -> Mapping[int, float]:
    """Stop → the least seconds any pair of ``points`` gives it (looked up in place for
    :class:`~routing.transit.query.StopPoints`, whose first pair of a stop is its least)."""
    if isinstance(points, StopPoints):
        return _Least(points)
    entry = _LEAST_WALKS.get(id(points))
    if entry is not None and entry[0] is points:
        return entry[1]
    least: dict[int, float] = {}
    for stop, secs in points:
        if stop not in least or secs < least[stop]:
            least[stop] = secs
    if len(_LEAST_WALKS) >= _LEAST_WALKS_KEPT:
        _LEAST_WALKS.clear()
    _LEAST_WALKS[id(points)] = (points, least)
    return least


def _assemble(
    tt: Timetable,
    segments: list[tuple[Any, ...]],
    links: set[tuple[int, int, int, int]],
    ends: JourneyEnds,
    *,
    search_ends: tuple[int, int],
    reverse: bool,
) -> Journey | None:
    sources, targets, base, tz = ends.sources, ends.targets, ends.base, ends.tz
    search_source, search_target = search_ends
    ride_at = [i for i, seg in enumerate(segments) if seg[0] == "ride"]
    if not ride_at:
        return None
    origin_stop, dest_stop = (search_target, search_source) if reverse else (search_source, search_target)
    access_pts, egress_pts = (targets, sources) if reverse else (sources, targets)
    access = (origin_stop, least_walks(access_pts)[origin_stop])
    egress = (dest_stop, least_walks(egress_pts)[dest_stop])
    legs: list[RideLeg | TransferLeg] = []
    clock: int | None = None
    pending_walks: list[tuple[Any, ...]] = []
    n_rides = n_seated = 0
    for seg in segments:
        if seg[0] == "walk":
            if clock is None:
                pending_walks.append(seg)
            else:
                legs.append(TransferLeg(seg[1], seg[2], clock, seg[3]))
                clock += seg[3]
            continue
        _, t, b, j, off = seg
        o, shift = int(tt.trip_times[t]), int(tt.trip_shift[t]) + off
        dep, arr = int(tt.st_dep[o + b]) + shift, int(tt.st_arr[o + j]) + shift
        if clock is None:
            lead = dep - sum(w[3] for w in pending_walks)
            for w in pending_walks:
                legs.append(TransferLeg(w[1], w[2], lead, w[3]))
                lead += w[3]
        seated = False
        if links and n_rides + 1 < len(ride_at):  # a seated link needs the next ride
            nxt = segments[ride_at[n_rides + 1]]
            seated = (t, off, nxt[1], nxt[4]) in links
        legs.append(RideLeg(t, b, j, dep, arr, seated))
        n_rides += 1
        n_seated += seated
        clock = arr
    first_s = legs[0].departure_s
    last = legs[-1]
    end_s = last.arrival_s if isinstance(last, RideLeg) else last.departure_s + last.duration_s
    departure = (base + dt.timedelta(seconds=first_s - access[1])).astimezone(tz)
    arrival = (base + dt.timedelta(seconds=end_s + egress[1])).astimezone(tz)
    return Journey(departure, arrival, n_rides - 1 - n_seated, access, egress, tuple(legs), base)


def pareto_filter(journeys: list[Journey], *, range_query: bool) -> list[Journey]:
    """Drop duplicates and journeys another one beats: leaving no earlier, arriving no later,
    with no more transfers (strictly better in one)."""
    unique: dict[tuple[Any, ...], Journey] = {}
    for j in journeys:
        key = (j.departure, j.arrival, j.transfers)
        if key not in unique:
            unique[key] = j
    keys = list(unique)
    kept = [unique[a] for a in keys if not any(b != a and b[0] >= a[0] and b[1] <= a[1] and b[2] <= a[2] for b in keys)]
    if range_query:
        kept.sort(key=lambda j: (j.departure, j.arrival, j.transfers))
    else:
        kept.sort(key=lambda j: (j.arrival, j.transfers, -j.departure.timestamp()))
    return kept


def _at(base: dt.datetime, seconds: float, tz: dt.tzinfo | None) -> dt.datetime:
    return (base + dt.timedelta(seconds=seconds)).astimezone(tz)


def _lonlat(tt: Timetable, s: int) -> list[float]:
    return [float(tt.stop_lon[s]), float(tt.stop_lat[s])]


def journey_legs(tt: Timetable, journey: Journey) -> list[Leg | TransitLeg]:
    """The ride legs and the transfer walk legs of ``journey``, stops and trips as indices of ``tt``.

    Access and egress walks are not included: the caller adds them from the street graph.
    """
    out: list[Leg | TransitLeg] = []
    base, tz = journey.base, journey.departure.tzinfo
    for leg in journey.legs:
        if isinstance(leg, TransferLeg):
            coords = Served([_lonlat(tt, leg.from_stop), _lonlat(tt, leg.to_stop)])
            out.append(
                Leg(
                    mode="walk",
                    duration_s=float(leg.duration_s),
                    distance_m=round(line_length(coords.array), 1),
                    departure=_at(base, leg.departure_s, tz),
                    arrival=_at(base, leg.departure_s + leg.duration_s, tz),
                    coords=coords,
                    between_stops=(leg.from_stop, leg.to_stop),
                    timetable=tt,
                )
            )
            continue
        t = leg.trip
        p = int(tt.trip_pattern[t])
        stops = tuple(int(s) for s in tt.pattern_slice(p)[leg.board : leg.alight + 1])
        o = int(tt.trip_times[t])
        shift = leg.departure_s - int(tt.st_dep[o + leg.board])
        xy = ride_geometry(tt, t, list(stops))
        out.append(
            TransitLeg(
                timetable=tt,
                trip=t,
                stops=stops,
                departure=_at(base, leg.departure_s, tz),
                arrival=_at(base, leg.arrival_s, tz),
                stop_arrivals=tuple(
                    _at(base, int(tt.st_arr[o + leg.board + n]) + shift, tz) for n in range(1, len(stops) - 1)
                ),
                stay_seated=leg.stay_seated,
                distance_m=round(line_length(xy), 1),
                duration_s=float(leg.arrival_s - leg.departure_s),
                coords=Served(xy),
            )
        )
    return out
