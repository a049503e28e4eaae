"""The query object of one trip plan, validated on construction."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from routing.core.errors import InvalidParameter
from routing.core.geo import check_latlon
from routing.transit.query import MAX_WINDOW_S

STREET_MODES = ("walk", "bike", "drive")
# Street modes timed along a route of another mode's graph (e-bike and e-scooter ride the bike
# graph, a taxi drives the drive graph).
ASSISTED_MODES = ("ebike", "escooter")
COMBINED_MODES = ("bike+transit", "park+ride")
# The fixed order options are listed in; the user chooses any other sort order.
MODE_ORDER = ("walk", "bike", "ebike", "escooter", "transit", "bike+transit", "park+ride", "drive", "taxi")
# Without ``modes``: the four plain modes and the combinations of them (which appear only when
# they differ from the plain options); e-bike, e-scooter and taxi are asked for by name.
DEFAULT_MODES = ("walk", "bike", "transit", "bike+transit", "park+ride", "drive")
MAX_WINDOW_MIN = MAX_WINDOW_S // 60
DEFAULT_MAX_WALK_M = 1200.0  # 15 minutes at 4.8 km/h


@dataclass(frozen=True)
class PlanRequest:
    """One trip to plan.

    Parameters
    ----------
    origin, destination
        ``(lat, lon)`` in WGS84 degrees.
    modes
        Any of :data:`MODE_ORDER`; options are listed in that order.
    at
        Time-zone-aware departure time (arrival time when ``arrive_by``); None means now.
    window_min
        Range query: every transit departure in ``[at, at + window_min]``.
    max_walk_m
        The longest walk to, from and between stops.
    exclude_route_types
        GTFS route_type values not to ride.
    frontier
        Flag each option with ``pareto`` (on the time × CO2e frontier of this answer or not).
    wheelchair
        Step-free journeys: walks avoid steps, raised kerbs, ``wheelchair=no`` and steep slopes
        (:mod:`routing.street.stepfree`); rides only on trips and at stops not stated
        inaccessible (:mod:`routing.transit.wheelchair`).
    """

    origin: tuple[float, float]
    destination: tuple[float, float]
    modes: tuple[str, ...] = DEFAULT_MODES
    at: datetime | None = None
    arrive_by: bool = False
    window_min: int = 0
    max_walk_m: float = DEFAULT_MAX_WALK_M
    exclude_route_types: frozenset[int] = field(default_factory=frozenset)
    strict_dates: bool = False
    car: str | None = None
    occupancy: int = 1
    pack: str | None = None
    body_mass_kg: float = 70.0
    frontier: bool = True
    wheelchair: bool = False

    def __post_init__(self) -> None:
        check_latlon(*self.origin, argument="from")
        check_latlon(*self.destination, argument="to")
        if not self.modes:
            raise InvalidParameter(f"modes is empty: choose some of {', '.join(MODE_ORDER)}", argument="modes")
        unknown = [m for m in self.modes if m not in MODE_ORDER]
        if unknown:
            raise InvalidParameter(
                f"unknown mode {unknown[0]!r}: choose among {', '.join(MODE_ORDER)}", argument="modes"
            )
        if self.at is not None and self.at.tzinfo is None:
            raise InvalidParameter("at must carry a time zone", argument="at")
        if not 0 <= self.window_min <= MAX_WINDOW_MIN:
            raise InvalidParameter(f"window must be 0..{MAX_WINDOW_MIN} minutes", argument="window")
        if not (math.isfinite(self.max_walk_m) and 0 <= self.max_walk_m <= 5000):
            raise InvalidParameter("max_walk_m must be between 0 and 5000 metres", argument="max_walk_m")
        if not 1 <= self.occupancy <= 9:
            raise InvalidParameter("occupancy must be a whole number from 1 to 9", argument="occupancy")
        if not (math.isfinite(self.body_mass_kg) and 20 <= self.body_mass_kg <= 300):
            raise InvalidParameter("body_mass_kg must be between 20 and 300", argument="body_mass_kg")
        if not isinstance(self.wheelchair, bool):
            raise InvalidParameter("wheelchair must be true or false", argument="wheelchair")
        for t in self.exclude_route_types:
            if not 0 <= t <= 1800:
                raise InvalidParameter(f"route type {t} is not a GTFS route_type", argument="exclude_route_types")

    @property
    def ordered_modes(self) -> tuple[str, ...]:
        return tuple(m for m in MODE_ORDER if m in self.modes)
