"""Transit options for a trip: walking access and egress on the street graph around RAPTOR.

The walk from the origin to every stop is one CCH one-to-many search on the walk graph, and from
every stop to the destination one many-to-one search; the stops within the walking limit become
RAPTOR's access and egress sets. Each journey then gets its first and last walk drawn along the
streets, so every option carries full legs like the street modes.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import routingkit_cch
from numpy.typing import NDArray

from routing.core.answer import AnyLeg, Leg, Notice, Option, TransitLeg, evolve
from routing.core.errors import NoRoute
from routing.core.walking import KMH_PER_MPS, WALK_MPS
from routing.plan.answer import ModeResult
from routing.plan.request import PlanRequest
from routing.plan.stepfree_transit import annotate_wheelchair, stepfree_footpaths
from routing.plan.street_legs import street_leg
from routing.plan.transit_when import with_timing
from routing.realtime.legs import annotate_rides, canceled_notices
from routing.realtime.service import LiveSnapshot, RealtimeService
from routing.street.footpaths import ACCESS_FOLDER, MAX_FOOTPATH_S
from routing.street.graph import SnapPoint, StreetGraph
from routing.street.nearest import PointGrid
from routing.street.pinned import PinnedPerThread
from routing.street.route import (
    StreetRoute,
    route_between_nodes,
    route_from_node,
    route_to_node,
    snap,
    source_ms,
    target_ms,
)
from routing.street.speeds import walk_kmh
from routing.street.stepfree import stepfree_graph
from routing.transit import Timetable, TransitQuery, TransitRouter, journey_legs
from routing.transit.query import Journey, RideLeg, StopPoints, TransferLeg
from routing.transit.wheelchair import wheelchair_timetable

# The fastest walk: Tobler's function peaks on a 5 % descent.
MAX_WALK_MPS = walk_kmh(-0.05) / KMH_PER_MPS
#: At most 15 minutes' walk to, from or between stops (the build's longest footpath).
MAX_ACCESS_S = MAX_FOOTPATH_S
#: Walks to, from and between stops kept drawn (see :meth:`TransitPlanner._walk_route`): a plan's
#: options share stops (plain transit and the combined modes often end at the same one), and a
#: drawn walk of a few hundred metres is a few kilobytes.
WALK_MEMO_SIZE = 512


@dataclass(frozen=True)
class TransitSearch:
    """What every transit search of one request shares: when, which routes, the walking limit between
    stops and the deadline. Plain transit, bike + transit, park-and-ride and isochrones all build
    their :class:`TransitQuery` with :meth:`query`, so none of them drifts from the others.

    Parameters
    ----------
    at
        Time-zone-aware departure time (arrival time when ``arrive_by``).
    transfer_walk_s
        The longest footpath between two stops; None takes every footpath the timetable holds.
    deadline
        ``time.perf_counter()`` value past which searches stop
        (:class:`~routing.core.errors.QueryTimeout`); None: no budget.
    """

    at: datetime
    arrive_by: bool = False
    window_s: int = 0
    exclude_route_types: frozenset[int] = frozenset()
    strict_dates: bool = False
    transfer_walk_s: float | None = None
    deadline: float | None = None

    @classmethod
    def of_request(
        cls, req: PlanRequest, at: datetime, *, walk_limit_s: float, deadline: float | None
    ) -> TransitSearch:
        """The search of a trip plan: the request's options, its walking limit between stops."""
        return cls(
            at=at,
            arrive_by=req.arrive_by,
            window_s=req.window_min * 60,
            exclude_route_types=req.exclude_route_types,
            strict_dates=req.strict_dates,
            transfer_walk_s=walk_limit_s,
            deadline=deadline,
        )

    def query(
        self, access: StopPoints | Iterable[tuple[int, float]], egress: StopPoints | Iterable[tuple[int, float]]
    ) -> TransitQuery:
        """The RAPTOR query from ``access`` to ``egress`` (stop, seconds) pairs, in stop order
        (:class:`~routing.transit.query.StopPoints` are already)."""
        return TransitQuery(
            access=access if isinstance(access, StopPoints) else tuple(sorted(access)),
            egress=egress if isinstance(egress, StopPoints) else tuple(sorted(egress)),
            at=self.at,
            arrive_by=self.arrive_by,
            window_s=self.window_s,
            exclude_route_types=self.exclude_route_types,
            strict_dates=self.strict_dates,
            transfer_walk_s=self.transfer_walk_s,
        )


