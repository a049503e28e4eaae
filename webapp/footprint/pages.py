"""The "My log" page (``/log``): rendered on the server, changed through the JSON API by log.js.

Its words come from the same message catalogues as the planner, in the language the planner's
switch chose (see ``webapp.i18n.choose_language``).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select

from webapp.footprint import auth, chart, checks
from webapp.footprint.db import get_db
from webapp.footprint.guard import rate_limit
from webapp.footprint.log_text import LogText
from webapp.footprint.models import Trip
from webapp.footprint.paging import newest_first
from webapp.footprint.paths import LOG_PAGE
from webapp.footprint.summary import PERIODS, Totals, contiguous, totals
from webapp.i18n import LANGUAGE_NAMES, catalogue, choose_language

bp = Blueprint("footprint_pages", __name__)

COMMON_MODES = ("walk", "bike", "ebike", "escooter", "transit", "drive", "taxi")
_CHART_PERIODS = 12
# Entries listed at first, and added by each "Show older entries"; older ones are in the downloads.
PAGE_ENTRIES = 100
MAX_SHOWN = 2000


def _entry_view(trip: Trip, text: LogText) -> dict[str, Any]:
    local = checks.local_time(trip.started_at, trip.utc_offset_min)
    return {
        "id": trip.uuid,
        "day": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "local_input": local.strftime("%Y-%m-%dT%H:%M"),
        "mode": trip.mode,
        "modes": " → ".join(text.mode(m) for m in trip.modes),
        "distance": text.km(trip.distance_m),
        "duration": text.duration(trip.duration_s),
        "co2e": text.co2e(trip.co2e_g),
        "factors": " ".join(x for x in (trip.factor_pack, trip.factor_version) if x) or text.t("factors_none"),
        "by_mode": ", ".join(f"{text.mode(m)} {text.km(v['distance_m'])}" for m, v in sorted(trip.by_mode.items())),
        "places": trip.places is not None,
        "edited_from": text.mode(trip.mode_edited_from) if trip.mode_edited_from else None,
    }


def _shown_arg() -> int:
    """``?shown=``: how many of the newest entries to list (a multiple of the page, at most MAX_SHOWN)."""
    raw = request.args.get("shown", str(PAGE_ENTRIES))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw[:7]) <= MAX_SHOWN:
        abort(400, description=f"shown must be a whole number from 1 to {MAX_SHOWN}")
    return int(raw)


@bp.get(LOG_PAGE)
def log_page() -> Response:
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
    summed = Totals([])
    listed: list[Trip] = []
    if owner is not None:
        summed = totals(session, owner.id, period=period)
        listed = list(session.scalars(newest_first(select(Trip), owner.id).limit(wanted)))
    days: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    lang = choose_language(request)
    text = LogText(lang)
    for trip in listed:
        view = _entry_view(trip, text)
        days.setdefault(view["day"], []).append(view)
    buckets = summed.buckets
    chart_buckets = contiguous(buckets, period=period, last=_CHART_PERIODS)
    colours = chart.mode_colours(chart_buckets)
    html = render_template(
        "log.html",
        lang=lang,
        languages=LANGUAGE_NAMES,
        messages={k: v for k, v in catalogue(lang).items() if k.startswith(("logpage.", "lang."))},
        text=text,
        t=text.t,
        on=owner is not None,
        accounts=auth.accounts_mode(),
        username=owner.username if owner else None,
        count=summed.trips,
        days=days,
        shown=len(listed),
        more=min(wanted + PAGE_ENTRIES, MAX_SHOWN) if summed.trips > len(listed) and wanted < MAX_SHOWN else None,
        period=period,
        metric=metric,
        metrics={key: chart.metric_name(key, text) for key in chart.METRICS},
        chart=chart.render(chart_buckets, metric=metric, period=period, text=text) if chart_buckets else None,
        legend=list(colours.items()),
        table=list(reversed(buckets)),
        modes=sorted(set(COMMON_MODES) | summed.modes),
        import_max_bytes=int(current_app.config["FOOTPRINT_IMPORT_MAX_BYTES"]),
    )
    resp = current_app.response_class(html, mimetype="text/html")
    resp.headers["Vary"] = "Accept-Language, Cookie"
    resp.headers["Content-Language"] = lang
    return resp
