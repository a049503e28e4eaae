"""Combined options: ride a bike to a station, or drive to a car park near one, then take transit.

- Bike + transit: the ride to every stop is one CCH one-to-many search on the bike graph (as
  :class:`routing.plan.transit_options.TransitPlanner` does on foot); a stop counts when a bike-graph node
  lies within ``BIKE_STOP_M`` of it, and reaching it costs the ride, ``LOCK_BIKE_S`` to park and lock,
  and the walk from that node to the stop.
- Park-and-ride: the drive to every car park (:mod:`routing.street.car_parks`) is one CCH one-to-many search
  on the drive graph; each car park serves the stops within ``PARK_WALK_M``, at the drive,
  ``PARK_CAR_S`` to park, and the walk to the stop.

RAPTOR then runs from those stops with the usual walking egress. Each option has its legs (bike or
drive, walk, rides, walk), their times, and the CO2e the emission code gives each leg's mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import routingkit_cch
from numba import njit
from numpy.typing import NDArray

from routing.core.answer import Leg, Notice, Option, Served, evolve
from routing.core.deadline import check_deadline
from routing.core.errors import NoRoute
from routing.core.walking import STRAIGHT_DETOUR, WALK_MPS
from routing.plan.combined_filter import distinct_from_plain, rides_of
from routing.plan.street_legs import street_leg
from routing.plan.transit_options import TransitPlanner, TransitTrip, journey_option
from routing.plan.transit_when import with_timing
from routing.street.car_parks import CarParks
from routing.street.graph import SnapPoint, StreetGraph
from routing.street.nearest import PointGrid
from routing.street.pinned import PinnedPerThread
from routing.street.route import StreetRoute, route_to_node, snap, source_ms
from routing.street.snap_nodes import nearest_street_nodes
from routing.transit import journey_legs
from routing.transit.query import Journey, StopPoints, stop_points

BIKE_STOP_M = 150.0
LOCK_BIKE_S = 60.0
MAX_BIKE_S = 30 * 60
PARK_WALK_M = 400.0
PARK_NODE_M = 150.0
PARK_CAR_S = 180.0
MAX_DRIVE_S = 45 * 60


def _nearest_nodes(
    g: StreetGraph, lat: NDArray[np.float64], lon: NDArray[np.float64], max_m: float
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The node of ``g`` each point joins through its nearest kept street (-1 beyond ``max_m``), and
    the walk to it as a straight-line equivalent (times ``STRAIGHT_DETOUR`` it is the walk: the
    detour applies to the straight part, not to the part along the street)."""
    node, off_m, along_m = nearest_street_nodes(g, lat, lon, max_m=max_m)
    return node, np.where(node >= 0, off_m + along_m / STRAIGHT_DETOUR, np.inf)


class _FirstMile:
    """Stops reached by one street mode through a set of target nodes: node, then fixed extra seconds."""

    def __init__(
        self,
        graph: StreetGraph,
        target_node: NDArray[np.int64],
        stop: NDArray[np.int64],
        extra_s: NDArray[np.float64],
        via: NDArray[np.int64],
    ) -> None:
        self.graph = graph
        self.nodes = sorted(set(target_node.tolist()))
        slot = {n: i for i, n in enumerate(self.nodes)}
        self.pair_slot = np.array([slot[int(n)] for n in target_node], dtype=np.int64)  # pair → target slot
        self.pair_stop = stop  # pair → stop
        self.pair_extra = extra_s  # pair → seconds after reaching the node (parking, walking)
        self.pair_via = via  # pair → car park, or -1
        self.n_stops = int(stop.max()) + 1 if len(stop) else 0
        self._pinned = PinnedPerThread()

    def reach(self, origin: SnapPoint, limit_s: float) -> _Reached:
        """The stops reached within ``limit_s``, each by its best pair: the quickest; of equally
        quick pairs, the first one listed."""
        if not self.nodes:
            return _Reached.none()
        g = self.graph
        search = self._pinned.get("one_to_many", lambda: routingkit_cch.CCHOneToMany(g.metric, self.nodes))
        # One C-level conversion: None (not reached) becomes NaN, which no limit admits.
        ms = np.array(search.distances_from_multi(source_ms(g, origin)), dtype=np.float64)
        best, node_s, total = _best_pairs(ms, self.pair_slot, self.pair_extra, self.pair_stop, self.n_stops, limit_s)
        return _Reached(self.pair_stop[best], total, node_s, self.pair_via[best])


