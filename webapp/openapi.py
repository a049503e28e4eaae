"""``GET /api/openapi.json``: the OpenAPI 3 document of every ``/api`` endpoint.

It is written by hand next to the code it describes (docs/api.md, docs/footprint-api.md) and
checked against the server by the Schemathesis tests in ``tests/robustness``: every answer must
match it, and every 4xx/5xx has the one error shape ``{"error", "message", ...}``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, Response, jsonify

from routing.plan.request import DEFAULT_MODES, MODE_ORDER
from webapp.openapi_schemas import FOOTPRINT_SCHEMAS, PLAN_SCHEMAS, obj, ref

bp = Blueprint("openapi", __name__, url_prefix="/api")

_JSON = "application/json"
_POA = "-30.0277,-51.2287"  # examples inside Porto Alegre, the default city
_POA_TO = "-30.0346,-51.2177"


def _q(
    name: str, schema: dict[str, Any], description: str, *, required: bool = False, example: Any = None
) -> dict[str, Any]:
    p: dict[str, Any] = {"name": name, "in": "query", "required": required, "schema": schema}
    p["description"] = description
    if example is not None:
        p["example"] = example
    return p


def _body(schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {_JSON: {"schema": schema}}}


def _ok(schema: dict[str, Any], description: str = "the answer", *, status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {_JSON: {"schema": schema}}}}


def _links(responses: dict[str, Any], links: dict[str, Any]) -> dict[str, Any]:
    """``responses`` with OpenAPI ``links`` on its success answer (the first status)."""
    status = next(iter(responses))
    return {**responses, status: {**responses[status], "links": links}}


def _trip_links(trip_id: str) -> dict[str, Any]:
    """Links from an answer that names an entry to the operations on that entry."""
    ref_ = "#/paths/~1api~1footprint~1trips~1{trip_id}/"
    return {
        f"{verb.capitalize()}Trip": {"operationRef": ref_ + verb, "parameters": {"trip_id": trip_id}}
        for verb in ("get", "patch", "delete")
    }


def _errors(*, busy: bool = False) -> dict[str, Any]:
    err = {"content": {_JSON: {"schema": ref("Error")}}}
    out: dict[str, Any] = {"4XX": {"description": "bad request (the error code and message say what to fix)", **err}}
    if busy:
        out["503"] = {
            "description": "overloaded (retry after Retry-After seconds), over its time budget, or no city loaded",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            **err,
        }
    return out


def _op(
    summary: str,
    responses: dict[str, Any],
    *,
    tag: str,
    params: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    busy: bool = False,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": {**responses, **_errors(busy=busy)}}
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = body
    return op


_S = {"type": "string", "maxLength": 200}
_COORD = {"type": "string", "maxLength": 200}
_BOOL = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no", "on", "off"]}

_PLAN_PARAMS = [
    _q("from", _COORD, "origin as LAT,LON (WGS84 degrees)", required=True, example=_POA),
    _q("to", _COORD, "destination as LAT,LON", required=True, example=_POA_TO),
    _q(
        "modes",
        _S,
        f"comma-separated modes among {', '.join(MODE_ORDER)} (default {','.join(DEFAULT_MODES)})",
        example="walk,transit",
    ),
    _q("mode", _S, "one mode (alternative to modes; not both)"),
    _q("at", _S, "ISO-8601 local date-time in the city's time zone (default now)", example="2019-05-14T08:00"),
    _q("arrive_by", _BOOL, "true: at is the arrival time"),
    _q("window", {"type": "integer", "minimum": 0, "maximum": 1440}, "range query: minutes of departures after at"),
    _q("max_walk_m", {"type": "number", "minimum": 0, "maximum": 5000}, "longest walk to, from and between stops"),
    _q("exclude_route_types", _S, "comma-separated GTFS route_type numbers not to ride", example="3"),
    _q("car", _S, "car as FUEL-SIZE, e.g. diesel-large or electric"),
    _q("occupancy", {"type": "integer", "minimum": 1, "maximum": 9}, "people in the car"),
    _q("pack", _S, "emission-factor pack (see /api/factors)", example="desnz-2025"),
    _q("body_mass_kg", {"type": "number", "minimum": 20, "maximum": 300}, "for the calorie estimate"),
    _q("strict_dates", _BOOL, "true: no fallback to another day of a stale timetable"),
    _q("frontier", _BOOL, "flag each option with pareto: on this answer's time x CO2e frontier (default true)"),
    _q(
        "wheelchair",
        _BOOL,
        "true: step-free journeys: walks avoid steps, raised kerbs, wheelchair=no and slopes over 1:12 (8.3 %); "
        "rides only on trips and at stops not stated inaccessible (wheelchair_accessible / wheelchair_boarding 2); "
        "bike+transit and park+ride are not planned step-free (errors: not_stepfree)",
    ),
    _q(
        "cursor",
        {"type": "string", "maxLength": 4096},
        "page.next or page.previous of an earlier answer, alone: the following or preceding transit departures",
    ),
]

_ISO_PARAMS = [
    _q("from", _COORD, "origin as LAT,LON", required=True, example=_POA),
    _q("mode", {"type": "string", "enum": ["walk", "bike", "transit", "drive"]}, "one mode", example="walk"),
    _q("minutes", _S, "1 to 6 comma-separated whole minutes, 1..120", example="10,20"),
    _q("at", _S, "ISO-8601 local date-time (transit; default now)"),
]

_FP = "footprint"
# A plan's first option, with the factors it was computed with, is what the log takes.
_PLAN_LINKS = {
    "LogFirstOption": {
        "operationRef": "#/paths/~1api~1footprint~1trips/post",
        "requestBody": {"option": "$response.body#/options/0", "factors": "$response.body#/data/factors"},
    }
}
_CHANGE = (
    " A change: send Origin (this server), X-CSRF-Token (from /api/footprint/csrf) and the cookies;"
    " see docs/footprint-api.md."
)
_TRIP_ID = {"name": "trip_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 100}}
_TRIP = obj({"trip": ref("Entry")}, required=["trip"])


def _footprint_paths() -> dict[str, Any]:
    return {
        "/api/footprint/csrf": {
            "get": _op("the CSRF token (also set as a cookie)", _ok(ref("CsrfToken")), tag=_FP),
        },
        "/api/footprint": {
            "get": _op("whether the log is on in this browser", _ok(ref("LogStatus")), tag=_FP),
            "post": _op(
                "turn the log on: a new personal key." + _CHANGE, _ok(ref("KeyCreated"), status="201"), tag=_FP
            ),
            "delete": _op("erase the whole log." + _CHANGE, _ok(ref("Erased")), tag=_FP),
        },
        "/api/footprint/device": {
            "post": _op(
                "use an existing log in this browser." + _CHANGE,
                _ok(obj({"on": {"type": "boolean"}, "count": {"type": "integer"}}, required=["on", "count"])),
                tag=_FP,
                body=_body(obj({"key": {"type": "string", "maxLength": 200}}, required=["key"], closed=False)),
            ),
        },
        "/api/footprint/logout": {
            "post": _op("stop using the log in this browser." + _CHANGE, _ok(ref("Off")), tag=_FP),
        },
        "/api/footprint/register": {
            "post": _op(
                "create an account (FOOTPRINT_AUTH=accounts)." + _CHANGE,
                _ok(ref("SignedIn"), status="201"),
                tag=_FP,
                body=_body(ref("Credentials")),
            ),
        },
        "/api/footprint/login": {
            "post": _op(
                "sign in (FOOTPRINT_AUTH=accounts)." + _CHANGE,
                _ok(ref("SignedIn")),
                tag=_FP,
                body=_body(ref("Credentials")),
            ),
        },
        "/api/footprint/trips": {
            "get": _op(
                "a page of the caller's entries, newest first (100 unless limit says otherwise)",
                _links(_ok(ref("TripList")), _trip_links("$response.body#/trips/0/id")),
                tag=_FP,
                params=[
                    _q("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "entries per page"),
                    _q("offset", {"type": "integer", "minimum": 0, "maximum": 10**9}, "entries to skip"),
                    _q(
                        "after",
                        {"type": "string", "maxLength": 100},
                        "next_after of the previous page: the entries after that one (not with offset)",
                    ),
                ],
            ),
            "post": _op(
                "log one option of a /api/plan answer." + _CHANGE,
                _links(_ok(_TRIP, status="201"), _trip_links("$response.body#/trip/id")),
                tag=_FP,
                body=_body(ref("AddTrip")),
            ),
        },
        "/api/footprint/trips/{trip_id}": {
            "get": _op(
                "one entry", _links(_ok(_TRIP), _trip_links("$response.body#/trip/id")), tag=_FP, params=[_TRIP_ID]
            ),
            "patch": _op(
                "change an entry's date-time or mode." + _CHANGE,
                _ok(_TRIP),
                tag=_FP,
                params=[_TRIP_ID],
                body=_body(ref("TripPatch")),
            ),
            "delete": _op(
                "delete one entry." + _CHANGE,
                _ok(obj({"deleted": {"type": "string"}}, required=["deleted"])),
                tag=_FP,
                params=[_TRIP_ID],
            ),
        },
        "/api/footprint/summary": {
            "get": _op(
                "totals per ISO week and per month, by mode",
                _ok(ref("Summary")),
                tag=_FP,
                params=[_q("period", {"type": "string", "enum": ["week", "month"]}, "one period only")],
            ),
        },
        "/api/footprint/export.csv": {
            "get": _op(
                "every entry as CSV",
                {"200": {"description": "CSV attachment", "content": {"text/csv": {"schema": {"type": "string"}}}}},
                tag=_FP,
            ),
        },
        "/api/footprint/export.json": {
            "get": _op("every entry as JSON (the import format)", _ok(ref("ExportFile")), tag=_FP),
        },
        "/api/footprint/import": {
            "post": _op(
                "merge an exported JSON file into the log." + _CHANGE,
                _ok(ref("ImportResult")),
                tag=_FP,
                body=_body(ref("ExportFile")),
            ),
        },
    }


def _paths() -> dict[str, Any]:
    layer = {"name": "name", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 100}}
    paths: dict[str, Any] = {
        "/api/plan": {
            "get": _op(
                "every requested mode for one trip, by time and CO2e (docs/api.md)",
                _links(_ok(ref("PlanAnswer")), _PLAN_LINKS),
                tag="plan",
                params=_PLAN_PARAMS,
                busy=True,
            )
        },
        "/api/isochrone": {
            "get": _op(
                "the area reachable within some minutes by one mode, as GeoJSON",
                _ok(ref("Isochrone")),
                tag="plan",
                params=_ISO_PARAMS,
                busy=True,
            )
        },
        "/api/health": {"get": _op("the loaded city and its data versions", _ok(ref("Health")), tag="city", busy=True)},
        "/api/factors": {"get": _op("the emission-factor packs and their sources", _ok(ref("Factors")), tag="city")},
        "/api/geocode": {
            "get": _op(
                "search streets, places, addresses and stops of the city",
                _ok(ref("GeocodeAnswer")),
                tag="places",
                params=[
                    _q("q", _S, "the text to search for", required=True, example="Rua da Praia"),
                    _q("near", _S, "LAT,LON to rank nearer results first", example=_POA),
                    _q("limit", {"type": "integer", "minimum": 1, "maximum": 20}, "at most this many results"),
                ],
                busy=True,
            )
        },
        "/api/reverse": {
            "get": _op(
                "the street or place nearest a point",
                _ok(ref("Place")),
                tag="places",
                params=[
                    _q("lat", {"type": "number", "minimum": -90, "maximum": 90}, "latitude", required=True),
                    _q("lon", {"type": "number", "minimum": -180, "maximum": 180}, "longitude", required=True),
                ],
                busy=True,
            )
        },
        "/api/basemap": {
            "get": _op("the base-map layers, in drawing order", _ok(ref("Basemap")), tag="places", busy=True)
        },
        "/api/basemap/{name}.geojson": {
            "get": _op(
                "one base-map layer",
                {
                    "200": {
                        "description": "GeoJSON",
                        "content": {"application/geo+json": {"schema": {"type": "object"}}},
                    }
                },
                tag="places",
                params=[layer],
                busy=True,
            )
        },
        "/api/basemap/tiles/{z}/{x}/{y}.mvt": {
            "get": _op(
                "one vector tile of the base map (MVT; 204 where there is nothing to draw)",
                {
                    "200": {
                        "description": "Mapbox Vector Tile",
                        "content": {
                            "application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "204": {"description": "no feature in this tile"},
                },
                tag="places",
                params=[
                    {"name": n, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}
                    for n in ("z", "x", "y")
                ],
                busy=True,
            )
        },
        "/api/basemap/labels.json": {
            "get": _op(
                "the base map's names as rows of [name, kind, lon, lat, minzoom, angle]",
                {
                    "200": {
                        "description": "labels",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                },
                tag="places",
                busy=True,
            )
        },
        "/api/openapi.json": {
            "get": {
                "summary": "this document",
                "tags": ["meta"],
                "responses": _ok({"type": "object", "required": ["openapi", "paths"]}),
            }
        },
    }
    paths.update(_footprint_paths())
    return paths


@cache
def document() -> dict[str, Any]:
    """The OpenAPI 3.0 document (built once per process)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "greenroute",
            "version": "1",
            "description": "Compare walking, cycling, public transit and driving by time and CO2e. Every error "
            '(4xx, 5xx) is {"error": code, "message": text} with, where it applies, "argument" (query '
            'parameter), "field" (body field) or "retry_after_s".',
            "license": {"name": "AGPL-3.0-or-later"},
        },
        "paths": _paths(),
        "components": {"schemas": {**PLAN_SCHEMAS, **FOOTPRINT_SCHEMAS}},
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI document of this server's API."""
    return jsonify(document())
