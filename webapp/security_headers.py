"""The headers every answer of the app carries: a strict Content-Security-Policy and its companions.

The page makes no third-party request (no CDN, no analytics, no web fonts), so ``'self'`` is the
whole policy; a view that sets its own value for one of these headers keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def install(app: Flask, *, private_paths: Sequence[str] = ()) -> None:
    """Add :data:`HEADERS` to every answer of ``app``, and ``Cache-Control: no-store`` to those under
    ``private_paths`` (personal data must not sit in shared caches or another user's back/forward
    cache), errors and unknown paths under them included."""
    prefixes = tuple(private_paths)

    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        path = request.path
        if any(path == p or path.startswith(p + "/") for p in prefixes):
            response.headers["Cache-Control"] = "no-store"
        return response

    app.after_request(add_headers)
