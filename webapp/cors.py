"""Cross-origin access to ``/api/``: off unless ``CORS_ORIGINS`` lists the origins allowed.

``CORS_ORIGINS`` is a list or a comma-separated string of exact origins
(``https://example.org,https://maps.example.org``), or ``*`` for any. Only ``/api/`` answers carry
the headers; the map page and the footprint pages never do. No credentials are allowed across
origins, so a footprint log's cookie never travels with a cross-origin request.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

_EXT = "greenroute_cors"
_PREFIX = "/api/"
_MAX_AGE_S = "600"


def parse_origins(value: object) -> frozenset[str]:
    """The configured origins as a set (empty: CORS off)."""
    if value is None:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]  # type: ignore[attr-defined]
    return frozenset(o.strip().rstrip("/") for o in items if o.strip())


def init_app(app: Flask) -> None:
    origins = parse_origins(app.config.get("CORS_ORIGINS"))
    app.extensions[_EXT] = origins
    if origins:
        app.after_request(_cors_headers)


def _cors_headers(response: Response) -> Response:
    origins: frozenset[str] = current_app.extensions[_EXT]
    origin = request.headers.get("Origin")
    if not origin or not request.path.startswith(_PREFIX):
        return response
    response.vary.add("Origin")
    if "*" in origins:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
    else:
        return response
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Content-Type"
        )
        response.headers["Access-Control-Max-Age"] = _MAX_AGE_S
    return response
