"""``TRUSTED_PROXIES``: how many reverse proxies in front of the app to believe (Werkzeug's ProxyFix).

Behind nginx every request comes from the proxy's address, so rate limits would put every visitor
in one bucket. With ``TRUSTED_PROXIES=N`` the app takes the client address from the N-th last
``X-Forwarded-For`` entry and the scheme from ``X-Forwarded-Proto`` (so cookies get ``Secure``
behind TLS). Only the entries the N trusted proxies appended are used: a client that sends its own
``X-Forwarded-For`` only adds entries further left, which are ignored. The ``Host`` header is
taken as the proxy sends it (``proxy_set_header Host $host``), never from ``X-Forwarded-Host``.

0 (the default) trusts no header: right when clients connect to greenroute directly, and wrong
behind a proxy (set it to the number of proxies, usually 1).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

MAX_TRUSTED_PROXIES = 10


def trusted_proxies(value: object) -> int:
    """The ``TRUSTED_PROXIES`` setting as a count from 0 to :data:`MAX_TRUSTED_PROXIES`.

    Raises
    ------
    ValueError
        When ``value`` is not such a whole number (settings from the environment are strings).
    """
    text = str(value if value is not None else 0).strip()
    if not text.isascii() or not text.isdigit() or int(text) > MAX_TRUSTED_PROXIES:
        raise ValueError(f"TRUSTED_PROXIES must be a whole number from 0 to {MAX_TRUSTED_PROXIES}, got {value!r}")
    return int(text)


def install(app: Flask) -> None:
    """Wrap ``app``'s WSGI callable in ProxyFix when ``TRUSTED_PROXIES`` is above 0."""
    count = trusted_proxies(app.config.get("TRUSTED_PROXIES", 0))
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
