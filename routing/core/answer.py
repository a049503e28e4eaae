"""The typed plan answer: legs, options and notices, kept as values until the JSON edge.

Stops, trips and routes stay indices into the timetable that found them (a ride carries that
timetable, which names them); times stay datetimes. :mod:`routing.plan.answer_json` alone turns
these values into the docs/api.md JSON. They live in the core layer because the transit layer
builds the rides and the emissions layer annotates every leg, and neither may import the planner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from routing.core.errors import GreenrouteError


class Served(Sequence[Any]):
    """Numbers as the answer serves them (rounded already), kept in one numpy array to the JSON edge.

    A plan's lines hold about ten thousand coordinates; making them nested Python lists took a
    tenth of the plan's time, and the JSON provider encodes the array itself (``.array``, C order,
    float64), writing each number as it writes a Python float. Read as a sequence it is the lists
    it stands for: ``line[0]`` is ``[lon, lat]``, and it equals those lists.
    """

    __slots__ = ("array",)

    def __init__(self, values: NDArray[np.float64] | Sequence[Any]) -> None:
        array = np.ascontiguousarray(values, dtype=np.float64)
        array.flags.writeable = False  # shared by answer values that are copies of each other
        self.array: NDArray[np.float64] = array

    def tolist(self) -> list[Any]:
        """The nested lists of Python floats this stands for."""
        result: list[Any] = self.array.tolist()
        return result

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        return self.array[i].tolist()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Served):
            return self.array.shape == other.array.shape and bool(np.array_equal(self.array, other.array))
        if isinstance(other, list | tuple):
            return self.tolist() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a value compared by content, like the lists

    def __repr__(self) -> str:
        return f"Served({self.tolist()!r})"


#: ``[lon, lat]`` pairs of a leg's line, rounded as served: an ``(n, 2)`` :class:`Served`.
Coords = Served
#: A JSON object as served: what the answer passes on unread (a factor pack's citation, a fare,
#: an alert's texts, a route's names) and what :mod:`routing.plan.answer_json` writes. Only these
#: stay dicts; everything the planner reads is a typed field.
JsonObject = dict[str, Any]

_V = TypeVar("_V")


def evolve(value: _V, **changes: Any) -> _V:
    """A copy of the frozen answer value ``value`` with ``changes``: :func:`dataclasses.replace`
    without its per-field checks, which were half the time of annotating an answer's emissions.

    The answer's classes have no ``__post_init__`` and no init-only fields, so copying the
    fields is all ``replace`` would do; an unknown name is refused as it would be.
    """
    fields = value.__dict__
    unknown = changes.keys() - fields.keys()
    if unknown:
        raise TypeError(f"{type(value).__name__} has no field {sorted(unknown)[0]!r}")
    new = object.__new__(type(value))
    new.__dict__.update(fields)
    new.__dict__.update(changes)
    return new


_R = TypeVar("_R")


def each_ride(
    legs: Sequence[Leg | TransitLeg], rides: Iterable[_R], change: Callable[[TransitLeg, _R], TransitLeg]
) -> list[Leg | TransitLeg]:
    """``legs`` with each ride leg replaced by ``change(leg, ride)``, ``rides`` taken in order (a
    journey's rides, one per ride leg); the walks between them as they are."""
    rides = iter(rides)
    return [change(leg, next(rides)) if isinstance(leg, TransitLeg) else leg for leg in legs]


class TimetableNames(Protocol):
    """What the JSON edge asks of a timetable to name the stops, trips and routes of a ride."""

    stop_lat: Any
    stop_lon: Any
    trip_route: Any

    def stop_id(self, i: int) -> str: ...

    def stop_name(self, i: int) -> str: ...

    def trip_id(self, t: int) -> str: ...

    def trip_headsign(self, t: int) -> str: ...

    def route_info(self, r: int) -> JsonObject: ...


@dataclass(frozen=True)
class Notice:
    """A notice of the answer or of one leg: ``code``, ``message`` and, for some codes, more fields.

    ``details`` are the further ``(name, value)`` pairs in the order they are served (the parts
    of a cancelled trip's message, the options it concerns).
    """

    code: str
    message: str
    details: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, d: JsonObject) -> Notice:
        """The notice of a lower layer's ``{"code", "message", ...}`` dict (router, feed dates, realtime)."""
        rest = tuple((k, v) for k, v in d.items() if k not in ("code", "message"))
        return cls(code=str(d["code"]), message=str(d["message"]), details=rest)


@dataclass(frozen=True)
class Calories:
    """The calorie estimate of a walking or cycling leg: gross kcal and the method (None: unknown)."""

    kcal: float | None
    method: JsonObject | None = None  # JSON as served: MET, Compendium code, source


@dataclass(frozen=True)
class LegEmissions:
    """A leg's CO2e (None: unknown, never 0) and its cited factor; calories for active legs."""

    co2e_g: float | None
    # the factor pack's entry (value, unit, scope, source, year) with what applied
    factor: JsonObject
    calories: Calories | None = None


