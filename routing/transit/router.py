"""TransitRouter: depart-at, arrive-by and range queries over one timetable, state reused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import numba
import numpy as np

from routing.core.errors import InvalidParameter, QueryTimeout
from routing.transit.dates import choose_feed_dates, service_base
from routing.transit.fares import journey_fare
from routing.transit.journeys import JourneyEnds, least_walks, pareto_filter, rebuild
from routing.transit.kernel_clock import kernel_deadline
from routing.transit.network import DayView, Directed, day_view, directed, view_key
from routing.transit.query import MAX_TRANSFERS, Journey, StopPoints, TransitAnswer, TransitQuery
from routing.transit.raptor import TIMED_OUT, query_ends, raptor_rounds, target_arrivals
from routing.transit.raptor_state import INF, Day, Labels, Network, new_labels
from routing.transit.timetable import MIN_CHANGE_S, Timetable

_VIEW_CACHE = 8
#: Feed days whose view keys are remembered (a key is a few kilobytes of calendar bits).
_VIEW_KEYS_KEPT = 256
#: The egress ``arrivals`` gives its search: three years, longer than any arrival, so target
#: pruning never cuts a label (finite, as queries require).
UNBOUNDED_EGRESS_S = 10**8
#: ``fp_limit`` of a query without a walking limit between stops: every footpath is taken.
FP_ANY = 2**31 - 1
_TIMED_OUT_MESSAGE = "the transit search took longer than its time budget; try a shorter window"


class _View:
    """A day view with what its seated rides record, and its :class:`Day` per route-type filter."""

    def __init__(self, view: DayView, rounds: int) -> None:
        self.view = view
        self.seat_board = np.zeros((rounds, view.size), dtype=np.int32)
        self.seat_chain = np.zeros((rounds, view.size), dtype=np.uint8)
        self.days: dict[frozenset[int], tuple[Day, tuple[tuple[int, int, bool, bool], ...]]] = {}

    def day(
        self, net: Directed, excluded: frozenset[int], pat_ok: np.ndarray
    ) -> tuple[Day, tuple[tuple[int, int, bool, bool], ...]]:
        """The kernel's :class:`Day` for this date without the ``excluded`` route types, and its
        :func:`_array_kinds` (found once, not per query)."""
        if excluded not in self.days:
            v, p = self.view, net.stop_pat
            runs = np.diff(v.view_start)[p] > 0
            pick = net.pattern_pickup[net.pattern_stops_start[p] + net.stop_pat_pos] != 0
            slot_ok = (runs & pick & (pat_ok[p] != 0)).astype(np.uint8)
            trips = Day(
                view_start=v.view_start,
                view_trip=v.view_trip,
                view_tt=v.view_tt,
                view_shift=v.view_shift,
                view_off=v.view_off,
                view_next=v.view_next,
                view_prev=v.view_prev,
                seat_board=self.seat_board,
                seat_chain=self.seat_chain,
                pat_ok=pat_ok,
                slot_ok=slot_ok,
            )
            self.days[excluded] = (trips, _array_kinds(trips))
        return self.days[excluded]


def _entry(kernel: Any, *args: Any) -> Callable[..., Any]:
    """``kernel``'s compiled entry point for the types of ``args``.

    Calling it skips the dispatcher's type resolution, which walks every array of the three
    named tuples on each call (about 35 µs a query, measured with bench/transit.py's queries).
    Finding the types here is slower still (about 1 ms), so callers keep the entry for as long
    as the arrays' types stay the same (see :func:`_array_kinds`).
    """
    return kernel.compile(tuple(numba.typeof(a) for a in args))


def _array_kinds(arrays: tuple[np.ndarray, ...]) -> tuple[tuple[int, int, bool, bool], ...]:
    """What numba's type of each array depends on: dtype, dimensions, layout, writability."""
    return tuple((a.dtype.num, a.ndim, a.flags.c_contiguous, a.flags.writeable) for a in arrays)


@dataclasses.dataclass(frozen=True, slots=True)
class _Search:
    """One query's search state: what :meth:`TransitRouter._runs` and the readers of its labels share."""

    net: Directed
    view: _View
    trips: Day
    kinds: tuple[tuple[int, int, bool, bool], ...]  # the trips' array kinds (see _array_kinds)
    labels: Labels
    kernel_net: Network
    src_stop: np.ndarray  # source → stop (access stops, or egress stops for arrive-by)
    src_walk: np.ndarray  # source → whole walking seconds to it
    tgt_stop: np.ndarray  # target → stop, sorted by walking seconds
    tgt_walk: np.ndarray  # target → whole walking seconds from it
    sources: Any  # the (stop, seconds) pairs as the query gave them
    targets: Any
    starts: list[int]  # departure seconds to run, latest first
    rounds: int
    fp_limit: int
    base: dt.datetime
    feed_days: tuple[int, ...]
    answer: TransitAnswer


class TransitRouter:
    """Answers :class:`TransitQuery` objects on one :class:`Timetable`.

    Holds the label arrays of both search directions and a small cache of per-date trip views,
    so consecutive queries allocate nothing large.
    """

    def __init__(self, timetable: Timetable) -> None:
        self.timetable = timetable
        self.tz = zoneinfo.ZoneInfo(timetable.timezone)
        self._nets: dict[bool, Directed] = {}
        self._kernel_nets: dict[bool, Network] = {}
        self._labels: dict[bool, Labels] = {}
        self._views: OrderedDict[tuple[Any, ...], _View] = OrderedDict()  # (reverse, view key) → view
        self._view_keys: dict[tuple[bool, tuple[int, ...]], tuple[Any, ...]] = {}  # (reverse, feed days) → that
        self._pat_ok: dict[frozenset[int], np.ndarray] = {}
        self._stop_served = np.diff(np.asarray(timetable.stop_pat_start)) > 0
        self._n_stops = timetable.stop_count
        self._dates: dict[tuple[dt.date, bool], Any] = {}
        self._target_kernels: dict[bool, Callable[..., Any]] = {}
        self._ends_kernel: Callable[..., Any] | None = None
        # (direction, the Day's array kinds) → raptor_rounds' entry; Network and Labels are fixed
        # per direction, and the router makes the other arguments with fixed types.
        self._round_kernels: dict[tuple[bool, tuple[tuple[int, int, bool, bool], ...]], Callable[..., Any]] = {}

    # -- reusable pieces -----------------------------------------------------------------------
    def _net(self, reverse: bool) -> Directed:
        if reverse not in self._nets:
            net = directed(self.timetable, reverse=reverse)
            self._nets[reverse] = net
            self._kernel_nets[reverse] = Network(**{name: getattr(net, name) for name in Network._fields})
            self._labels[reverse] = new_labels(
                n_stops=self.timetable.stop_count,
                n_patterns=self.timetable.pattern_count,
                n_pattern_stops=len(net.pattern_stops),
                n_rounds=MAX_TRANSFERS + 2,
            )
        return self._nets[reverse]

    def _view(self, reverse: bool, feed_day: tuple[int, ...]) -> _View:
        """The trip view of ``feed_day``: shared by the dates whose calendars make the same one
        (:func:`~routing.transit.network.view_key`), so a week of queries builds a view per kind of
        day, not per date."""
        net = self._net(reverse)
        key = self._view_keys.get((reverse, feed_day))
        if key is None:
            if len(self._view_keys) >= _VIEW_KEYS_KEPT:
                self._view_keys.clear()
            key = self._view_keys[(reverse, feed_day)] = (reverse, view_key(net, feed_day))
        if key in self._views:
            self._views.move_to_end(key)
            return self._views[key]
        view = _View(day_view(net, np.array(feed_day, dtype=np.int64)), MAX_TRANSFERS + 2)
        self._views[key] = view
        if len(self._views) > _VIEW_CACHE:
            self._views.popitem(last=False)
        return view

    def _patterns_ok(self, excluded: frozenset[int]) -> np.ndarray:
        if excluded not in self._pat_ok:
            types = np.asarray(self.timetable.route_type)[np.asarray(self.timetable.pattern_route)]
            self._pat_ok[excluded] = (~np.isin(types, list(excluded))).astype(np.uint8)
        return self._pat_ok[excluded]

    def warm_up(self) -> None:
        """Compile the kernels and build both directions, so the first real query is fast."""
        tt = self.timetable
        served = np.flatnonzero(self._stop_served)
        stop = int(served[0]) if len(served) else 0
        other = int(served[-1]) if len(served) else 0
        start = dt.datetime.fromisoformat(tt.feeds[0]["start"] or tt.day0.isoformat())
        at = start.replace(hour=8, tzinfo=self.tz)
        for arrive_by in (False, True):
            self.route(
                TransitQuery(access=((stop, 0.0),), egress=((other, 0.0),), at=at, arrive_by=arrive_by, window_s=600)
            )

    # -- the search ----------------------------------------------------------------------------
    def route(self, query: TransitQuery, *, deadline: float | None = None) -> TransitAnswer:
        """All Pareto-optimal journeys (arrival or departure time × transfers) for ``query``.

        ``deadline`` is a ``time.perf_counter()`` value: a search past it stops between two
        RAPTOR rounds (and a range query, one run per departure in its window, between runs).

        Raises
        ------
        InvalidParameter
            If an access or egress stop index is outside the timetable.
        QueryTimeout
            If ``deadline`` passes before the last round of the last run.
        """
        search = self._prepare(query)
        found: list[Journey] = []
        for _ in self._runs(search, deadline):
            found.extend(self._extract(search))
        answer = search.answer
        answer.journeys = pareto_filter(found, range_query=query.window_s > 0)
        for j in answer.journeys:
            object.__setattr__(j, "fare", journey_fare(self.timetable, j))
        if not answer.journeys:
            answer.notices.append(self._why_nothing(query, search.feed_days))
        return answer

    def earliest_arrivals(self, query: TransitQuery, *, deadline: float | None = None) -> list[tuple[int, dt.datetime]]:
        """``(rides, arrival)`` of each Pareto-optimal journey of ``query``, fewest rides first,
        without rebuilding the journeys: the search :meth:`route` runs, and what a one-to-many
        count or a matrix needs (ferrobus's one-to-many answer holds the same).

        Depart-at queries without a window only.

        Raises
        ------
        InvalidParameter
            If ``query`` is arrive-by or has a window, or a stop index is outside the timetable.
        QueryTimeout
            If ``deadline`` passes before the last round.
        """
        if query.arrive_by or query.window_s:
            raise InvalidParameter(
                "earliest arrivals are for depart-at queries without a window",
                argument="arrive_by" if query.arrive_by else "window",
            )
        search = self._prepare(query)
        least = least_walks(search.targets)  # target stop → its least walk, as rebuilt journeys take it
        out: list[tuple[int, dt.datetime]] = []
        for _ in self._runs(search, deadline):
            self._target_rounds(search)
            labels, n = search.labels, len(search.tgt_stop)
            picks = labels.round_pick[1 : search.rounds + 1].tolist()
            best = int(INF) // 2
            for k0, arr in enumerate(labels.round_best[1 : search.rounds + 1].tolist()):
                if arr < best:
                    best = arr
                    i = picks[k0]
                    # The label's time plus the walk in seconds as given (the kernel adds it rounded up).
                    at_stop = arr - int(search.tgt_walk[i % n])
                    end = search.base + dt.timedelta(seconds=at_stop + least[int(search.tgt_stop[i % n])])
                    out.append((k0 + 1, end.astimezone(self.tz)))
        return out

    def _prepare(self, query: TransitQuery) -> _Search:
        """The search state of ``query``: its day's trips, sources, targets (written into the
        labels' ``egress``) and departure times to run."""
        tt = self.timetable
        local = query.at.astimezone(self.tz)
        day = local.date()
        base = service_base(day, self.tz)
        t_query = int(round((query.at.astimezone(dt.UTC) - base).total_seconds()))
        key = (day, query.strict_dates)
        if key not in self._dates:
            if len(self._dates) > 64:
                self._dates.clear()
            self._dates[key] = choose_feed_dates(tt, day, strict=query.strict_dates)
        feed_days, feed_dates, notices = self._dates[key]
        answer = TransitAnswer([], [dict(n) for n in notices], day, dict(feed_dates))
        reverse = query.arrive_by
        net = self._net(reverse)
        labels = self._labels[reverse]
        view = self._view(reverse, feed_days)
        pat_ok = self._patterns_ok(query.exclude_route_types)
        trips, kinds = view.day(net, query.exclude_route_types, pat_ok)
        sources, targets = (query.egress, query.access) if reverse else (query.access, query.egress)
        # One C-level conversion per side (none for StopPoints); the query has checked the pairs'
        # types and signs, query_ends checks the stop range.
        src, tgt = (
            points.array if isinstance(points, StopPoints) else np.array(points, dtype=np.float64).reshape(-1, 2)
            for points in (sources, targets)
        )
        args = (src, tgt, self._n_stops, labels.egress)
        if self._ends_kernel is None:
            self._ends_kernel = _entry(query_ends, *args)
        status, src_stop, src_walk, tgt_stop, tgt_walk = self._ends_kernel(*args)
        if status:
            name = ("egress", "access")[status - 1] if reverse else ("access", "egress")[status - 1]
            raise InvalidParameter(f"{name}: a stop index is not below {self._n_stops}", argument=name)
        t0 = -t_query if reverse else t_query
        fp_limit = FP_ANY if query.transfer_walk_s is None else int(query.transfer_walk_s)
        starts = self._start_times(net, view.view, pat_ok, src_stop, src_walk, t0, query.window_s, fp_limit)
        return _Search(
            net=net,
            view=view,
            trips=trips,
            kinds=kinds,
            labels=labels,
            kernel_net=self._kernel_nets[reverse],
            src_stop=src_stop,
            src_walk=src_walk,
            tgt_stop=tgt_stop,
            tgt_walk=tgt_walk,
            sources=sources,
            targets=targets,
            starts=starts,
            rounds=query.max_transfers + 1,
            fp_limit=fp_limit,
            base=base,
            feed_days=feed_days,
            answer=answer,
        )

    def _runs(self, search: _Search, deadline: float | None) -> Iterator[int]:
        """Run the search once per departure time, latest first; yields the run's index while
        its labels are ready to read."""
        stop_at = kernel_deadline(deadline)
        key = (search.net.reverse, search.kinds)
        kernel = self._round_kernels.get(key)
        for run, t_start in enumerate(search.starts):
            # The next query starts with run 0, which resets the labels: stopping here is safe.
            if deadline is not None and run > 0 and time.perf_counter() > deadline:
                raise QueryTimeout(_TIMED_OUT_MESSAGE)
            args = (
                search.kernel_net,
                search.trips,
                search.labels,
                search.src_stop,
                t_start + search.src_walk,
                search.rounds,
                MIN_CHANGE_S,
                search.fp_limit,
                run == 0,
                stop_at,
            )
            if kernel is None:
                kernel = self._round_kernels[key] = _entry(raptor_rounds, *args)
            if kernel(*args) == TIMED_OUT:
                raise QueryTimeout(_TIMED_OUT_MESSAGE)
            yield run

    def arrivals(self, query: TransitQuery, *, deadline: float | None = None) -> tuple[np.ndarray, TransitAnswer]:
        """Seconds from ``query.at`` to the earliest arrival at every stop (``inf``: not reached),
        and the answer of the search (its notices say which dates were used).

        Depart-at queries without a window only; ``query.egress`` is ignored: the search runs with
        no target to bound it.

        Raises
        ------
        InvalidParameter
            If ``query`` is arrive-by or has a window.
        """
        if query.arrive_by or query.window_s:
            raise InvalidParameter(
                "arrivals are for depart-at queries without a window",
                argument="arrive_by" if query.arrive_by else "window",
            )
        unbounded = dataclasses.replace(query, egress=((query.access[0][0], float(UNBOUNDED_EGRESS_S)),))
        answer = self.route(unbounded, deadline=deadline)
        labels = self._labels[False]
        best = np.minimum(labels.best_ride, labels.best_walk)
        local = query.at.astimezone(self.tz)
        t_query = (query.at - service_base(local.date(), self.tz)).total_seconds()
        secs = np.where(best >= INF // 2, np.inf, best.astype(np.float64) - t_query)
        return secs, answer

    def _start_times(
        self,
        net: Directed,
        view: DayView,
        pat_ok: np.ndarray,
        src_stop: np.ndarray,
        src_walk: np.ndarray,
        t0: int,
        window: int,
        fp_limit: int,
    ) -> list[int]:
        """Departure times to run: the window's end, then every boarding inside it, latest first.

        Between two consecutive boardings the best journey cannot change, so these runs give
        the journey of every departure time in the window (rRAPTOR).
        """
        if window <= 0:
            return [t0]
        t_end = t0 + window
        times = {t_end}
        # Boardings at the sources and at stops one footpath away from them.
        reach: dict[int, int] = {}
        for s, w in zip(src_stop.tolist(), src_walk.tolist(), strict=True):
            reach[s] = min(w, reach.get(s, w))
            for f in range(int(net.fp_start[s]), int(net.fp_start[s + 1])):
                if int(net.fp_secs[f]) > fp_limit:
                    break  # sorted by walking time
                u, wu = int(net.fp_to[f]), w + int(net.fp_secs[f])
                reach[u] = min(wu, reach.get(u, wu))
        for s, w in sorted(reach.items()):
            for slot in range(int(net.stop_pat_start[s]), int(net.stop_pat_start[s + 1])):
                p, pos = int(net.stop_pat[slot]), int(net.stop_pat_pos[slot])
                if not pat_ok[p] or not net.pattern_pickup[net.pattern_stops_start[p] + pos]:
                    continue
                lo, hi = int(view.view_start[p]), int(view.view_start[p + 1])
                dep = net.st_dep[view.view_tt[lo:hi] + pos] + view.view_shift[lo:hi] - w
                times.update(dep[(dep >= t0) & (dep < t_end)].tolist())
        return sorted(times, reverse=True)

    def _target_rounds(self, search: _Search) -> None:
        """Fill ``round_best`` / ``round_pick`` of the search's labels (see :func:`target_arrivals`)."""
        reverse = search.net.reverse
        args = (search.labels, search.tgt_stop, search.tgt_walk, search.rounds)
        kernel = self._target_kernels.get(reverse)
        if kernel is None:
            kernel = self._target_kernels[reverse] = _entry(target_arrivals, *args)
        kernel(*args)

    def _extract(self, search: _Search) -> list[Journey]:
        """The journey of each round that reaches a target earlier than fewer rides do."""
        out: list[Journey] = []
        # Earliest per round, then the least walking at the end (targets sorted by walk).
        self._target_rounds(search)
        labels, tgt_stop = search.labels, search.tgt_stop
        best = int(INF) // 2
        n = len(tgt_stop)
        picks = labels.round_pick[1 : search.rounds + 1].tolist()
        ends = JourneyEnds(sources=search.sources, targets=search.targets, base=search.base, tz=self.tz)
        for k0, arr in enumerate(labels.round_best[1 : search.rounds + 1].tolist()):
            if arr >= best:
                continue
            best = arr
            i = picks[k0]
            label = (k0 + 1, int(tgt_stop[i % n]), i >= n)
            journey = rebuild(self.timetable, search.net, search.trips, labels, label=label, ends=ends)
            if journey is not None:
                out.append(journey)
        return out

    def _why_nothing(self, query: TransitQuery, feed_days: tuple[int, ...]) -> dict[str, str]:
        tt = self.timetable
        if all(d < 0 for d in feed_days):
            return {"code": "no_service_date", "message": "no feed runs on the requested date (strict dates asked)"}
        for name, points in (("origin", query.access), ("destination", query.egress)):
            if not any(self._stop_served[s] for s, _ in points):
                names = ", ".join(sorted({tt.stop_name(s) for s, _ in points})[:3])
                return {"code": "no_service_at_stop", "message": f"no transit line serves the {name} stop(s) {names}"}
        if query.exclude_route_types:
            return {
                "code": "no_journey",
                "message": f"no journey without the excluded route types {sorted(query.exclude_route_types)}",
            }
        return {
            "code": "no_journey",
            "message": f"no journey with at most {query.max_transfers} transfers around the requested time",
        }
