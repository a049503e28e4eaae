"""What a log entry holds, derived from a /api/plan option, and how it is written back out.

Without ``keep_places`` an entry holds no place at all: no coordinates, geometry, stop or route
names. The leg summary keeps only each leg's mode, distance, duration and CO2e.
"""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from webapp.errors import ApiError
from webapp.footprint import checks as c
from webapp.footprint.auth import utcnow
from webapp.footprint.models import Trip

MAX_DISTANCE_M = 40_000_000.0  # once around the Earth
MAX_DURATION_S = 30 * 86400.0
MAX_CO2E_G = 1e9
MAX_LEGS = 200
MAX_POINTS = 20_000
_BODY_KEYS = {"option", "factors", "keep_places"}
_PATCH_KEYS = {"started_at", "mode"}


def fields_from_plan(body: Any) -> dict[str, Any]:
    """Column values of a new entry from ``{"option", "factors", "keep_places"}``.

    Parameters
    ----------
    body
        The decoded JSON body of ``POST /api/footprint/trips``: ``option`` as one item of
        ``options`` in the /api/plan answer, ``factors`` as its ``data.factors``.
    """
    body = c.obj(body, "body")
    unknown = sorted(set(body) - _BODY_KEYS)
    if unknown:
        raise c.bad(unknown[0], "unknown field; send option, factors and keep_places only")
    if "option" not in body:
        raise c.bad("option", "is required: one option object of the /api/plan answer")
    if "factors" not in body:
        raise c.bad("factors", "is required: the data.factors object of the /api/plan answer")
    option = c.obj(body["option"], "option")
    factors = c.obj(body["factors"], "factors")
    keep_places = c.boolean(body.get("keep_places", False), "keep_places")

    mode = c.mode(option.get("mode"), "option.mode")
    distance = c.number(option.get("distance_m"), "option.distance_m", lo=0, hi=MAX_DISTANCE_M)
    duration = c.number(option.get("duration_s"), "option.duration_s", lo=0, hi=MAX_DURATION_S)
    co2e = c.optional_number(option.get("co2e_g"), "option.co2e_g", lo=0, hi=MAX_CO2E_G)
    if "departure" in option:
        started, offset = c.timestamp(option["departure"], "option.departure")
    else:
        started, offset = utcnow().replace(microsecond=0), 0
    raw_legs = c.array(option.get("legs", []), "option.legs", max_len=MAX_LEGS)
    legs = [_leg_summary(leg, f"option.legs[{i}]") for i, leg in enumerate(raw_legs)]
    if not legs:
        legs = [{"mode": mode, "distance_m": distance, "duration_s": duration, "co2e_g": co2e}]
    return {
        "uuid": str(uuidlib.uuid4()),
        "started_at": started,
        "utc_offset_min": offset,
        "mode": mode,
        "modes": [leg["mode"] for leg in legs],
        "legs": legs,
        "by_mode": by_mode_of(legs),
        "distance_m": distance,
        "duration_s": duration,
        "co2e_g": co2e,
        "factor_pack": c.label(factors.get("pack"), "factors.pack"),
        "factor_version": c.label(factors.get("version"), "factors.version"),
        "logged_at": utcnow().replace(microsecond=0),
        "mode_edited_from": None,
        "places": _places_from_option(option, raw_legs) if keep_places else None,
    }


def _leg_summary(value: Any, path: str) -> dict[str, Any]:
    leg = c.obj(value, path)
    return {
        "mode": c.mode(leg.get("mode"), f"{path}.mode"),
        "distance_m": c.number(leg.get("distance_m"), f"{path}.distance_m", lo=0, hi=MAX_DISTANCE_M),
        "duration_s": c.number(leg.get("duration_s"), f"{path}.duration_s", lo=0, hi=MAX_DURATION_S),
        "co2e_g": c.optional_number(leg.get("co2e_g"), f"{path}.co2e_g", lo=0, hi=MAX_CO2E_G),
    }


