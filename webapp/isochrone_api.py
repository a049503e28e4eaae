"""``GET /api/isochrone``: what is reachable from a point within some minutes, as GeoJSON polygons."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.datastructures import MultiDict

from routing.core.errors import InvalidParameter
from routing.core.geo import parse_latlon
from routing.plan.isochrone import MAX_VALUES, IsochroneQuery, Isochrones
from webapp.api import planner
from webapp.limits import query_deadline
from webapp.params import single_values
from webapp.plan_text import parse_at, parse_int
from webapp.runtime import current_city

bp = Blueprint("isochrone_api", __name__, url_prefix="/api")

ISOCHRONE_PARAMS = frozenset({"from", "mode", "minutes", "at"})
DEFAULT_MINUTES = (10, 20, 30)


def isochrones() -> Isochrones:
    p = planner()
    return current_city().cached("isochrones", lambda _: p.isochrones())


def parse_minutes(value: str | None) -> tuple[int, ...]:
    """Comma-separated whole minutes; empty means 10,20,30."""
    if value is None or not value.strip():
        return DEFAULT_MINUTES
    parts = [v.strip() for v in value.split(",")]
    if len(parts) > MAX_VALUES:
        raise InvalidParameter(f"minutes takes at most {MAX_VALUES} values, e.g. 10,20,30", argument="minutes")
    return tuple(parse_int(v, argument="minutes", default=-1, lo=1, hi=120) for v in parts if v) or DEFAULT_MINUTES


def isochrone_query(args: MultiDict[str, str]) -> IsochroneQuery:
    p = single_values(args, ISOCHRONE_PARAMS)
    mode = (p.get("mode") or "walk").strip().lower()
    return IsochroneQuery(
        origin=parse_latlon(p.get("from"), argument="from"),
        mode=mode,
        minutes=parse_minutes(p.get("minutes")),
        at=parse_at(p.get("at"), planner().tz),
    )


@bp.get("/isochrone")
def isochrone() -> Response:
    query = isochrone_query(request.args)
    return jsonify(isochrones().compute(query, deadline=query_deadline(cap_setting="ISOCHRONE_BUDGET_S")))
