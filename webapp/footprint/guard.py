"""Request guards of the footprint API: same-origin and CSRF checks, rate limits.

CSRF protection is two independent checks on every state-changing request:

1. ``Origin`` (or, when a browser sent none, ``Referer``) must name exactly this server's scheme
   and host; a request carrying neither is refused.
2. Double-submit token: ``GET /api/footprint/csrf`` sets a random token in an HttpOnly,
   SameSite=Strict cookie and returns it in the body; the request must echo it in
   ``X-CSRF-Token``. Another site can neither read the body nor make the browser send the cookie.
"""

from __future__ import annotations

import hmac
import math
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

from webapp.errors import ApiError
from webapp.footprint.db import get_engine
from webapp.footprint.ratelimit import TokenBucket
from webapp.footprint.ratestore import DatabaseBucket

CSRF_COOKIE = "greenroute_csrf"
CSRF_HEADER = "X-CSRF-Token"
_EXT = "footprint_limits"
# Each kind of bucket, and what its 429 says is limited.
_WHAT = {"keys": "turning the log on or signing in", "writes": "changes to the log", "reads": "reading the log"}


def init_limits(app: Flask) -> None:
    """Create the app's rate-limit buckets from ``FOOTPRINT_RATE_KEYS`` / ``_WRITES`` / ``_READS``.

    ``RATE_LIMIT_STORE``: ``database`` (default) keeps them in the footprint database, shared by
    every worker and instance; ``memory`` keeps them per worker process (each one allows the rate).
    """
    database = app.config["RATE_LIMIT_STORE"] == "database"
    buckets: dict[str, TokenBucket | DatabaseBucket] = {}
    for kind in _WHAT:
        rate = str(app.config[f"FOOTPRINT_RATE_{kind.upper()}"])
        if database:
            buckets[kind] = DatabaseBucket.from_rate(kind, rate, engine=get_engine(app))
        else:
            buckets[kind] = TokenBucket.from_rate(rate)
    app.extensions[_EXT] = buckets


def rate_limit(kind: str) -> None:
    """Take a token from the ``kind`` bucket ("keys", "writes" or "reads") of the client's address.

    Raises
    ------
    ApiError
        429 with ``retry_after_s`` when the bucket is empty.
    """
    bucket: TokenBucket | DatabaseBucket = current_app.extensions[_EXT][kind]
    wait = bucket.take(request.remote_addr or "unknown")
    if wait > 0:
        what = _WHAT[kind]
        raise ApiError(
            429,
            "rate_limited",
            f"too many requests for {what} from this address; retry in {math.ceil(wait)} s",
            retry_after_s=math.ceil(wait),
        )


def _this_origin() -> str:
    return f"{request.scheme}://{request.host}".lower()


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_same_origin() -> None:
    """Refuse (403) a request whose Origin, or Referer when Origin is absent, is not this server."""
    origin = request.headers.get("Origin")
    if origin is not None:
        claimed = _origin_of(origin) if origin != "null" else None
        source = "Origin"
    else:
        referer = request.headers.get("Referer")
        if referer is None:
            raise ApiError(
                403,
                "origin_required",
                "a change to the log needs an Origin or Referer header naming this server",
            )
        claimed = _origin_of(referer)
        source = "Referer"
    if claimed != _this_origin():
        raise ApiError(
            403,
            "cross_origin",
            f"the {source} header does not name this server ({_this_origin()}); "
            "the log can only be changed from its own pages",
        )


def check_csrf_token() -> None:
    """Refuse (403) a request whose ``X-CSRF-Token`` header does not match the CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not header:
        raise ApiError(
            403,
            "csrf_token_missing",
            f"send the token from GET /api/footprint/csrf in the {CSRF_HEADER} header",
        )
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise ApiError(
            403,
            "csrf_token_invalid",
            f"the {CSRF_HEADER} header does not match this browser's token; "
            "fetch a fresh one from GET /api/footprint/csrf",
        )


def protect_change(kind: str = "writes") -> None:
    """All checks of a state-changing request: same origin, CSRF token, then the rate limit."""
    check_same_origin()
    check_csrf_token()
    rate_limit(kind)


def csrf_token_for(response: Response) -> str:
    """The browser's CSRF token, created and set as a cookie on ``response`` when missing."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) != 43:
        token = secrets.token_urlsafe(32)
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            secure=request.is_secure,
            path="/",
        )
    return token