def by_mode_of(legs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Distance, duration and CO2e per mode; a mode's CO2e is null if any of its legs' is."""
    out: dict[str, dict[str, Any]] = {}
    for leg in legs:
        slot = out.setdefault(leg["mode"], {"distance_m": 0.0, "duration_s": 0.0, "co2e_g": 0.0})
        slot["distance_m"] += leg["distance_m"]
        slot["duration_s"] += leg["duration_s"]
        if slot["co2e_g"] is not None:
            slot["co2e_g"] = None if leg["co2e_g"] is None else slot["co2e_g"] + leg["co2e_g"]
    return out


def _point(value: Any, path: str) -> dict[str, float]:
    pair = c.array(value, path, max_len=3)
    if len(pair) < 2:
        raise c.bad(path, "must be [lon, lat]")
    return {
        "lat": c.number(pair[1], f"{path}[1]", lo=-90, hi=90),
        "lon": c.number(pair[0], f"{path}[0]", lo=-180, hi=180),
    }


def _geometry(value: Any, path: str) -> dict[str, Any]:
    geom = c.obj(value, path)
    if geom.get("type") != "LineString":
        raise c.bad(f"{path}.type", "must be LineString")
    coords = c.array(geom.get("coordinates"), f"{path}.coordinates", max_len=MAX_POINTS)
    if len(coords) < 2:
        raise c.bad(f"{path}.coordinates", "must have at least 2 points")
    points = [_point(p, f"{path}.coordinates[{i}]") for i, p in enumerate(coords)]
    return {"type": "LineString", "coordinates": [[p["lon"], p["lat"]] for p in points]}


def _stop(value: Any, path: str) -> dict[str, Any] | None:
    if value is None:
        return None
    stop = c.obj(value, path)
    return {
        "name": c.text(stop.get("name", ""), f"{path}.name", max_len=200),
        "lat": c.number(stop.get("lat"), f"{path}.lat", lo=-90, hi=90),
        "lon": c.number(stop.get("lon"), f"{path}.lon", lo=-180, hi=180),
    }


def _route_name(value: Any, path: str) -> str | None:
    if value is None:
        return None
    route = c.obj(value, path)
    name = route.get("short_name") or route.get("long_name")
    return None if name is None else c.text(name, f"{path}.short_name", max_len=200)


def _places_from_option(option: dict[str, Any], raw_legs: list[Any]) -> dict[str, Any]:
    if "geometry" not in option:
        raise c.bad("option.geometry", "is required to keep the places of a trip")
    geometry = _geometry(option["geometry"], "option.geometry")
    first, last = geometry["coordinates"][0], geometry["coordinates"][-1]
    legs = []
    for i, leg in enumerate(raw_legs):
        path = f"option.legs[{i}]"
        legs.append(
            {
                "mode": leg["mode"],
                "route": _route_name(leg.get("route"), f"{path}.route"),
                "from_stop": _stop(leg.get("from_stop"), f"{path}.from_stop"),
                "to_stop": _stop(leg.get("to_stop"), f"{path}.to_stop"),
            }
        )
    return {
        "origin": {"lat": first[1], "lon": first[0]},
        "destination": {"lat": last[1], "lon": last[0]},
        "geometry": geometry,
        "legs": legs,
    }


def _places_from_export(value: Any, path: str) -> dict[str, Any] | None:
    if value is None:
        return None
    places = c.obj(value, path)
    geometry = _geometry(places.get("geometry"), f"{path}.geometry")
    legs = []
    for i, leg in enumerate(c.array(places.get("legs", []), f"{path}.legs", max_len=MAX_LEGS)):
        leg = c.obj(leg, f"{path}.legs[{i}]")
        route = leg.get("route")
        legs.append(
            {
                "mode": c.mode(leg.get("mode"), f"{path}.legs[{i}].mode"),
                "route": None if route is None else c.text(route, f"{path}.legs[{i}].route", max_len=200),
                "from_stop": _stop(leg.get("from_stop"), f"{path}.legs[{i}].from_stop"),
                "to_stop": _stop(leg.get("to_stop"), f"{path}.legs[{i}].to_stop"),
            }
        )
    origin = _stop({"name": "", **c.obj(places.get("origin"), f"{path}.origin")}, f"{path}.origin")
    dest = _stop(
        {"name": "", **c.obj(places.get("destination"), f"{path}.destination")},
        f"{path}.destination",
    )
    assert origin is not None and dest is not None
    return {
        "origin": {"lat": origin["lat"], "lon": origin["lon"]},
        "destination": {"lat": dest["lat"], "lon": dest["lon"]},
        "geometry": geometry,
        "legs": legs,
    }


def _by_mode_from_export(value: Any, path: str) -> dict[str, dict[str, Any]]:
    table = c.obj(value, path)
    if len(table) > MAX_LEGS:
        raise c.bad(path, f"has more than {MAX_LEGS} modes")
    out: dict[str, dict[str, Any]] = {}
    for key, slot in table.items():
        name = c.mode(key, f"{path} key")
        slot = c.obj(slot, f"{path}.{name}")
        # A mode's figures add up its legs, each within the per-leg bounds: an export of any
        # entry the log accepted must import again.
        out[name] = {
            "distance_m": c.number(
                slot.get("distance_m"), f"{path}.{name}.distance_m", lo=0, hi=MAX_LEGS * MAX_DISTANCE_M
            ),
            "duration_s": c.number(
                slot.get("duration_s"), f"{path}.{name}.duration_s", lo=0, hi=MAX_LEGS * MAX_DURATION_S
            ),
            "co2e_g": c.optional_number(slot.get("co2e_g"), f"{path}.{name}.co2e_g", lo=0, hi=MAX_LEGS * MAX_CO2E_G),
        }
    return out


def fields_from_export(value: Any, path: str) -> dict[str, Any]:
    """Column values of an entry of an exported JSON file (the shape :func:`to_dict` writes)."""
    entry = c.obj(value, path)
    for key in ("id", "started_at", "mode", "legs", "distance_m", "duration_s"):
        if key not in entry:
            raise c.bad(f"{path}.{key}", "is required")
    started, offset = c.timestamp(entry["started_at"], f"{path}.started_at")
    legs_raw = c.array(entry["legs"], f"{path}.legs", max_len=MAX_LEGS)
    legs = [_leg_summary(leg, f"{path}.legs[{i}]") for i, leg in enumerate(legs_raw)]
    if not legs:
        raise c.bad(f"{path}.legs", "must have at least one leg")
    factors = c.obj(entry.get("factors", {}), f"{path}.factors")
    logged_at = (
        c.timestamp(entry["logged_at"], f"{path}.logged_at")[0]
        if entry.get("logged_at") is not None
        else utcnow().replace(microsecond=0)
    )
    edited_from = entry.get("mode_edited_from")
    return {
        "uuid": c.uuid(entry["id"], f"{path}.id"),
        "started_at": started,
        "utc_offset_min": offset,
        "mode": c.mode(entry["mode"], f"{path}.mode"),
        "modes": [leg["mode"] for leg in legs],
        "legs": legs,
        "by_mode": (
            _by_mode_from_export(entry["by_mode"], f"{path}.by_mode") if "by_mode" in entry else by_mode_of(legs)
        ),
        "distance_m": c.number(entry["distance_m"], f"{path}.distance_m", lo=0, hi=MAX_DISTANCE_M),
        "duration_s": c.number(entry["duration_s"], f"{path}.duration_s", lo=0, hi=MAX_DURATION_S),
        "co2e_g": c.optional_number(entry.get("co2e_g"), f"{path}.co2e_g", lo=0, hi=MAX_CO2E_G),
        "factor_pack": c.label(factors.get("pack"), f"{path}.factors.pack"),
        "factor_version": c.label(factors.get("version"), f"{path}.factors.version"),
        "logged_at": logged_at,
        "mode_edited_from": None if edited_from is None else c.mode(edited_from, f"{path}.mode_edited_from"),
        "places": _places_from_export(entry.get("places"), f"{path}.places"),
    }


def to_dict(trip: Trip) -> dict[str, Any]:
    """The JSON form of an entry (also the entry format of the JSON export)."""
    return {
        "id": trip.uuid,
        "started_at": c.local_iso(trip.started_at, trip.utc_offset_min),
        "mode": trip.mode,
        "modes": list(trip.modes),
        "legs": list(trip.legs),
        "by_mode": dict(trip.by_mode),
        "distance_m": trip.distance_m,
        "duration_s": trip.duration_s,
        "co2e_g": trip.co2e_g,
        "factors": {"pack": trip.factor_pack, "version": trip.factor_version},
        "logged_at": c.utc_iso(trip.logged_at),
        "mode_edited_from": trip.mode_edited_from,
        "places": trip.places,
    }


def apply_patch(trip: Trip, body: Any) -> None:
    """Change an entry's date-time and/or mode from a ``PATCH`` body.

    A changed mode moves the whole distance and duration to the new mode and sets CO2e to null:
    the log cannot recompute emissions for a route it does not have. Setting the original mode
    again restores the recorded per-leg figures.
    """
    body = c.obj(body, "body")
    unknown = sorted(set(body) - _PATCH_KEYS)
    if unknown:
        raise c.bad(unknown[0], "unknown field; only started_at and mode can be changed")
    if not body:
        raise ApiError(400, "nothing_to_change", "send started_at and/or mode")
    if "started_at" in body:
        trip.started_at, trip.utc_offset_min = c.timestamp(
            body["started_at"], "started_at", default_offset_min=trip.utc_offset_min
        )
    if "mode" in body:
        new_mode = c.mode(body["mode"], "mode")
        original = trip.mode_edited_from or trip.mode
        if new_mode == original:
            trip.by_mode = by_mode_of(list(trip.legs))
            leg_co2e = [leg["co2e_g"] for leg in trip.legs]
            if trip.mode_edited_from is not None:
                trip.co2e_g = None if None in leg_co2e else sum(leg_co2e)
            trip.mode_edited_from = None
        else:
            trip.by_mode = {
                new_mode: {
                    "distance_m": trip.distance_m,
                    "duration_s": trip.duration_s,
                    "co2e_g": None,
                }
            }
            trip.co2e_g = None
            trip.mode_edited_from = original
        trip.mode = new_mode