@njit(cache=True)
def _best_pairs(
    node_ms: NDArray[np.float64],
    pair_slot: NDArray[np.int64],
    pair_extra: NDArray[np.float64],
    pair_stop: NDArray[np.int64],
    n_stops: int,
    limit_s: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:  # pragma: no cover - compiled
    """Each stop's quickest pair within ``limit_s`` (of equally quick ones, the first listed), in
    ascending stop order: the pairs, their seconds to the node, and their totals."""
    best = np.full(n_stops, -1, np.int64)  # stop → its best pair so far
    best_total = np.empty(n_stops, np.float64)
    for p in range(len(pair_slot)):
        total = node_ms[pair_slot[p]] / 1000.0 + pair_extra[p]
        stop = pair_stop[p]
        if total <= limit_s and (best[stop] < 0 or total < best_total[stop]):  # NaN (not reached) fails
            best[stop] = p
            best_total[stop] = total
    kept = np.flatnonzero(best >= 0)
    pairs = best[kept]
    node_s = np.empty(len(pairs), np.float64)
    for i in range(len(pairs)):
        node_s[i] = node_ms[pair_slot[pairs[i]]] / 1000.0
    return pairs, node_s, best_total[kept]


@dataclass(frozen=True, slots=True)
class _Reached:
    """The stops a first mile reaches: flat arrays indexed alike, in ascending stop order."""

    stop: NDArray[np.int64]  # i → stop
    total_s: NDArray[np.float64]  # i → seconds until standing at the stop
    node_s: NDArray[np.float64]  # i → seconds until the node (the ride or the drive alone)
    via: NDArray[np.int64]  # i → car park, or -1

    @staticmethod
    def none() -> _Reached:
        return _Reached(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.stop)

    def points(self) -> StopPoints:
        """``(stop, seconds)`` pairs in stop order, as a transit query takes its access."""
        return stop_points(self.stop, self.total_s, name="access")

    def of(self, stop: int) -> tuple[float, float, int]:
        """``(total seconds, seconds to the node, car park or -1)`` of a reached ``stop``."""
        i = int(np.searchsorted(self.stop, stop))
        return float(self.total_s[i]), float(self.node_s[i]), int(self.via[i])


class CombinedPlanner:
    """Bike + transit and park-and-ride options for one compiled city.

    Parameters
    ----------
    transit
        The plain transit planner (timetable, walking access/egress, stop positions).
    bike, drive
        The bike and drive graphs.
    car_parks
        Public car parks of the city.

    The searches run on this thread's router of ``transit``, the one plain transit's search ran
    on just before: the date's trip view and feed dates are then built once per request, not
    once per router.
    """

    def __init__(
        self,
        transit: TransitPlanner,
        *,
        bike: StreetGraph,
        drive: StreetGraph,
        car_parks: CarParks,
    ) -> None:
        self.transit = transit
        self.tt = transit.tt
        self.walk = transit.walk
        self.bike = bike
        self.drive = drive
        self.car_parks = car_parks
        lat, lon = np.asarray(self.tt.stop_lat), np.asarray(self.tt.stop_lon)
        node, dist = _nearest_nodes(bike, lat, lon, BIKE_STOP_M)
        stops = np.flatnonzero(node >= 0)
        self.stop_bike_node = node  # stop → bike-graph node where the bike is parked, -1 none near
        self.bike_mile = _FirstMile(
            bike, node[stops], stops, LOCK_BIKE_S + dist[stops] * STRAIGHT_DETOUR / WALK_MPS, np.full(len(stops), -1)
        )
        self.park_node, _ = _nearest_nodes(drive, car_parks.lat, car_parks.lon, PARK_NODE_M)
        park = np.zeros(0, dtype=np.int64)  # pair → car park
        stop = np.zeros(0, dtype=np.int64)  # pair → stop within a walk of it
        walk_m = np.zeros(0, dtype=np.float64)
        if len(car_parks) and len(lat):
            stop_xy = drive.proj.to_xy(lat, lon)
            park_xy = drive.proj.to_xy(car_parks.lat, car_parks.lon)
            stop_grid = PointGrid.of(stop_xy)
            near = [stop_grid.within((x, y), PARK_WALK_M).tolist() for x, y in park_xy.tolist()]
            counts = np.array([len(n) if self.park_node[p] >= 0 else 0 for p, n in enumerate(near)], dtype=np.int64)
            park = np.repeat(np.arange(len(near), dtype=np.int64), counts)
            stop = np.array([s for p, n in enumerate(near) if counts[p] for s in n], dtype=np.int64)
            walk_m = np.hypot(*(park_xy[park] - stop_xy[stop]).T)
        self.park_walk_s = walk_m * STRAIGHT_DETOUR / WALK_MPS  # pair → walk
        self.park_mile = _FirstMile(drive, self.park_node[park], stop, PARK_CAR_S + self.park_walk_s, park)

    def options(
        self, mode: str, trip: TransitTrip, *, plain: Sequence[Option] = ()
    ) -> tuple[list[Option], list[Notice]]:
        """Options of ``mode`` (``bike+transit`` or ``park+ride``) for the request of ``trip``, and notices.

        Journeys that only repeat a ``plain`` transit option of the same answer are left out before
        their legs are drawn (:mod:`routing.plan.combined_filter`); a notice says how many. The
        search shares the destination's walking egress and the deadline with plain transit
        (:class:`~routing.plan.transit_options.TransitTrip`); past the deadline,
        :class:`~routing.core.errors.QueryTimeout`.

        Raises
        ------
        NoRoute
            When no stop is reached, no stop is near the destination, or no journey runs.
        """
        req, search = trip.req, trip.search
        first = self.bike if mode == "bike+transit" else self.drive
        o = snap(first, *req.origin, argument="from")
        d = trip.destination
        mile, limit = (self.bike_mile, MAX_BIKE_S) if mode == "bike+transit" else (self.park_mile, MAX_DRIVE_S)
        access = mile.reach(o, limit)
        if not access:
            what = (
                "station within a 30-minute ride"
                if mode == "bike+transit"
                else "car park near a stop within a 45-minute drive"
            )
            raise NoRoute(f"{mode}: no {what} of the origin", argument="from")
        egress = trip.egress
        if not egress:
            raise NoRoute(f"{mode}: no transit stop within walking distance of the destination", argument="to")
        query = search.query(access.points(), egress.items())
        answer = self.transit.router.route(query, deadline=search.deadline)
        notices = [Notice.of(n) for n in answer.notices if n.get("code") == "stale_feed"]
        journeys = [j for j in answer.journeys if j.rides]
        if not journeys:
            raise NoRoute(f"no {mode} journey found for this trip at this time", argument="at")
        keep, note = distinct_from_plain(
            mode, [(self._trip_ids(j), j.duration_s) for j in journeys], [(rides_of(o), o.duration_s) for o in plain]
        )
        options: list[Option] = []
        for i in keep:
            check_deadline(search.deadline, mode)
            options.append(self._option(mode, len(options), journeys[i], o, d, access.of(journeys[i].access[0])))
        # the plain transit options give the other-day notice
        options, _ = with_timing(options, search.at, arrive_by=search.arrive_by)
        return options, [*notices, *([note] if note else [])]

    def _trip_ids(self, journey: Journey) -> tuple[str, ...]:
        return tuple(self.tt.trip_id(r.trip) for r in journey.rides)

    def _option(
        self, mode: str, k: int, journey: Journey, o: SnapPoint, d: SnapPoint, reach: tuple[float, float, int]
    ) -> Option:
        a_stop = journey.access[0]
        stop_ll = (float(self.tt.stop_lat[a_stop]), float(self.tt.stop_lon[a_stop]))
        t0 = journey.departure
        if mode == "bike+transit":
            # The bike leg includes locking the bike and the few steps to the stop.
            node = int(self.stop_bike_node[a_stop])
            first = [_timed(route_to_node(self.bike, o, node, stop_ll), t0, journey.access[1])]
        else:
            park = reach[2]
            park_ll = (float(self.car_parks.lat[park]), float(self.car_parks.lon[park]))
            drive_leg = _timed(
                route_to_node(self.drive, o, int(self.park_node[park]), park_ll), t0, reach[1] + PARK_CAR_S
            )
            drive_leg = evolve(drive_leg, car_park=park_ll)
            walk_s = journey.access[1] - reach[1] - PARK_CAR_S
            first = [
                drive_leg,
                self._walk_to_stop(park_ll, a_stop, stop_ll, t0 + timedelta(seconds=reach[1] + PARK_CAR_S), walk_s),
            ]
        rides = journey_legs(self.tt, journey)
        last = self.transit.egress_leg(journey.egress[0], d, journey.arrival, journey.egress[1])
        legs = [*first, *rides, last]
        return journey_option(f"{mode}-{k}", mode, journey, legs)

    def _walk_to_stop(
        self, start: tuple[float, float], stop: int, stop_ll: tuple[float, float], at: datetime, secs: float
    ) -> Leg:
        """The walk from a car park to a stop: along the walk graph when both are on it, else straight."""
        node = int(self.transit.stop_node[stop])
        r = None
        if node >= 0:
            try:
                r = route_to_node(self.walk, snap(self.walk, *start, argument="from"), node, stop_ll)
            except NoRoute:
                r = None
        if r is not None:
            return street_leg(r, departure=at, secs=secs)
        coords = Served([[round(start[1], 6), round(start[0], 6)], [round(stop_ll[1], 6), round(stop_ll[0], 6)]])
        return Leg(
            mode="walk",
            duration_s=round(secs, 1),
            distance_m=round(secs * WALK_MPS, 1),
            departure=at,
            arrival=at + timedelta(seconds=secs),
            coords=coords,
        )


def _timed(r: StreetRoute | None, start: datetime, secs: float) -> Leg:
    if r is None:
        raise NoRoute("a stop of this journey cannot be reached on the street network", argument="from")
    return street_leg(r, departure=start, secs=secs)
