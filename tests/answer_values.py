"""Small hand-built answer values for unit tests of the answer's parts."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime, timedelta
from typing import Any

from routing.core.answer import Leg, Option, Served, TransitLeg
from routing.plan.street_legs import one_leg_option

#: A Monday morning in Porto Alegre.
AT = datetime.fromisoformat("2026-11-23T08:00:00-03:00")


def street_leg(mode: str = "walk", *, secs: float = 600.0, metres: float = 800.0, at: datetime = AT) -> Leg:
    """A two-point street leg of ``mode`` leaving at ``at``."""
    return Leg(
        mode=mode,
        duration_s=secs,
        distance_m=metres,
        departure=at,
        arrival=at + timedelta(seconds=secs),
        coords=Served([[-51.2287, -30.0277], [-51.2210, -30.0290]]),
        elevation=Served([10.0, 12.5]),
        elevation_gain_m=2.5,
    )


def street_option(
    option_id: str = "walk", *, mode: str | None = None, secs: float = 600.0, metres: float = 800.0
) -> Option:
    """A one-leg street option, as the planner makes them."""
    leg = street_leg(mode or option_id, secs=secs, metres=metres)
    return one_leg_option(leg, option_id=option_id, mode=mode or option_id)


class Names:
    """A timetable of one route whose trips are named ``trip_ids`` and whose stops lie on a line."""

    def __init__(self, trip_ids: tuple[str, ...], *, route_type: int = 3) -> None:
        self.trip_ids = trip_ids
        self.stop_lat = [-30.0 - i / 1000 for i in range(10)]
        self.stop_lon = [-51.2 - i / 1000 for i in range(10)]
        self.trip_route = [0] * len(trip_ids)
        self.route_type = route_type

    def stop_id(self, i: int) -> str:
        return f"t:S{i}"

    def stop_name(self, i: int) -> str:
        return f"Stop {i}"

    def trip_id(self, t: int) -> str:
        return self.trip_ids[t]

    def trip_headsign(self, t: int) -> str:
        return "Centro"

    def route_info(self, r: int) -> dict[str, object]:
        return {"id": "t:R1", "short_name": "R1", "long_name": "", "type": self.route_type, "agency": "", "color": ""}


def ride(
    names: Names, trip: int, *, stops: tuple[int, ...] = (0, 1), at: datetime = AT, secs: float = 300.0
) -> TransitLeg:
    """A ride of ``names``' trip ``trip`` between the first and last of ``stops``."""
    step = timedelta(seconds=secs / (len(stops) - 1))
    return TransitLeg(
        timetable=names,
        trip=trip,
        stops=stops,
        departure=at,
        arrival=at + timedelta(seconds=secs),
        stop_arrivals=tuple(at + step * n for n in range(1, len(stops) - 1)),
        stay_seated=False,
        distance_m=1000.0,
        duration_s=secs,
        coords=Served([[names.stop_lon[s], names.stop_lat[s]] for s in stops]),
    )


class RouteNames(Names):
    """A timetable whose one route is ``route`` (any shape, to test what the emissions code accepts)."""

    def __init__(self, route: dict[str, object]) -> None:
        super().__init__(("t:T1",))
        self.route = route

    def route_info(self, r: int) -> dict[str, object]:
        return dict(self.route)


def typed_leg(d: dict[str, Any]) -> Leg | TransitLeg:
    """The leg a test's ``{"mode", "distance_m", "duration_s", "route"}`` stands for (missing numbers NaN)."""
    secs = float(d.get("duration_s", math.nan))
    if d["mode"] == "transit":
        leg = ride(RouteNames(d["route"]), 0, secs=secs if math.isfinite(secs) else 300.0)
        return dataclasses.replace(leg, distance_m=d["distance_m"], duration_s=secs)
    return dataclasses.replace(street_leg(d["mode"], metres=d["distance_m"]), duration_s=secs)


def typed_option(d: dict[str, Any]) -> Option:
    """The option a test's ``{"id", "mode", "legs": [...]}`` stands for."""
    legs = tuple(typed_leg(leg) for leg in d["legs"])
    return dataclasses.replace(street_option(d["id"], mode=d["mode"]), legs=legs)


def annotate_json(options: list[dict[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    """:func:`~routing.emissions.annotate_options` of the typed options the test dicts stand for, as served."""
    from routing.emissions import annotate_options
    from routing.plan.answer_json import option_json

    return [option_json(o) for o in annotate_options([typed_option(d) for d in options], **kwargs)]
