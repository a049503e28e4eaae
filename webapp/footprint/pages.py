"""The "My log" page (``/log``): rendered on the server, changed through the JSON API by log.js."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import select

from webapp.footprint import auth, chart, checks
from webapp.footprint.db import get_db
from webapp.footprint.models import Trip
from webapp.footprint.summary import PERIODS, contiguous, summarize

bp = Blueprint("footprint_pages", __name__)

COMMON_MODES = ("walk", "bike", "ebike", "escooter", "transit", "drive", "taxi")
_CHART_PERIODS = 12


def km(metres: float) -> str:
    """``1234.5`` → ``"1.2 km"``."""
    return f"{metres / 1000:.1f} km"


def duration(seconds: float) -> str:
    """``5400`` → ``"1 h 30 min"``."""
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def co2e(grams: float | None) -> str:
    """CO2e in g below 1 kg, else in kg; "not known" for null."""
    if grams is None:
        return "not known"
    return f"{grams:.0f} g" if grams < 1000 else f"{grams / 1000:.2f} kg"


def _entry_view(trip: Trip) -> dict[str, Any]:
    local = checks.local_time(trip.started_at, trip.utc_offset_min)
    return {
        "id": trip.uuid,
        "day": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "local_input": local.strftime("%Y-%m-%dT%H:%M"),
        "mode": trip.mode,
        "modes": " → ".join(trip.modes),
        "distance": km(trip.distance_m),
        "duration": duration(trip.duration_s),
        "co2e": co2e(trip.co2e_g),
        "factors": " ".join(x for x in (trip.factor_pack, trip.factor_version) if x) or "none",
        "by_mode": ", ".join(f"{m} {km(v['distance_m'])}" for m, v in sorted(trip.by_mode.items())),
        "places": trip.places is not None,
        "edited_from": trip.mode_edited_from,
    }


@bp.get("/log")
def log_page() -> str:
    """The person's log: entries by date, totals per week or month, and every control."""
    period = request.args.get("period", "week")
    metric = request.args.get("metric", "distance")
    if period not in PERIODS:
        abort(400, description="period must be week or month")
    if metric not in chart.METRICS:
        abort(400, description="metric must be one of " + ", ".join(chart.METRICS))
    session = get_db()
    owner = auth.find_owner(session)
    trips: list[Trip] = []
    if owner is not None:
        stmt = select(Trip).where(Trip.owner_id == owner.id).order_by(Trip.started_at.desc(), Trip.id.desc())
        trips = list(session.scalars(stmt))
    days: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for trip in trips:
        view = _entry_view(trip)
        days.setdefault(view["day"], []).append(view)
    buckets = summarize(trips, period=period)
    shown = contiguous(buckets, period=period, last=_CHART_PERIODS)
    colours = chart.mode_colours(shown)
    return render_template(
        "log.html",
        on=owner is not None,
        accounts=auth.accounts_mode(),
        username=owner.username if owner else None,
        count=len(trips),
        days=days,
        period=period,
        metric=metric,
        metrics=chart.METRICS,
        chart=chart.render(shown, metric=metric, period=period) if shown else None,
        legend=list(colours.items()),
        table=list(reversed(buckets)),
        modes=sorted(set(COMMON_MODES) | {t.mode for t in trips}),
        import_max_bytes=int(current_app.config["FOOTPRINT_IMPORT_MAX_BYTES"]),
        km=km,
        duration=duration,
        co2e=co2e,
    )