class TransitTrip:
    """One request's transit side, shared by plain transit and the combined modes: the search, the
    destination snapped on the walk graph and the walking egress, each computed once when first used.

    Create it with :meth:`TransitPlanner.trip`.
    """

    def __init__(self, planner: TransitPlanner, req: PlanRequest, search: TransitSearch) -> None:
        self._planner = planner
        self.req = req
        self.search = search
        self.walk_limit_s = planner.walk_limit_s(req)

    @cached_property
    def destination(self) -> SnapPoint:
        """The destination on the walk graph (:class:`~routing.core.errors.OutsideArea` when off it, on every use)."""
        return snap(self._planner.walk, *self.req.destination, argument="to")

    @cached_property
    def egress(self) -> dict[int, float]:
        """Stops within the walking limit of the destination: stop → walking seconds."""
        return self._planner.egress(self.destination, self.walk_limit_s)


def _gain_loss(leg: AnyLeg) -> tuple[float, float]:
    return (leg.elevation_gain_m, leg.elevation_loss_m) if isinstance(leg, Leg) else (0.0, 0.0)


def journey_option(option_id: str, mode: str, journey: Journey, legs: list[AnyLeg]) -> Option:
    """The option of a transit journey whose legs are complete, walks included."""
    climbs = [_gain_loss(leg) for leg in legs]
    return Option(
        id=option_id,
        mode=mode,
        duration_s=journey.duration_s,
        distance_m=round(sum(leg.distance_m for leg in legs), 1),
        elevation_gain_m=round(sum(c[0] for c in climbs), 1),
        elevation_loss_m=round(sum(c[1] for c in climbs), 1),
        departure=journey.departure,
        arrival=journey.arrival,
        transfers=journey.transfers,
        walk_distance_m=round(sum(leg.distance_m for leg in legs if leg.mode == "walk"), 1),
        legs=tuple(legs),
        fare=journey.fare,
    )


