"""The map page: ``/`` and the vendored Leaflet files it loads (``/vendor/leaflet/...``).

The page holds no inline script or style, so it runs under a Content-Security-Policy that allows
only this server (plus the tile server, when one is configured).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import xstatic.pkg.leaflet as xstatic_leaflet
from flask import Blueprint, Response, current_app, render_template, send_from_directory

bp = Blueprint("ui", __name__)

LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
LEAFLET_VERSION = str(xstatic_leaflet.VERSION)


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


@bp.get("/")
def index() -> Response:
    """The planner page."""
    tile_url = current_app.config.get("TILE_URL") or ""
    html = render_template(
        "index.html",
        tile_url=tile_url if _tile_origin(tile_url) else "",
        tile_attribution=current_app.config.get("TILE_ATTRIBUTION") or "",
        leaflet_version=LEAFLET_VERSION,
    )
    resp = current_app.response_class(html, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = content_security_policy(tile_url)
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
    return resp


@bp.get("/vendor/leaflet/<path:filename>")
def leaflet(filename: str) -> Response:
    """Leaflet from the ``xstatic-leaflet`` package: no CDN."""
    return send_from_directory(LEAFLET_DIR, filename, max_age=86400)
