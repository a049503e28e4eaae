"""Writing the arrays of a realtime view (see :mod:`routing.transit.realtime_view`).

Kept apart from the matching and prediction: this part only knows new trips, removed trip
instances and the rule that patterns must stay free of overtaking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from routing.transit.network import DAY
from routing.transit.timetable import ARRAYS

if TYPE_CHECKING:
    from routing.transit.realtime_view import RealtimeTimetable, _Builder

_NEAR_DAYS = (-1, 0, 1)  # days whose trips one day view can hold beside a trip's own


def _in_order(a: np.ndarray, d: np.ndarray, ua: np.ndarray, ud: np.ndarray) -> np.ndarray:
    """Row → True if trip row ``(ua, ud)`` is nowhere overtaken by, nor overtakes, ``(a, d)``."""
    before = np.all(ua <= a, axis=1) & np.all(ud <= d, axis=1)
    after = np.all(ua >= a, axis=1) & np.all(ud >= d, axis=1)
    return before | after


class _Services:
    """New service rows: a compiled service less some days, or one day alone."""

    def __init__(self, days: np.ndarray) -> None:
        self.days = days
        self.rows: list[np.ndarray] = []
        self.keys: dict[tuple[Any, ...], int] = {}

    def row(self, key: tuple[Any, ...], make: Any) -> int:
        if key not in self.keys:
            self.keys[key] = self.days.shape[0] + len(self.rows)
            self.rows.append(make())
        return self.keys[key]

    def without(self, svc: int, gone: frozenset[int]) -> int:
        def make() -> np.ndarray:
            r = self.days[svc].copy()
            r[list(gone)] = 0
            return r

        return self.row(("less", svc, gone), make)

    def only(self, day: int) -> int:
        def make() -> np.ndarray:
            r = np.zeros(self.days.shape[1], dtype=np.uint8)
            r[day] = 1
            return r

        return self.row(("only", day), make)

    def all(self) -> np.ndarray:
        return np.vstack([self.days, *self.rows]) if self.rows else self.days


def write_view(b: _Builder) -> RealtimeTimetable:
    """The realtime timetable of builder ``b``: compiled arrays plus ``b``'s changes."""
    from routing.transit.realtime_view import RealtimeTimetable, ViewInfo

    tt = b.tt
    a: dict[str, np.ndarray] = {name: np.asarray(getattr(tt, name)) for name in ARRAYS}
    services = _Services(a["service_days"])
    trip_service = a["trip_service"].copy()
    for t, gone in b.removed.items():
        trip_service[t] = services.without(int(trip_service[t]), frozenset(gone))

    days_all = services.all()  # the compiled rows and the shortened ones judged below
    n_pat = tt.pattern_count
    pst = a["pattern_stops_start"]
    pattern_len = np.diff(pst)
    # Trips per compiled pattern (trips are numbered in pattern order by the build, but do not
    # rely on it) with their times, built only for the patterns new trips join.
    by_pattern: dict[int, np.ndarray] = {}
    joined: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}  # pattern → new trips (abs. times)
    lanes: dict[tuple[Any, ...], list[tuple[int, list[tuple[np.ndarray, np.ndarray]]]]] = {}
    new_patterns: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []  # route, stops, pick, drop
    new_trip_pattern: list[int] = []
    members_of_pattern = np.argsort(a["trip_pattern"], kind="stable")
    pattern_first = np.searchsorted(a["trip_pattern"][members_of_pattern], np.arange(n_pat + 1))

    for nt in b.new:
        p, d = int(nt["pattern"]), int(nt["day"])
        abs_a, abs_d = nt["arr"] + d * DAY, nt["dep"] + d * DAY
        if p >= 0:
            o = int(pst[p])
            n = int(pattern_len[p])
            same_mask = np.array_equal(nt["pick"], a["pattern_pickup"][o : o + n]) and np.array_equal(
                nt["drop"], a["pattern_dropoff"][o : o + n]
            )
            fits = same_mask and _fits(
                a, trip_service, days_all, members_of_pattern, pattern_first, by_pattern, p, nt, d
            )
            if fits and all(_in_order(abs_a, abs_d, ja[None, :], jd[None, :])[0] for ja, jd in joined.get(p, [])):
                joined.setdefault(p, []).append((abs_a, abs_d))
                new_trip_pattern.append(p)
                continue
        key = (p, int(nt["route"]), nt["stops"].tobytes(), nt["pick"].tobytes(), nt["drop"].tobytes())
        for q, lane in lanes.setdefault(key, []):
            if all(_in_order(abs_a, abs_d, la[None, :], ld[None, :])[0] for la, ld in lane):
                lane.append((abs_a, abs_d))
                new_trip_pattern.append(q)
                break
        else:
            q = n_pat + len(new_patterns)
            new_patterns.append((int(nt["route"]), nt["stops"], nt["pick"], nt["drop"]))
            lanes[key].append((q, [(abs_a, abs_d)]))
            new_trip_pattern.append(q)

    # Templates and trips.
    n_new = len(b.new)
    offsets = len(a["st_arr"]) + np.cumsum([0] + [len(nt["arr"]) for nt in b.new])[:-1]
    meta = dict(tt.meta)
    headsigns = list(meta["trip_headsigns"])
    wheelchair = list(meta.get("trip_wheelchair", []))
    groups = []
    for nt in b.new:
        if nt["group"] < 0:
            headsigns.append("")
            wheelchair.append(0)  # an added trip: the feed states no accessibility for it
            groups.append(len(headsigns) - 1)
        else:
            groups.append(nt["group"])
    shapes = [int(a["trip_shape"][nt["scheduled"]]) if nt["scheduled"] >= 0 else -1 for nt in b.new]
    new_services = [services.only(int(nt["day"])) for nt in b.new]

    def cat(name: str, extra: list[Any] | np.ndarray, dtype: Any) -> np.ndarray:
        return np.concatenate([a[name], np.asarray(extra, dtype=dtype)]).astype(dtype, copy=False)

    out = dict(a)
    if n_new:
        out["st_arr"] = cat("st_arr", np.concatenate([nt["arr"] for nt in b.new]), np.int32)
        out["st_dep"] = cat("st_dep", np.concatenate([nt["dep"] for nt in b.new]), np.int32)
    out["trip_route"] = cat("trip_route", [nt["route"] for nt in b.new], np.int32)
    out["trip_service"] = np.concatenate([trip_service, np.asarray(new_services, np.int32)]).astype(np.int32)
    out["trip_pattern"] = cat("trip_pattern", new_trip_pattern, np.int32)
    out["trip_times"] = cat("trip_times", offsets, np.int64)
    out["trip_shift"] = cat("trip_shift", np.zeros(n_new), np.int32)
    out["trip_block"] = cat("trip_block", [nt["block"] for nt in b.new], np.int32)
    out["trip_group"] = cat("trip_group", groups, np.int32)
    out["trip_shape"] = cat("trip_shape", shapes, np.int32)
    out["service_days"] = services.all()
    if new_patterns:
        out["pattern_stops"] = cat("pattern_stops", np.concatenate([s for _, s, _, _ in new_patterns]), np.int32)
        out["pattern_pickup"] = cat("pattern_pickup", np.concatenate([k for _, _, k, _ in new_patterns]), np.uint8)
        out["pattern_dropoff"] = cat("pattern_dropoff", np.concatenate([k for _, _, _, k in new_patterns]), np.uint8)
        out["pattern_route"] = cat("pattern_route", [r for r, _, _, _ in new_patterns], np.int32)
        ends = int(pst[-1]) + np.cumsum([len(s) for _, s, _, _ in new_patterns])
        out["pattern_stops_start"] = np.concatenate([pst, ends]).astype(np.int64)
    _pattern_trips(out)
    if new_patterns:
        _stop_patterns(out, tt.stop_count)
    meta["trip_ids"] = [*meta["trip_ids"], *(nt["id"] for nt in b.new)]
    meta["trip_headsigns"] = headsigns
    if "trip_wheelchair" in meta:
        meta["trip_wheelchair"] = wheelchair
    view = RealtimeTimetable(out, meta)
    scheduled = np.concatenate([np.arange(tt.trip_count), [nt["scheduled"] for nt in b.new]]).astype(np.int32)
    view.info = ViewInfo(
        n_static=tt.trip_count,
        scheduled=scheduled,
        canceled=b.info.canceled,
        feeds=b.info.feeds,
        applied=b.info.applied,
        ignored=b.info.ignored,
    )
    return view


