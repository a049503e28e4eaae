"""The JSON API: ``/api/plan``, ``/api/health``, ``/api/factors``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from routing.core.errors import GreenrouteError, InvalidParameter
from routing.emissions import list_packs
from routing.plan.answer_json import answer_json
from routing.plan.planner import Planner
from routing.plan.request import MODE_ORDER
from webapp.limits import query_deadline
from webapp.params import plan_request
from webapp.plan_cursor import cursor_args, page_cursors
from webapp.runtime import current_city

bp = Blueprint("api", __name__, url_prefix="/api")


def planner() -> Planner:
    city = current_city()
    return city.cached("planner", lambda folder: Planner(folder, city.config))


@bp.get("/plan")
def plan() -> Response:
    p = planner()
    args, from_cursor = cursor_args(request.args)
    try:
        req = plan_request(args, tz=p.tz)
    except GreenrouteError as exc:
        if not from_cursor or exc.status != 400:
            raise
        raise InvalidParameter(f"cursor: {exc.message}", argument="cursor") from None
    answer = answer_json(p.plan(req, deadline=query_deadline()))
    page = page_cursors(answer, args.to_dict())
    if page is not None:
        answer["page"] = page
    return jsonify(answer)


@bp.get("/health")
def health() -> Response:
    city = current_city()
    p = planner()
    cfg = city.config
    s, w, n, e = p.bbox
    center = list(cfg.center) if cfg.center else [(s + n) / 2, (w + e) / 2]
    body: dict[str, Any] = {
        "status": "ok",
        "city": cfg.name,
        "title": cfg.title,
        "timezone": cfg.timezone,
        "center": center,
        "zoom": cfg.zoom,
        "bbox": [s, w, n, e],
        "factors": cfg.factors,
        "data": p.data_versions(),
        # The planner's fixed order of modes: the page lists options in it and reads it from here.
        "modes": list(MODE_ORDER),
        "tiles": {"url": current_app.config.get("TILE_URL"), "attribution": current_app.config.get("TILE_ATTRIBUTION")},
    }
    return jsonify(body)


@bp.get("/factors")
def factors() -> Response:
    return jsonify({"packs": list_packs()})
