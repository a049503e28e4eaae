"""The fare of a journey under GTFS fares v1 (fare_attributes.txt + fare_rules.txt)."""

from __future__ import annotations

from typing import Any

from routing.transit.query import Journey, RideLeg
from routing.transit.timetable import Timetable


def _candidates(fares: dict[str, Any], route: str, zones: list[str]) -> list[str]:
    """Fare ids whose rules accept a ride on ``route`` through ``zones`` (first = origin)."""
    if not fares["rules"]:
        return sorted(fares["attributes"])  # fares without rules apply to every ride
    ok = set()
    for fare_id, r_route, origin, dest, contains in fares["rules"]:
        if r_route and r_route != route:
            continue
        if origin and origin != zones[0]:
            continue
        if dest and dest != zones[-1]:
            continue
        if contains and contains not in zones:
            continue
        ok.add(fare_id)
    return sorted(ok)


def journey_fare(tt: Timetable, journey: Journey) -> dict[str, Any] | None:
    """``{"amount": 2.5, "currency": "USD"}``, or None when a ride has no known fare or the rides'
    currencies differ.

    Tickets are bought greedily: a ride reuses the previous ticket when its fare applies, it
    still allows a transfer and its ``transfer_duration`` has not run out; otherwise the
    cheapest applicable fare is bought.
    """
    all_fares: dict[str, Any] = tt.meta.get("fares") or {}
    total = 0.0
    currency: str | None = None
    ticket: dict[str, Any] | None = None  # feed, fare_id, transfers_left, bought_at
    previous_seated = False
    for leg in journey.legs:
        if not isinstance(leg, RideLeg):
            continue
        feed = tt.feeds[tt.feed_of_trip(leg.trip)]["name"]
        fares = all_fares.get(feed)
        if not fares:
            return None
        zoned = any(rule[2] or rule[3] or rule[4] for rule in fares["rules"])
        zones = [""]
        if zoned:  # zones are only looked up when a rule names one
            stops = tt.pattern_slice(int(tt.trip_pattern[leg.trip]))[leg.board : leg.alight + 1]
            zones = [tt.stop_zone(int(s)) for s in stops.tolist()]
        route = tt.meta["route_ids"][int(tt.trip_route[leg.trip])]
        options = _candidates(fares, route, zones)
        if not options:
            return None
        if ticket is not None and ticket["feed"] == feed and ticket["fare"] in options:
            attrs = fares["attributes"][ticket["fare"]]
            in_time = attrs["duration"] < 0 or leg.departure_s - ticket["at"] <= attrs["duration"]
            if previous_seated or (ticket["left"] != 0 and in_time):
                if not previous_seated and ticket["left"] > 0:
                    ticket["left"] -= 1
                previous_seated = leg.stay_seated
                continue
        fare_id = min(options, key=lambda f: (fares["attributes"][f]["price"], f))
        attrs = fares["attributes"][fare_id]
        if currency not in (None, attrs["currency"]):
            return None
        currency = attrs["currency"]
        total += attrs["price"]
        ticket = {"feed": feed, "fare": fare_id, "left": attrs["transfers"], "at": leg.departure_s}
        previous_seated = leg.stay_seated
    if currency is None:
        return None
    return {"amount": round(total, 2), "currency": currency}
