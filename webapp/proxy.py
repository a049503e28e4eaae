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


def install(app: Flask) -> None:
    """Wrap ``app``'s WSGI callable in ProxyFix when ``TRUSTED_PROXIES`` is above 0."""
    count = int(app.config["TRUSTED_PROXIES"])
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
