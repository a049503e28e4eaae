"""What the browser tests share: Debian's Chromium, its launch flags, and the app served on loopback.

The ``playwright`` package's own browser download does not work offline, so tests drive
``/usr/bin/chromium`` and skip where it is absent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, through a running ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def serve_in_thread(db: Path, *, threads: int) -> Iterator[str]:
    """The real app (Porto Alegre) under waitress on a free loopback port; yields its base URL."""
    from webapp import create_app

    app = create_app({"TESTING": True, "CITY": "porto-alegre", "DATABASE_URL": f"sqlite:///{db}"})
    with serve_app_in_thread(app, threads=threads) as base:
        yield base


@contextmanager
def serve_app_in_thread(app: Any, *, threads: int) -> Iterator[str]:
    """A Flask app under waitress on a free loopback port; yields its base URL."""
    from waitress.server import create_server

    srv: Any = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.close()
