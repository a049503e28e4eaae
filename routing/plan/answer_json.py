"""The one place a typed plan answer becomes the JSON of docs/api.md.

The key order is part of the answer (the golden test hashes the bytes), so every object is
written field by field here, in the order served.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from routing.core.answer import (
    UNFLAGGED,
    Calories,
    Coords,
    JsonObject,
    Leg,
    LegEmissions,
    Notice,
    Option,
    OptionEmissions,
    Realtime,
    Served,
    TimetableNames,
    Timing,
    TransitLeg,
)
from routing.plan.answer import PlanAnswer
from routing.plan.request import PlanRequest

#: The wheelchair fields of a ride, in the order of ``TransitLeg.wheelchair``.
_WHEELCHAIR_KEYS = ("trip", "from_stop", "to_stop")


def iso(t: datetime) -> str:
    """A time as the answer writes it: ISO 8601 to the second, with its offset."""
    return t.isoformat(timespec="seconds")


def _line(coords: Coords) -> JsonObject:
    return {"type": "LineString", "coordinates": coords}


def stop_json(tt: TimetableNames, s: int) -> JsonObject:
    """A stop index as ``{"id", "name", "lat", "lon"}``."""
    return {"id": tt.stop_id(s), "name": tt.stop_name(s), "lat": float(tt.stop_lat[s]), "lon": float(tt.stop_lon[s])}


def notice_json(n: Notice) -> JsonObject:
    return {"code": n.code, "message": n.message, **dict(n.details)}


def _emissions(out: JsonObject, e: LegEmissions | None) -> JsonObject:
    if e is None:
        return out
    out["co2e_g"] = e.co2e_g
    out["factor"] = e.factor
    if e.calories is not None:
        _calories(out, e.calories)
    return out


def _calories(out: JsonObject, c: Calories) -> None:
    out["calories_kcal"] = c.kcal
    if c.method is not None:
        out["calories"] = c.method


def street_leg_json(leg: Leg) -> JsonObject:
    """A street leg, a straight walk or a transfer walk, each in the key order it has always had."""
    out: JsonObject
    if leg.between_stops is not None:
        if leg.timetable is None:
            raise ValueError("a walk between stops needs the timetable that names them")
        a, b = leg.between_stops
        out = {
            "mode": leg.mode,
            "from_stop": stop_json(leg.timetable, a),
            "to_stop": stop_json(leg.timetable, b),
            "departure": iso(leg.departure),
            "arrival": iso(leg.arrival),
            "duration_s": leg.duration_s,
            "distance_m": leg.distance_m,
            "geometry": _line(leg.coords),
            "steps": leg.steps,
        }
        if leg.elevation is not None:  # drawn along the streets
            out["elevation"] = leg.elevation
            out["elevation_gain_m"] = leg.elevation_gain_m
            out["elevation_loss_m"] = leg.elevation_loss_m
    elif leg.elevation is None:  # a straight walk where the streets do not join
        out = {
            "mode": leg.mode,
            "distance_m": leg.distance_m,
            "steps": leg.steps,
            "geometry": _line(leg.coords),
            "duration_s": leg.duration_s,
            "departure": iso(leg.departure),
            "arrival": iso(leg.arrival),
        }
    else:
        out = {
            "mode": leg.mode,
            "duration_s": leg.duration_s,
            "distance_m": leg.distance_m,
            "elevation_gain_m": leg.elevation_gain_m,
            "elevation_loss_m": leg.elevation_loss_m,
            "geometry": _line(leg.coords),
            "elevation": leg.elevation,
            "steps": leg.steps,
            "departure": iso(leg.departure),
            "arrival": iso(leg.arrival),
        }
        if leg.car_park is not None:
            out["car_park"] = {"lat": leg.car_park[0], "lon": leg.car_park[1]}
    return _emissions(out, leg.emissions)


def realtime_json(rt: Realtime) -> JsonObject:
    out: JsonObject = {"status": rt.status, "delay_s": rt.delay_s}
    if rt.status == "updated":
        out["departure_delay_s"] = rt.departure_delay_s
    out["scheduled_departure"] = None if rt.scheduled_departure is None else iso(rt.scheduled_departure)
    out["scheduled_arrival"] = None if rt.scheduled_arrival is None else iso(rt.scheduled_arrival)
    return out


def transit_leg_json(leg: TransitLeg) -> JsonObject:
    """A ride, its stops and trip named by its timetable."""
    tt = leg.timetable
    out: JsonObject = {
        "mode": "transit",
        "route": leg.route(),
        "headsign": tt.trip_headsign(leg.trip),
        "trip_id": tt.trip_id(leg.trip),
        "from_stop": stop_json(tt, leg.stops[0]),
        "to_stop": stop_json(tt, leg.stops[-1]),
        "departure": iso(leg.departure),
        "arrival": iso(leg.arrival),
        "intermediate_stops": [
            dict(stop_json(tt, s), arrival=iso(t)) for s, t in zip(leg.stops[1:-1], leg.stop_arrivals, strict=True)
        ],
        "stay_seated": leg.stay_seated,
        "distance_m": leg.distance_m,
        "duration_s": leg.duration_s,
        "geometry": _line(leg.coords),
    }
    if leg.realtime is not None:
        out["realtime"] = realtime_json(leg.realtime)
    if leg.alerts is not None:
        out["alerts"] = list(leg.alerts)
    if leg.wheelchair is not None:
        out["wheelchair"] = dict(zip(_WHEELCHAIR_KEYS, leg.wheelchair, strict=True))
    if leg.notices:
        out["notices"] = [notice_json(n) for n in leg.notices]
    return _emissions(out, leg.emissions)


def leg_json(leg: Leg | TransitLeg) -> JsonObject:
    return transit_leg_json(leg) if isinstance(leg, TransitLeg) else street_leg_json(leg)


def _timing(out: JsonObject, t: Timing) -> None:
    out["wait_s"] = t.wait_s
    if t.note is not None:
        out[t.note.code] = {"code": t.note.code, "date": t.note.day.isoformat(), "message": t.note.message}


def _option_emissions(out: JsonObject, e: OptionEmissions) -> None:
    out["co2e_g"] = e.co2e_g
    out["factor"] = e.factor
    if e.active:
        out["calories_kcal"] = e.calories_kcal
        out["calories_estimate"] = True


def option_json(option: Option) -> JsonObject:
    """One option; its geometry is its legs' lines end to end."""
    coords = Served(np.concatenate([leg.coords.array for leg in option.legs])) if option.legs else Served([])
    out: JsonObject = {
        "id": option.id,
        "mode": option.mode,
        "duration_s": option.duration_s,
        "distance_m": option.distance_m,
        "elevation_gain_m": option.elevation_gain_m,
        "elevation_loss_m": option.elevation_loss_m,
        "departure": iso(option.departure),
        "arrival": iso(option.arrival),
        "transfers": option.transfers,
        "walk_distance_m": option.walk_distance_m,
    }
    if option.rides:
        out["fare"] = option.fare
    out["geometry"] = _line(coords)
    out["legs"] = [leg_json(leg) for leg in option.legs]
    if option.timing is not None:
        _timing(out, option.timing)
    if option.emissions is not None:
        _option_emissions(out, option.emissions)
    if option.pareto is not UNFLAGGED:
        out["pareto"] = option.pareto
    return out