class TransitPlanner:
    """RAPTOR journeys from a point to a point, with walking access and egress."""

    def __init__(self, folder: Path, walk: StreetGraph, *, tz: ZoneInfo, max_access_s: float = MAX_ACCESS_S) -> None:
        self.tt = Timetable.load(folder / "transit")
        self._routers = threading.local()  # a router reuses its label arrays, so one per thread
        self.walk = walk
        self.tz = tz
        self.max_access_s = max_access_s
        access = folder / ACCESS_FOLDER
        stop_node = np.load(access / "stop_node.npy")  # stop → walk-graph node, -1 off the streets
        self.stop_offset_s = np.load(access / "stop_offset_s.npy")  # stop → seconds from stop to that node
        self.stop_node = stop_node
        self.snapped = np.flatnonzero(stop_node >= 0)  # access slot → stop
        self._nodes = stop_node[self.snapped].tolist()  # access slot → walk-graph node
        lat, lon = np.asarray(self.tt.stop_lat)[self.snapped], np.asarray(self.tt.stop_lon)[self.snapped]
        self._stop_grid = PointGrid.of(walk.proj.to_xy(lat, lon))  # of access slots: their stops' positions (m)
        self._pinned = PinnedPerThread()
        self.realtime: RealtimeService | None = None  # set by the planner when the city has feeds
        self.wheelchair = False  # True for the step-free planner (:meth:`stepfree`)
        self._stepfree: TransitPlanner | None = None
        self._restricted: dict[int, Timetable] = {}  # id(realtime view) → its wheelchair view
        self._compiled = self.tt  # the timetable as built (the step-free planner's tt is a view of it)
        self._lock = threading.Lock()
        self._walk_memo: dict[tuple[Any, ...], StreetRoute | None] = {}  # see _walk_route

    def stepfree(self) -> TransitPlanner:
        """The step-free planner: walks on the step-free walk graph, rides only on trips and at
        stops not stated inaccessible (:mod:`routing.transit.wheelchair`). Made on first use (the
        footpaths are walked again, ~1 s for Porto Alegre), then shared."""
        with self._lock:
            if self._stepfree is None:
                walk = stepfree_graph(self.walk)
                sf = copy.copy(self)
                sf.walk = walk
                fps = stepfree_footpaths(self.tt, walk, self.stop_node, self.stop_offset_s)
                sf.tt = wheelchair_timetable(self.tt, footpaths=fps)
                sf._routers = threading.local()
                sf._pinned = PinnedPerThread()
                sf._walk_memo = {}
                sf._restricted = {}
                sf._lock = threading.Lock()
                sf.wheelchair = True
                self._stepfree = sf
            return self._stepfree

    def _restrict(self, tt: Timetable) -> Timetable:
        """The timetable to search: ``tt`` itself, or for the step-free planner its wheelchair view
        (a realtime view gets one too, with the step-free footpaths; the last one is kept)."""
        if not self.wheelchair or tt is self.tt:
            return tt
        if tt is self._compiled:
            return self.tt
        with self._lock:
            found = self._restricted.get(id(tt))
            if found is None:
                footpaths = (self.tt.fp_start, self.tt.fp_to, self.tt.fp_secs)
                found = wheelchair_timetable(tt, footpaths=footpaths)
                self._restricted = {id(tt): found}
            return found

    def warm_up(self) -> None:
        self.router.warm_up()

    @property
    def router(self) -> TransitRouter:
        """This thread's router (each keeps its own search state across queries)."""
        return self.router_for(self.tt)

    def router_for(self, tt: Timetable) -> TransitRouter:
        """This thread's router on ``tt``: the compiled timetable or the latest realtime view
        (a router on an older view is dropped, so a thread holds at most two)."""
        routers: dict[int, TransitRouter] | None = getattr(self._routers, "by_tt", None)
        if routers is None:
            routers = self._routers.by_tt = {}
        router = routers.get(id(tt))
        if router is None or router.timetable is not tt:
            for key in [k for k, r in routers.items() if r.timetable is not self.tt]:
                del routers[key]
            router = routers[id(tt)] = TransitRouter(tt)
        return router

    def feeds(self) -> list[dict[str, Any]]:
        return [dict(f) for f in self.tt.feeds]

    def _searches(self) -> tuple[routingkit_cch.CCHOneToMany, routingkit_cch.CCHManyToOne]:
        return (
            self._pinned.get("one_to_many", lambda: routingkit_cch.CCHOneToMany(self.walk.metric, self._nodes)),
            self._pinned.get("many_to_one", lambda: routingkit_cch.CCHManyToOne(self.walk.metric, self._nodes)),
        )

    def _nearby(self, point: SnapPoint, limit_s: float) -> NDArray[np.int64]:
        """Access slots of the stops a walk of ``limit_s`` could reach, judged by straight-line distance.

        No walk is faster than ``MAX_WALK_MPS`` and a stop's offset is a straight walk to its node, so
        a stop farther than ``limit_s × MAX_WALK_MPS`` in a straight line cannot be reached in time:
        searching only the nearer ones gives the same stops and times, ~7× faster than all of them.
        """
        x, y = self.walk.proj.point(point.lat, point.lon)
        return self._stop_grid.within((x, y), limit_s * MAX_WALK_MPS + 1.0)

    def walk_limit_s(self, req: PlanRequest) -> float:
        """The longest walk to, from and between stops for ``req``, in seconds."""
        return min(self.max_access_s, req.max_walk_m / WALK_MPS)

    def trip(self, req: PlanRequest, at: datetime, *, deadline: float | None = None) -> TransitTrip:
        """The transit side of one request, shared by every transit mode of its answer."""
        search = TransitSearch.of_request(req, at, walk_limit_s=self.walk_limit_s(req), deadline=deadline)
        return TransitTrip(self, req, search)

    def access(self, origin: SnapPoint, limit_s: float) -> dict[int, float]:
        """Stops within ``limit_s`` walking seconds of a snapped origin: stop → seconds."""
        one_to_many, _ = self._searches()
        slots = self._nearby(origin, limit_s)
        if not len(slots):
            return {}
        one_to_many.repin_targets([self._nodes[i] for i in slots.tolist()])
        dist = one_to_many.distances_from_multi(source_ms(self.walk, origin))
        return self._within(dist, slots, limit_s)

    def egress(self, destination: SnapPoint, limit_s: float) -> dict[int, float]:
        """Stops within ``limit_s`` walking seconds of a snapped destination: stop → seconds."""
        _, many_to_one = self._searches()
        slots = self._nearby(destination, limit_s)
        if not len(slots):
            return {}
        many_to_one.repin_sources([self._nodes[i] for i in slots.tolist()])
        dist = many_to_one.distances_to_multi(target_ms(self.walk, destination))
        return self._within(dist, slots, limit_s)

    def _within(self, dist: list[int | None], slots: NDArray[np.int64], limit_s: float) -> dict[int, float]:
        # One C-level conversion of the results (None, unreachable, becomes NaN, which no limit
        # admits), and the rounding of the kept ones at once: numpy's round, as before.
        ms = np.array(dist, dtype=np.float64)
        stops = self.snapped[slots]
        total = ms / 1000.0 + self.stop_offset_s[stops]
        ok = np.flatnonzero(total <= limit_s)
        # In stop order, as the query lists them (sorting the pairs themselves costs ~1 ms for 1,000).
        ok = ok[np.argsort(stops[ok], kind="stable")]
        return dict(zip(stops[ok].tolist(), np.round(total[ok], 1).tolist(), strict=True))

    def options(
        self, req: PlanRequest, at: datetime, *, deadline: float | None = None
    ) -> tuple[tuple[Option, ...], tuple[Notice, ...]]:
        """Transit options (one per Pareto journey) and notices (stale feeds) for ``req``.

        ``deadline`` (``time.perf_counter()``) stops a long range search with
        :class:`~routing.core.errors.QueryTimeout`; no journey raises :class:`~routing.core.errors.NoRoute`.
        """
        result = self.search(self.trip(req, at, deadline=deadline))
        if result.error is not None:
            raise result.error
        return result.options, result.notices

    def search(self, trip: TransitTrip) -> ModeResult:
        """The transit options of ``trip``'s request, its notices, and the error when no journey runs.

        A missing stop near either end raises :class:`~routing.core.errors.NoRoute` (there are no notices to keep then).
        """
        req, at = trip.req, trip.search.at
        o = snap(self.walk, *req.origin, argument="from")
        d = trip.destination
        limit = trip.walk_limit_s
        access = self.access(o, limit)
        minutes = round(limit / 60)
        if not access:
            raise NoRoute(f"no transit stop within a {minutes}-minute walk of the origin", argument="from")
        egress = trip.egress
        if not egress:
            raise NoRoute(f"no transit stop within a {minutes}-minute walk of the destination", argument="to")
        query = trip.search.query(access.items(), egress.items())
        live = self.realtime.snapshot() if self.realtime is not None else None  # one view per request
        tt = self._restrict(live.timetable) if live is not None else self.tt
        answer = self.router_for(tt).route(query, deadline=trip.search.deadline)
        options: list[Option] = []
        for journey in answer.journeys:
            if not journey.rides:
                continue  # walking all the way is the walk option already
            options.append(self._option(len(options), journey, o, d, tt, live))
        notices = [Notice.of(n) for n in answer.notices if n.get("code") == "stale_feed"]
        if live is not None:
            notices.extend([*(Notice.of(n) for n in live.notices), *canceled_notices(live, options, at)])
        options, on_other_days = with_timing(options, at, arrive_by=req.arrive_by)
        notices.extend(on_other_days)
        if not options:
            reason = " ".join(n["message"] for n in answer.notices if n.get("code") != "stale_feed")
            error = NoRoute(f"no transit journey found for this trip at this time: {reason}".strip(), argument="at")
            return ModeResult(notices=tuple(notices), error=error)
        return ModeResult(tuple(options), tuple(notices))

    def _option(
        self, k: int, journey: Journey, o: SnapPoint, d: SnapPoint, tt: Timetable, live: LiveSnapshot | None
    ) -> Option:
        legs = journey_legs(tt, journey)
        if live is not None:
            legs = annotate_rides(live, tt, journey, legs)
        if self.wheelchair:
            legs = annotate_wheelchair(tt, journey, legs)
        a_stop, a_secs = journey.access
        e_stop, e_secs = journey.egress
        node = int(self.stop_node[a_stop])
        found = self._walk_route(("to", o, a_stop), lambda: route_to_node(self.walk, o, node, self.stop_latlon(a_stop)))
        first = self.walk_leg(found, journey.departure, a_secs)
        last = self.egress_leg(e_stop, d, journey.arrival, e_secs)
        # journey_legs gives one leg per journey leg, in order: the transfer walks keep their stop indices.
        legs = [first, *(self._on_streets(leg, part) for part, leg in zip(journey.legs, legs, strict=True)), last]
        return journey_option(f"transit-{k}", "transit", journey, legs)

    def _on_streets(self, leg: AnyLeg, part: RideLeg | TransferLeg) -> AnyLeg:
        """A transfer walk between two stops, drawn along the walk graph with its steps.

        Its times stay the journey's (the footpath time RAPTOR used); stops off the street network
        keep the straight line.
        """
        if not isinstance(part, TransferLeg) or isinstance(leg, TransitLeg):
            return leg
        a, b = part.from_stop, part.to_stop
        na, nb = int(self.stop_node[a]), int(self.stop_node[b])
        if na < 0 or nb < 0:
            return leg
        r = self._walk_route(
            ("between", a, b), lambda: route_between_nodes(self.walk, na, self.stop_latlon(a), nb, self.stop_latlon(b))
        )
        if r is None:
            return leg
        street = street_leg(r, departure=leg.departure, secs=r.duration_s)
        return evolve(
            leg,
            coords=street.coords,
            distance_m=street.distance_m,
            steps=street.steps,
            elevation=street.elevation,
            elevation_gain_m=street.elevation_gain_m,
            elevation_loss_m=street.elevation_loss_m,
        )

    def stop_latlon(self, stop: int) -> tuple[float, float]:
        """``(lat, lon)`` of a stop index."""
        return float(self.tt.stop_lat[stop]), float(self.tt.stop_lon[stop])

    def egress_leg(self, stop: int, d: SnapPoint, arrival: datetime, secs: float) -> Leg:
        """The last walk of a journey: from ``stop`` to the destination, ``secs`` long, ending at ``arrival``."""
        node = int(self.stop_node[stop])
        route = self._walk_route(("from", stop, d), lambda: route_from_node(self.walk, node, self.stop_latlon(stop), d))
        return self.walk_leg(route, arrival, -secs)

    def _walk_route(self, key: tuple[Any, ...], draw: Callable[[], StreetRoute | None]) -> StreetRoute | None:
        """The walk ``draw`` finds, drawn once for ``key`` (what it joins) and then reused.

        A plan's options share stops, so about one walk in six was drawn twice or more within one
        answer (measured on bench/plan.py's trips). Drawn walks are never edited, so answers may
        share them; threads at worst draw one twice. The memo is emptied when full.
        """
        memo = self._walk_memo
        if key in memo:
            return memo[key]
        found = draw()
        if len(memo) >= WALK_MEMO_SIZE:
            memo.clear()
        memo[key] = found
        return found

    def walk_leg(self, r: StreetRoute | None, anchor: datetime, secs: float) -> Leg:
        """A walk leg of ``abs(secs)`` seconds starting at ``anchor`` (or ending there when secs < 0)."""
        if r is None:  # the street graph does not reach this stop
            raise NoRoute("a stop of this journey cannot be reached on foot", argument="to")
        start = anchor if secs >= 0 else anchor - timedelta(seconds=-secs)
        return street_leg(r, departure=start, secs=abs(secs))