def _fits(
    a: dict[str, np.ndarray],
    trip_service: np.ndarray,
    days: np.ndarray,
    members: np.ndarray,
    first: np.ndarray,
    cache: dict[int, np.ndarray],
    p: int,
    nt: dict[str, Any],
    d: int,
) -> bool:
    """True if the new trip overtakes no compiled trip of pattern ``p`` that can share its day view."""
    trips = members[first[p] : first[p + 1]]
    if p not in cache:
        n = int(a["pattern_stops_start"][p + 1] - a["pattern_stops_start"][p])
        idx = a["trip_times"][trips][:, None] + np.arange(n)[None, :]
        shift = a["trip_shift"][trips][:, None].astype(np.int64)
        cache[p] = np.stack([a["st_arr"][idx] + shift, a["st_dep"][idx] + shift])
    times = cache[p]
    for off in _NEAR_DAYS:
        day = d + off
        if not 0 <= day < days.shape[1]:
            continue
        running = days[trip_service[trips], day] != 0
        if not running.any():
            continue
        ua, ud = times[0][running] + off * DAY, times[1][running] + off * DAY
        if not _in_order(nt["arr"], nt["dep"], ua, ud).all():
            return False
    return True


def _pattern_trips(out: dict[str, np.ndarray]) -> None:
    """``pattern_trips`` by pattern, then departure at the first stop, and its CSR starts."""
    tp = out["trip_pattern"]
    first_dep = out["st_dep"][out["trip_times"]].astype(np.int64) + out["trip_shift"]
    order = np.lexsort((first_dep, tp))
    out["pattern_trips"] = order.astype(np.int32)
    n_pat = len(out["pattern_route"])
    out["pattern_trips_start"] = np.searchsorted(tp[order], np.arange(n_pat + 1)).astype(np.int64)


def _stop_patterns(out: dict[str, np.ndarray], n_stops: int) -> None:
    """stop → (pattern, position) CSR, ordered by stop then pattern, as the build writes it."""
    pos_stop = out["pattern_stops"].astype(np.int64)
    pos_pat = np.repeat(np.arange(len(out["pattern_route"])), np.diff(out["pattern_stops_start"]))
    pos_in = np.arange(len(pos_stop)) - out["pattern_stops_start"][pos_pat]
    order = np.lexsort((pos_in, pos_pat, pos_stop))
    start = np.zeros(n_stops + 1, dtype=np.int64)
    np.add.at(start, pos_stop + 1, 1)
    out["stop_pat_start"] = np.cumsum(start)
    out["stop_pat"] = pos_pat[order].astype(np.int32)
    out["stop_pat_pos"] = pos_in[order].astype(np.int32)