def request_json(req: PlanRequest, at: datetime) -> JsonObject:
    """The request as the answer echoes it, with the time it was planned for."""
    return {
        "from": list(req.origin),
        "to": list(req.destination),
        "modes": list(req.ordered_modes),
        "at": iso(at),
        "arrive_by": req.arrive_by,
        "window": req.window_min,
        "max_walk_m": req.max_walk_m,
        "exclude_route_types": sorted(req.exclude_route_types),
        "car": req.car,
        "occupancy": req.occupancy,
        "pack": req.pack,
        "body_mass_kg": req.body_mass_kg,
        "strict_dates": req.strict_dates,
        "frontier": req.frontier,
        # only when asked: the answers of every other request stay byte for byte as they were
        **({"wheelchair": True} if req.wheelchair else {}),
    }


def answer_json(answer: PlanAnswer) -> JsonObject:
    """The ``/api/plan`` body (without ``page``, which the web layer adds)."""
    errors: dict[str, JsonObject] = {}
    for e in answer.errors:
        exc = e.error
        errors[e.mode] = {
            "error": exc.code,
            "message": exc.message,
            **({"argument": exc.argument} if exc.argument else {}),
        }
    return {
        "options": [option_json(o) for o in answer.options],
        "request": request_json(answer.request, answer.at),
        "notices": [notice_json(n) for n in answer.notices],
        "errors": errors,
        "data": answer.data,
    }
