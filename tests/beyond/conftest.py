"""Fixtures of the beyond-the-anchors tests: the hand-made tiny city and a Porto Alegre planner."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from routing.planner import Planner
from tests.beyond.tiny_city import build_tiny_city


@pytest.fixture(scope="session")
def tiny_planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    city, folder = build_tiny_city(tmp_path_factory.mktemp("tiny"))
    return Planner(folder, city)


@pytest.fixture(scope="session")
def poa_planner(poa_folder: Path) -> Planner:
    from routing.city import load_city

    return Planner(poa_folder, load_city("porto-alegre"))


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def beyond_server(tmp_path_factory: pytest.TempPathFactory, poa_folder: Path) -> Iterator[str]:
    """Base URL of the real app (Porto Alegre) under waitress in a thread, as in tests/ui."""
    from waitress.server import create_server

    from webapp import create_app

    data = tmp_path_factory.mktemp("beyond-ui")
    app = create_app({"TESTING": True, "CITY": "porto-alegre", "DATABASE_URL": f"sqlite:///{data / 'f.sqlite'}"})
    srv: Any = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Chromium for one test module: other modules start their own Playwright, one at a time."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync", "--no-first-run"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield browser
        finally:
            browser.close()
