"""The map page: ``/`` and the vendored Leaflet files it loads (``/vendor/leaflet/...``).

The page holds no inline script or style, so it runs under a Content-Security-Policy that allows
only this server (plus the tile server, when one is configured).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import xstatic.pkg.leaflet as xstatic_leaflet
from flask import Blueprint, Response, current_app, render_template, request, send_from_directory

from webapp.i18n import LANGUAGE_NAMES, catalogue, choose_language, translate

bp = Blueprint("ui", __name__)

LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
LEAFLET_VERSION = str(xstatic_leaflet.VERSION)
# The comparison's sortable columns (webapp/static/results.js SORT_KEYS has the same list).
SORT_KEYS = (
    "departure",
    "arrival",
    "duration_s",
    "wait_s",
    "co2e_g",
    "distance_m",
    "transfers",
    "walk_distance_m",
    "calories_kcal",
)
# The tz database's table of zones by country (zone.tab: one country per zone, unlike zone1970.tab):
# the city's country, for the note shown when an emission-factor pack was made for another region.
ZONE_TABLE = Path("/usr/share/zoneinfo/zone.tab")


def _zone_table() -> list[str]:
    """The lines of zone.tab: the system's, else the copy in the ``tzdata`` package, else none."""
    try:
        return ZONE_TABLE.read_text(encoding="utf-8").splitlines()
    except OSError:
        pass
    try:
        from importlib.resources import files

        return (files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8").splitlines()
    except (ModuleNotFoundError, OSError):
        return []


@cache
def country_of_zone(zone: str) -> str:
    """ISO 3166 code of the country of a tz zone (``America/Sao_Paulo`` -> ``BR``), "" if unknown."""
    for line in _zone_table():
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 3 and fields[2] == zone:
            return fields[0]
    return ""


def _tile_origin(url: str | None) -> str | None:
    """``scheme://host[:port]`` of a tile URL template, or None when none is configured/valid."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    netloc = parts.netloc
    if "{s}" in url:
        # Leaflet fills {s} with a, b or c: allow that host family.
        netloc = urlsplit(url.replace("{s}", "*")).netloc
    return f"{parts.scheme}://{netloc}"


def content_security_policy(tile_url: str | None) -> str:
    """The page's CSP: own origin only; images also from the configured tile server."""
    img = "'self' data:"
    origin = _tile_origin(tile_url)
    if origin:
        img += f" {origin}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _city_country() -> str:
    """The served city's country from its time zone, "" when it cannot be told."""
    from webapp.errors import ApiError
    from webapp.runtime import current_city

    try:
        return country_of_zone(current_city().config.timezone)
    except ApiError:  # no city loaded (e.g. LOAD_CITY off): the page still renders, without the note
        return ""


@bp.get("/")
def index() -> Response:
    """The planner page."""
    tile_url = current_app.config.get("TILE_URL") or ""
    lang = choose_language(request)
    html = render_template(
        "index.html",
        tile_url=tile_url if _tile_origin(tile_url) else "",
        tile_attribution=current_app.config.get("TILE_ATTRIBUTION") or "",
        leaflet_version=LEAFLET_VERSION,
        lang=lang,
        languages=LANGUAGE_NAMES,
        messages=catalogue(lang),
        t=lambda key, **params: translate(lang, key, **params),
        sort_keys=SORT_KEYS,
        country=_city_country(),
    )
    resp = current_app.response_class(html, mimetype="text/html")
    resp.headers["Vary"] = "Accept-Language, Cookie"
    resp.headers["Content-Language"] = lang
    resp.headers["Content-Security-Policy"] = content_security_policy(tile_url)
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
    return resp


@bp.get("/vendor/leaflet/<path:filename>")
def leaflet(filename: str) -> Response:
    """Leaflet from the ``xstatic-leaflet`` package: no CDN."""
    return send_from_directory(LEAFLET_DIR, filename, max_age=86400)
