"""Service alerts matched to a ride: by ``informed_entity`` and ``active_period``.

An informed entity names some of agency, route, route type, stop and trip; it concerns a ride
when every field it names matches (GTFS-Realtime's rule: the fields of one entity are ANDed, the
entities of one alert ORed). A stop matches the ride's boarding or alighting stop or their
parent station. Agencies are matched by name (the compiled timetable keeps agency names, not
ids) or, when the feed has a single agency, by any id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from routing.transit.query import Journey, RideLeg
from routing.transit.realtime_feed import Alert, InformedEntity
from routing.transit.timetable import Timetable

#: The language of a text shown when the feed tags none as untranslated ("").
_FALLBACK_LANGUAGES = ("", "en")


def _pick(texts: dict[str, str]) -> str | None:
    for lang in _FALLBACK_LANGUAGES:
        if lang in texts:
            return texts[lang]
    return next(iter(texts.values()), None)


def _active(alert: Alert, when: float) -> bool:
    if not alert.periods:
        return True
    return any((start == 0 or start <= when) and (end == 0 or when <= end) for start, end in alert.periods)


def _bare(prefixed: str) -> str:
    return prefixed.split(":", 1)[1] if ":" in prefixed else prefixed


@dataclass(frozen=True)
class _Ride:
    """What an informed entity is matched against: the ride's agency, route, trip and stops, as
    the feed names them (without the compiled timetable's feed prefix)."""

    agency: str
    single_agency: bool
    route_id: str
    route_type: int
    trip_id: str
    stops: frozenset[str]


def _matches(e: InformedEntity, ride: _Ride) -> bool:
    named = False
    if e.agency_id:
        named = True
        if not (ride.single_agency or e.agency_id == ride.agency):
            return False
    if e.route_id:
        named = True
        if e.route_id != ride.route_id:
            return False
    if e.route_type is not None:
        named = True
        if e.route_type != ride.route_type:
            return False
    if e.trip_id:
        named = True
        if e.trip_id != ride.trip_id:
            return False
    if e.stop_id:
        named = True
        if e.stop_id not in ride.stops:
            return False
    return named


def _context(tt: Timetable, ride: RideLeg, ends: tuple[int, int]) -> _Ride:
    stops: set[str] = set()
    for s in ends:
        stops.add(_bare(tt.stop_id(s)))
        parent = int(tt.stop_parent[s])
        if parent >= 0:
            stops.add(_bare(tt.stop_id(parent)))
    route = int(tt.trip_route[ride.trip])
    feed = tt.feed_of_trip(ride.trip)
    agencies = {a for r, a in enumerate(tt.meta["route_agency"]) if int(tt.route_feed[r]) == feed}
    trip_id = _bare(tt.trip_id(ride.trip)).split("@", 1)[0].removesuffix("+dup")
    return _Ride(
        agency=tt.meta["route_agency"][route],
        single_agency=len(agencies) == 1,
        route_id=_bare(tt.meta["route_ids"][route]),
        route_type=int(tt.route_type[route]),
        trip_id=trip_id,
        stops=frozenset(stops),
    )


def alert_dict(alert: Alert) -> dict[str, Any]:
    """An alert as docs/api.md shapes it; ``translations`` holds every language the feed gives."""
    langs = sorted(set(alert.header) | set(alert.description) | set(alert.url))
    return {
        "header": _pick(alert.header),
        "description": _pick(alert.description),
        "url": _pick(alert.url),
        "effect": alert.effect,
        "cause": alert.cause,
        "translations": {
            lang: {key: getattr(alert, key).get(lang) for key in ("header", "description", "url")}
            for lang in langs
            if lang
        },
    }


def leg_alerts(
    alerts: tuple[tuple[int, Alert], ...],
    tt: Timetable,
    journey: Journey,
    ride: RideLeg,
    *,
    stops: tuple[int, int],
) -> list[dict[str, Any]]:
    """The alerts of the ride's feed that concern it and are active when it leaves (``stops``: the
    indices of its boarding and alighting stops)."""
    feed = tt.feed_of_trip(ride.trip)
    when = (journey.base + dt.timedelta(seconds=ride.departure_s)).timestamp()
    ctx: _Ride | None = None
    out = []
    for fi, alert in alerts:
        if fi != feed or not _active(alert, when):
            continue
        ctx = ctx or _context(tt, ride, stops)
        if any(_matches(e, ctx) for e in alert.entities):
            out.append(alert_dict(alert))
    return out
