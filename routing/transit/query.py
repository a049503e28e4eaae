"""Query and answer objects of the transit search."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from routing.core.errors import InvalidParameter

#: The largest ``max_transfers`` accepted; more rounds than this never help a real city.
MAX_TRANSFERS = 12
#: The longest range query window accepted (seconds).
MAX_WINDOW_S = 24 * 3600


def _plain_points(value: tuple[Any, ...] | list[Any]) -> bool:
    """Whether every entry already is an ``(int >= 0, finite float >= 0)`` tuple.

    The planner's access sets hold thousands of stops; checked with C-level maps this is ~10x
    quicker than the loop of :func:`_points`, which still gives the message for anything else.
    """
    if set(map(type, value)) != {tuple} or set(map(len, value)) != {2}:
        return False
    stops, secs = zip(*value, strict=True)
    return (
        set(map(type, stops)) == {int}
        and min(stops) >= 0
        and set(map(type, secs)) == {float}
        and all(map(math.isfinite, secs))
        and min(secs) >= 0
    )


class StopPoints(Sequence[tuple[int, float]]):
    """``(stop index, seconds)`` pairs in stop order, checked once, held as arrays.

    The combined modes' access sets hold 500-1,200 stops; made from their arrays with
    :func:`stop_points`, a query neither checks nor converts them pair by pair again, and the
    pairs become Python tuples only if something iterates them (the router searches from
    :attr:`array`, rebuilt journeys look their stops up with :meth:`least`). Otherwise it is
    the tuple of its pairs: equal to it, hashed as it.
    """

    __slots__ = ("_pairs", "array", "secs", "stops")

    def __init__(self, stops: NDArray[np.int64], secs: NDArray[np.float64]) -> None:
        self.stops = stops  # i → stop, ascending
        self.secs = secs  # i → seconds, ascending within a stop
        self.array = np.column_stack([stops.astype(np.float64), secs])  # the (n, 2) float form the router takes
        self._pairs: tuple[tuple[int, float], ...] | None = None

    def pairs(self) -> tuple[tuple[int, float], ...]:
        """The pairs as a tuple (made on first use)."""
        if self._pairs is None:
            self._pairs = tuple(zip(self.stops.tolist(), self.secs.tolist(), strict=True))
        return self._pairs

    def least(self, stop: int) -> float:
        """The least seconds of ``stop`` (its first pair).

        Raises
        ------
        KeyError
            If ``stop`` has no pair.
        """
        i = int(np.searchsorted(self.stops, stop))
        if i == len(self.stops) or int(self.stops[i]) != stop:
            raise KeyError(stop)
        return float(self.secs[i])

    def __len__(self) -> int:
        return len(self.stops)

    @overload
    def __getitem__(self, i: int) -> tuple[int, float]: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[tuple[int, float], ...]: ...
    def __getitem__(self, i: int | slice) -> tuple[int, float] | tuple[tuple[int, float], ...]:
        return self.pairs()[i]

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return iter(self.pairs())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StopPoints):
            return self.pairs() == other.pairs()
        return isinstance(other, tuple) and self.pairs() == other

    def __hash__(self) -> int:
        return hash(self.pairs())

    def __repr__(self) -> str:
        return f"StopPoints({self.pairs()!r})"


def stop_points(stops: NDArray[np.integer[Any]], secs: NDArray[np.floating[Any]], *, name: str) -> StopPoints:
    """:class:`StopPoints` of ``stops`` and their ``secs``, sorted by stop, then seconds.

    Raises
    ------
    InvalidParameter
        (naming ``name``) if the arrays are empty, differ in length, a stop is negative or not an
        integer, or a time is negative or not finite.
    """
    stops, secs = np.asarray(stops), np.asarray(secs)
    if stops.ndim != 1 or stops.shape != secs.shape or not len(stops):
        raise InvalidParameter(f"{name} must be a non-empty sequence of (stop index, seconds)", argument=name)
    if not np.issubdtype(stops.dtype, np.integer) or int(stops.min()) < 0:
        raise InvalidParameter(f"{name}: stop indices must be non-negative integers", argument=name)
    if not np.issubdtype(secs.dtype, np.floating) or not np.isfinite(secs).all() or float(secs.min()) < 0:
        raise InvalidParameter(f"{name}: walking seconds must be finite and >= 0", argument=name)
    if not (stops[1:] > stops[:-1]).all():  # one pair per stop, ascending, needs no sort (a first mile's)
        order = np.lexsort((secs, stops))
        stops, secs = stops[order], secs[order]
    return StopPoints(stops.astype(np.int64), secs.astype(np.float64))


def _points(value: Any, name: str) -> Sequence[tuple[int, float]]:
    if isinstance(value, StopPoints):
        return value
    if not isinstance(value, tuple | list) or not value:
        raise InvalidParameter(f"{name} must be a non-empty sequence of (stop index, seconds)", argument=name)
    if _plain_points(value):
        return tuple(value)
    out = []
    for item in value:
        try:
            stop, secs = item
        except (TypeError, ValueError) as exc:
            raise InvalidParameter(f"{name} entries must be (stop index, seconds) pairs", argument=name) from exc
        if isinstance(stop, bool) or not isinstance(stop, int) or stop < 0:
            raise InvalidParameter(f"{name}: stop index {stop!r} is not a non-negative integer", argument=name)
        if isinstance(secs, bool) or not isinstance(secs, int | float) or not math.isfinite(secs) or secs < 0:
            raise InvalidParameter(f"{name}: walking seconds {secs!r} must be finite and >= 0", argument=name)
        out.append((int(stop), float(secs)))
    return tuple(out)


@dataclass(frozen=True)
class TransitQuery:
    """A stop-set to stop-set transit search.

    Parameters
    ----------
    access
        ``(stop index, walking seconds from the origin)`` pairs.
    egress
        ``(stop index, walking seconds to the destination)`` pairs.
    at
        Time-zone-aware departure time, or arrival time when ``arrive_by``.
    arrive_by
        Search backwards from an arrival time.
    window_s
        Range query: every Pareto-optimal journey departing in ``[at, at + window_s]`` (or
        arriving in ``[at - window_s, at]`` when ``arrive_by``).
    max_transfers
        Vehicle changes allowed (staying seated in a block is not a change).
    exclude_route_types
        GTFS route_type values not to ride.
    strict_dates
        Do not fall back to another date when the query date is outside a feed.
    transfer_walk_s
        The longest footpath taken between two stops, in walking seconds (the planner passes
        the request's walking limit); None takes every footpath the timetable holds.
    """

    access: Sequence[tuple[int, float]]  # a tuple, or StopPoints
    egress: Sequence[tuple[int, float]]
    at: dt.datetime
    arrive_by: bool = False
    window_s: int = 0
    max_transfers: int = 6
    exclude_route_types: frozenset[int] = frozenset()
    strict_dates: bool = False
    transfer_walk_s: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "access", _points(self.access, "access"))
        object.__setattr__(self, "egress", _points(self.egress, "egress"))
        if not isinstance(self.at, dt.datetime) or self.at.utcoffset() is None:
            raise InvalidParameter("at must be a time-zone-aware datetime", argument="at")
        if not 1900 <= self.at.year <= 2200:
            raise InvalidParameter("at must be a date between 1900 and 2200", argument="at")
        if not isinstance(self.arrive_by, bool):
            raise InvalidParameter("arrive_by must be true or false", argument="arrive_by")
        if (
            isinstance(self.window_s, bool)
            or not isinstance(self.window_s, int)
            or not 0 <= self.window_s <= MAX_WINDOW_S
        ):
            raise InvalidParameter(f"window_s must be an integer from 0 to {MAX_WINDOW_S}", argument="window")
        if (
            isinstance(self.max_transfers, bool)
            or not isinstance(self.max_transfers, int)
            or not 0 <= self.max_transfers <= MAX_TRANSFERS
        ):
            raise InvalidParameter(
                f"max_transfers must be an integer from 0 to {MAX_TRANSFERS}", argument="max_transfers"
            )
        try:
            types = frozenset(self.exclude_route_types)
        except TypeError as exc:
            raise InvalidParameter(
                "exclude_route_types must be a set of integers", argument="exclude_route_types"
            ) from exc
        if any(isinstance(t, bool) or not isinstance(t, int) for t in types):
            raise InvalidParameter(
                "exclude_route_types must hold GTFS route_type integers", argument="exclude_route_types"
            )
        object.__setattr__(self, "exclude_route_types", types)
        if not isinstance(self.strict_dates, bool):
            raise InvalidParameter("strict_dates must be true or false", argument="strict_dates")
        limit = self.transfer_walk_s
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int | float) or not (math.isfinite(limit) and limit >= 0)
        ):
            raise InvalidParameter("transfer_walk_s must be None or finite seconds >= 0", argument="transfer_walk_s")


@dataclass(frozen=True)
class RideLeg:
    """One trip ridden from pattern position ``board`` to ``alight``; times in seconds after
    the journey's ``base``."""

    trip: int
    board: int
    alight: int
    departure_s: int
    arrival_s: int
    stay_seated: bool  # the vehicle continues as the next ride leg (same block)


@dataclass(frozen=True)
class TransferLeg:
    """A footpath between two stops between rides."""

    from_stop: int
    to_stop: int
    departure_s: int
    duration_s: int


@dataclass(frozen=True)
class Journey:
    """One Pareto-optimal journey from an access stop to an egress stop."""

    departure: dt.datetime  # leaving the origin (access walk included)
    arrival: dt.datetime  # reaching the destination (egress walk included)
    transfers: int
    access: tuple[int, float]
    egress: tuple[int, float]
    legs: tuple[RideLeg | TransferLeg, ...]
    base: dt.datetime  # the service day's "noon minus 12 h" (UTC) the leg seconds count from
    fare: dict[str, Any] | None = None

    @property
    def duration_s(self) -> float:
        return (self.arrival - self.departure).total_seconds()

    @property
    def rides(self) -> list[RideLeg]:
        return [leg for leg in self.legs if isinstance(leg, RideLeg)]


@dataclass
class TransitAnswer:
    """Journeys (sorted by departure, then arrival) and notices about how they were found."""

    journeys: list[Journey]
    notices: list[dict[str, str]] = field(default_factory=list)
    service_date: dt.date | None = None  # the date asked for
    feed_dates: dict[str, str | None] = field(default_factory=dict)  # feed → date used