@dataclass(frozen=True)
class Leg:
    """A street leg (walk, bike, drive and the rest), or a walk between two stops.

    ``elevation`` None is a straight line (no street drawn); ``between_stops`` is the
    ``(from, to)`` stop indices of a transfer walk, named by ``timetable``.
    """

    mode: str
    duration_s: float
    distance_m: float
    departure: datetime
    arrival: datetime
    coords: Coords
    steps: list[JsonObject] = field(default_factory=list)
    elevation: Served | None = None  # metres at each of ``coords``, rounded as served
    elevation_gain_m: float = 0.0
    elevation_loss_m: float = 0.0
    between_stops: tuple[int, int] | None = None
    timetable: TimetableNames | None = field(default=None, compare=False, repr=False)
    car_park: tuple[float, float] | None = None  # (lat, lon) where a park-and-ride leaves the car
    emissions: LegEmissions | None = None

    def route(self) -> JsonObject | None:
        """A street leg rides no route."""
        return None


@dataclass(frozen=True)
class Realtime:
    """What the trip updates say of one ride (``status``: scheduled, updated or added)."""

    status: str
    delay_s: int | None
    scheduled_departure: datetime | None
    scheduled_arrival: datetime | None
    departure_delay_s: int | None = None  # given for "updated" only


@dataclass(frozen=True)
class TransitLeg:
    """One ride: trip ``trip`` of ``timetable`` from ``stops[0]`` to ``stops[-1]`` (stop indices).

    ``stop_arrivals`` are the arrivals at the stops between; ``alerts`` None is "no alert feed"
    (the key is left out), ``()`` "none of its alerts concerns this ride".
    """

    timetable: TimetableNames = field(compare=False, repr=False)
    trip: int
    stops: tuple[int, ...]
    departure: datetime
    arrival: datetime
    stop_arrivals: tuple[datetime, ...]
    stay_seated: bool
    distance_m: float
    duration_s: float
    coords: Coords
    realtime: Realtime | None = None
    alerts: tuple[JsonObject, ...] | None = None  # JSON as served: GTFS-realtime alert texts
    wheelchair: tuple[str, str, str] | None = None  # trip, boarding stop, alighting stop
    notices: tuple[Notice, ...] = ()
    emissions: LegEmissions | None = None

    mode = "transit"

    @property
    def route_index(self) -> int:
        return int(self.timetable.trip_route[self.trip])

    def route(self) -> JsonObject:
        """The route as docs/api.md shapes it (id, names, GTFS type, agency, colour).

        Made once per ride and kept (the emissions and the JSON edge both ask); a copy made with
        :func:`evolve` keeps it, as it keeps the trip.
        """
        cached: JsonObject | None = self.__dict__.get("_route")
        if cached is None:
            cached = self.__dict__["_route"] = self.timetable.route_info(self.route_index)
        return cached

    @property
    def trip_id(self) -> str:
        return self.timetable.trip_id(self.trip)


AnyLeg = Leg | TransitLeg


@dataclass(frozen=True)
class DayNote:
    """A transit option on another calendar day than the one asked for.

    ``code`` is ``later_day`` (depart-at: the first journey of ``day``) or ``earlier_day``
    (arrive-by: the last one).
    """

    code: str
    day: date
    message: str


@dataclass(frozen=True)
class Timing:
    """When a transit option leaves against the time asked: ``wait_s`` and the other-day note."""

    wait_s: int
    note: DayNote | None = None


@dataclass(frozen=True)
class OptionEmissions:
    """An option's CO2e (the exact sum of its legs', None when one is unknown), factor and kcal.

    ``calories_kcal`` is only meaningful when ``active`` (the option has a walking or cycling leg).
    """

    co2e_g: float | None
    factor: JsonObject  # JSON as served: one leg's factor, or the pack and "see each leg"
    active: bool = False
    calories_kcal: float | None = None


class Unflagged(Enum):
    """The frontier was not asked for: the option has no ``pareto`` key."""

    UNFLAGGED = "unflagged"


UNFLAGGED = Unflagged.UNFLAGGED


@dataclass(frozen=True)
class Option:
    """One way to make the trip: a street mode (one leg) or a journey with rides.

    The ``geometry`` served is the legs' lines end to end; ``fare`` is served for options that ride.
    """

    id: str
    mode: str
    duration_s: float
    distance_m: float
    elevation_gain_m: float
    elevation_loss_m: float
    departure: datetime
    arrival: datetime
    transfers: int
    walk_distance_m: float
    legs: tuple[AnyLeg, ...]
    fare: JsonObject | None = None  # JSON as served: the fare rules' answer
    timing: Timing | None = None
    emissions: OptionEmissions | None = None
    pareto: bool | None | Unflagged = UNFLAGGED

    @property
    def rides(self) -> tuple[TransitLeg, ...]:
        return tuple(leg for leg in self.legs if isinstance(leg, TransitLeg))


@dataclass(frozen=True)
class ModeError:
    """Why one requested mode gave no option."""

    mode: str
    error: GreenrouteError


def notices_unique(notices: Sequence[Notice]) -> list[Notice]:
    """``notices`` without repeats, first ones kept."""
    out: list[Notice] = []
    for n in notices:
        if n not in out:
            out.append(n)
    return out
