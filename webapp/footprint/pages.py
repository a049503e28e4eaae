"""The "My log" page (``/log``): rendered on the server, changed through the JSON API by log.js."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import select

from webapp.footprint import auth, chart, checks
from webapp.footprint.db import get_db
from webapp.footprint.guard import rate_limit
from webapp.footprint.models import Trip
from webapp.footprint.summary import PERIODS, contiguous, summarize, summary_rows

bp = Blueprint("footprint_pages", __name__)

COMMON_MODES = ("walk", "bike", "ebike", "escooter", "transit", "drive", "taxi")
_CHART_PERIODS = 12
# Entries listed at first, and added by each "Show older entries"; older ones are in the downloads.
PAGE_ENTRIES = 100
MAX_SHOWN = 2000


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


def _shown_arg() -> int:
    """``?shown=``: how many of the newest entries to list (a multiple of the page, at most MAX_SHOWN)."""
    raw = request.args.get("shown", str(PAGE_ENTRIES))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw[:7]) <= MAX_SHOWN:
        abort(400, description=f"shown must be a whole number from 1 to {MAX_SHOWN}")
    return int(raw)


@bp.get("/log")
def log_page() -> str:
    """The person's log: entries by date, totals per week or month, and every control."""
    period = request.args.get("period", "week")
    metric = request.args.get("metric", "distance")
    if period not in PERIODS:
        abort(400, description="period must be week or month")
    if metric not in chart.METRICS:
        abort(400, description="metric must be one of " + ", ".join(chart.METRICS))
    wanted = _shown_arg()
    rate_limit("reads")
    session = get_db()
    owner = auth.find_owner(session)
    trips: list[Any] = []
    listed: list[Trip] = []
    if owner is not None:
        newest_first = (Trip.started_at.desc(), Trip.id.desc())
        trips = summary_rows(session, owner.id)  # the totals need every entry, the list only a page
        listed = list(
            session.scalars(select(Trip).where(Trip.owner_id == owner.id).order_by(*newest_first).limit(wanted))
        )
    days: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for trip in listed:
        view = _entry_view(trip)
        days.setdefault(view["day"], []).append(view)
    buckets = summarize(trips, period=period)
    chart_buckets = contiguous(buckets, period=period, last=_CHART_PERIODS)
    colours = chart.mode_colours(chart_buckets)
    return render_template(
        "log.html",
        on=owner is not None,
        accounts=auth.accounts_mode(),
        username=owner.username if owner else None,
        count=len(trips),
        days=days,
        shown=len(listed),
        more=min(wanted + PAGE_ENTRIES, MAX_SHOWN) if len(trips) > len(listed) and wanted < MAX_SHOWN else None,
        period=period,
        metric=metric,
        metrics=chart.METRICS,
        chart=chart.render(chart_buckets, metric=metric, period=period) if chart_buckets else None,
        legend=list(colours.items()),
        table=list(reversed(buckets)),
        modes=sorted(set(COMMON_MODES) | {t.mode for t in trips}),
        import_max_bytes=int(current_app.config["FOOTPRINT_IMPORT_MAX_BYTES"]),
        km=km,
        duration=duration,
        co2e=co2e,
    )
