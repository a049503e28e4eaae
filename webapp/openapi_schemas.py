"""Component schemas of the OpenAPI document (``webapp/openapi.py``).

Answers are described with the keys they always carry (``required``) and open objects, so a
field added later (docs/api.md: extend, never rename) does not break clients or the document.
Request bodies the server checks strictly are closed (``additionalProperties: false``).
"""

from __future__ import annotations

from typing import Any

from webapp.footprint.checks import MODE_RE
from webapp.footprint.entries import MAX_CO2E_G, MAX_DISTANCE_M, MAX_DURATION_S, MAX_LEGS


def ref(name: str) -> dict[str, Any]:
    """A reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props: dict[str, Any], *, required: list[str] | None = None, closed: bool = False) -> dict[str, Any]:
    """An object schema with ``props``; ``closed`` forbids other keys."""
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    if closed:
        out["additionalProperties"] = False
    return out


def _arr(items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": items, **extra}


_STR = {"type": "string"}
_NSTR = {"type": "string", "nullable": True}
_NUM = {"type": "number"}
_NNUM = {"type": "number", "nullable": True}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
# The figures the log keeps of an option and of each of its legs, with the bounds it checks.
_LOGGED_FIGURES: dict[str, Any] = {
    "mode": {"type": "string", "pattern": f"^{MODE_RE.pattern}$"},
    "distance_m": {"type": "number", "minimum": 0, "maximum": MAX_DISTANCE_M},
    "duration_s": {"type": "number", "minimum": 0, "maximum": MAX_DURATION_S},
    "co2e_g": {"type": "number", "nullable": True, "minimum": 0, "maximum": MAX_CO2E_G},
}
_OBJ = {"type": "object"}
_LATLON = _arr(_NUM, minItems=2, maxItems=2)
_LINE = obj(
    {"type": {"type": "string", "enum": ["LineString"]}, "coordinates": _arr(_arr(_NUM, minItems=2))},
    required=["type", "coordinates"],
)
_NOTICE = obj({"code": _STR, "message": _STR}, required=["code", "message"])
_DAY_NOTE = obj({"code": _STR, "date": _STR, "message": _STR}, required=["code", "date", "message"])
_STOP = obj({"id": _STR, "name": _STR, "lat": _NUM, "lon": _NUM}, required=["id", "name", "lat", "lon"])

PLAN_SCHEMAS: dict[str, Any] = {
    "Error": obj(
        {
            "error": {**_STR, "description": "stable machine-readable code, e.g. invalid_parameter, timeout"},
            "message": {**_STR, "description": "what is wrong and how to fix it"},
            "argument": {**_STR, "description": "the query parameter at fault"},
            "field": {**_STR, "description": "the body field at fault, e.g. option.legs[2].distance_m"},
            "retry_after_s": _INT,
        },
        required=["error", "message"],
    ),
    "Leg": obj(
        {
            "mode": _STR,
            "duration_s": _NUM,
            "distance_m": _NUM,
            "departure": _STR,
            "arrival": _STR,
            "geometry": _LINE,
            "steps": _arr(
                obj(
                    {"name": _STR, "turn": _STR, "distance_m": _NUM, "duration_s": _NUM, "location": _LATLON},
                    required=["turn", "distance_m", "duration_s", "location"],
                )
            ),
            "route": obj({"id": _STR, "short_name": _STR, "long_name": _STR, "type": _INT}),
            "from_stop": _STOP,
            "to_stop": _STOP,
            "intermediate_stops": _arr(_STOP),
            "stay_seated": _BOOL,
            # wheelchair=true: what the feed states about the trip and its two stops
            "wheelchair": obj(
                {
                    "trip": {"type": "string", "enum": ["accessible", "not_stated"]},
                    "from_stop": {"type": "string", "enum": ["accessible", "not_stated"]},
                    "to_stop": {"type": "string", "enum": ["accessible", "not_stated"]},
                }
            ),
            "notices": _arr(_NOTICE),
            "co2e_g": _NNUM,
            "factor": _OBJ,
        },
        required=["mode", "duration_s", "distance_m"],
    ),
    "Option": obj(
        {
            "id": _STR,
            "mode": _STR,
            "duration_s": _NUM,
            "distance_m": _NUM,
            "elevation_gain_m": _NUM,
            "elevation_loss_m": _NUM,
            "departure": _STR,
            "arrival": _STR,
            "transfers": _INT,
            "walk_distance_m": _NUM,
            "co2e_g": _NNUM,
            "factor": _OBJ,
            "calories_kcal": _NUM,
            "pareto": {"type": "boolean", "nullable": True},
            "wait_s": {
                **_INT,
                "description": "transit: from the requested time to leaving (arrive-by: arriving to it)",
            },
            "later_day": _DAY_NOTE,
            "earlier_day": _DAY_NOTE,
            "geometry": _LINE,
            "legs": _arr(ref("Leg")),
        },
        required=["id", "mode", "duration_s", "distance_m", "departure", "arrival", "transfers", "co2e_g", "legs"],
    ),
    "DataVersions": obj(
        {"city": _STR, "build": _STR, "osm": _OBJ, "gtfs": _arr(_OBJ), "dem": {"type": "object", "nullable": True}},
        required=["city", "osm", "gtfs"],
    ),
    "PlanAnswer": obj(
        {
            "options": _arr(ref("Option")),
            "request": obj(
                {"from": _LATLON, "to": _LATLON, "modes": _arr(_STR), "at": _STR},
                required=["from", "to", "modes", "at"],
            ),
            "notices": _arr(_NOTICE),
            "errors": {"type": "object", "additionalProperties": ref("Error")},
            "data": {"allOf": [ref("DataVersions"), obj({"factors": _OBJ}, required=["factors"])]},
            "page": obj(
                {
                    "next": {**_STR, "description": "cursor of the following departures"},
                    "previous": {**_STR, "description": "cursor of the preceding departures"},
                },
                required=["next", "previous"],
            ),
        },
        required=["options", "request", "notices", "errors", "data"],
    ),
    "Isochrone": obj(
        {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": _arr(
                obj(
                    {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "properties": obj({"minutes": _INT, "mode": _STR, "area_km2": _NUM}, required=["minutes"]),
                        "geometry": obj({"type": _STR, "coordinates": {"type": "array"}}, required=["type"]),
                    },
                    required=["type", "properties", "geometry"],
                )
            ),
            "request": _OBJ,
            "notices": _arr(_NOTICE),
        },
        required=["type", "features"],
    ),
    "Health": obj(
        {
            "status": {"type": "string", "enum": ["ok"]},
            "city": _STR,
            "title": _STR,
            "timezone": _STR,
            "center": _LATLON,
            "zoom": {"type": "number", "nullable": True},
            "bbox": _arr(_NUM, minItems=4, maxItems=4),
            "factors": _STR,
            "data": ref("DataVersions"),
            "modes": _arr(_STR, description="every mode the planner knows, in the fixed order options are listed in"),
            "tiles": obj({"url": _NSTR, "attribution": _NSTR}),
        },
        required=["status", "city", "timezone", "center", "bbox", "data", "modes"],
    ),
    "Factors": obj({"packs": _arr(_OBJ)}, required=["packs"]),
    "Place": obj(
        {"name": _STR, "kind": _STR, "detail": _NSTR, "lat": _NUM, "lon": _NUM, "distance_m": _NUM},
        required=["name", "kind", "lat", "lon"],
    ),
    "GeocodeAnswer": obj({"query": _STR, "results": _arr(ref("Place"))}, required=["query", "results"]),
    "Basemap": obj(
        {
            "attribution": _STR,
            "bbox": _arr(_NUM),
            "layers": _arr(obj({"name": _STR, "kind": _STR, "url": _STR, "bytes": _INT}, required=["name", "url"])),
        },
        required=["layers"],
    ),
}

_FACTORS = obj({"pack": _NSTR, "version": _NSTR})
_FIGURES = obj({"distance_m": _NUM, "duration_s": _NUM, "co2e_g": _NNUM})
_PERIOD = obj(
    {
        "period": _STR,
        "start": _STR,
        "end": _STR,
        "trips": _INT,
        "trips_by_mode": {"type": "object", "additionalProperties": _INT},
        "distance_m": _NUM,
        "duration_s": _NUM,
        "co2e_g": _NUM,
        "co2e_missing": _INT,
        "by_mode": {"type": "object", "additionalProperties": _FIGURES},
    },
    required=["period", "start", "end", "trips", "distance_m", "duration_s", "co2e_g"],
)

FOOTPRINT_SCHEMAS: dict[str, Any] = {
    "CsrfToken": obj({"csrf_token": _STR}, required=["csrf_token"]),
    "LogStatus": obj(
        {
            "on": _BOOL,
            "auth": {"type": "string", "enum": ["key", "accounts"]},
            "count": _INT,
            "username": _NSTR,
            "import_max_bytes": _INT,
        },
        required=["on", "auth", "count", "username", "import_max_bytes"],
    ),
    "KeyCreated": obj({"on": _BOOL, "key": _STR, "message": _STR}, required=["on", "key", "message"]),
    "Erased": obj({"on": _BOOL, "erased": _BOOL, "trips_deleted": _INT}, required=["on", "erased", "trips_deleted"]),
    "Off": obj({"on": _BOOL}, required=["on"]),
    "SignedIn": obj({"on": _BOOL, "username": _STR}, required=["on", "username"]),
    "Credentials": obj(
        {"username": {"type": "string", "maxLength": 100}, "password": {"type": "string", "maxLength": 1100}},
        required=["username", "password"],
    ),
    "Entry": obj(
        {
            "id": _STR,
            "started_at": _STR,
            "mode": _STR,
            "modes": _arr(_STR),
            "legs": _arr(obj({"mode": _STR, "distance_m": _NUM, "duration_s": _NUM, "co2e_g": _NNUM})),
            "by_mode": {"type": "object", "additionalProperties": _FIGURES},
            "distance_m": _NUM,
            "duration_s": _NUM,
            "co2e_g": _NNUM,
            "factors": _FACTORS,
            "logged_at": _STR,
            "mode_edited_from": _NSTR,
            "places": {"type": "object", "nullable": True},
        },
        required=["id", "started_at", "mode", "modes", "legs", "by_mode", "distance_m", "duration_s", "co2e_g"],
    ),
    "TripList": obj(
        {
            "trips": _arr(ref("Entry")),
            "total": _INT,
            "limit": _INT,
            "offset": _INT,
            "next": {"type": "integer", "nullable": True, "minimum": 0, "description": "next page offset; null: last"},
            "next_after": {**_NSTR, "description": "after= of the next page (the last entry's id); null: last"},
        },
        required=["trips", "total", "limit", "offset", "next", "next_after"],
    ),
    "AddTrip": obj(
        {"option": ref("LoggedOption"), "factors": _FACTORS, "keep_places": _BOOL},
        required=["option", "factors"],
        closed=True,
    ),
    # What the log reads of a plan option (webapp/footprint/entries.py checks exactly this); an
    # option of /api/plan is one, and its other fields are ignored.
    "LoggedOption": obj(
        {
            **_LOGGED_FIGURES,
            "departure": {"type": "string", "format": "date-time"},
            "legs": _arr(obj(_LOGGED_FIGURES, required=["mode", "distance_m", "duration_s"]), maxItems=MAX_LEGS),
        },
        required=["mode", "distance_m", "duration_s"],
    ),
    "TripPatch": obj({"started_at": _STR, "mode": _STR}, closed=True),
    "Summary": obj({"weeks": _arr(_PERIOD), "months": _arr(_PERIOD)}),
    "ExportFile": obj(
        {
            "format": {"type": "string", "enum": ["greenroute-footprint"]},
            "version": {"type": "integer", "enum": [1]},
            "exported_at": _STR,
            "entries": _arr(ref("Entry")),
        },
        required=["format", "version", "entries"],
    ),
    "ImportResult": obj({"added": _INT, "skipped": _INT, "total": _INT}, required=["added", "skipped", "total"]),
}
