"""Shared fixtures: compiled cities (built once into the checkout's graphs/, reused across runs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def poa_folder() -> Path:
    """Porto Alegre compiled from seeds/ (built on first use, then reused while the seeds are unchanged)."""
    from routing.build.pipeline import build_city
    from routing.core.city import load_city

    return build_city(load_city("porto-alegre"), progress=False)


@pytest.fixture(scope="session")
def poa_app(poa_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from webapp import create_app

    db = tmp_path_factory.mktemp("db") / "footprint.sqlite"
    app = create_app({"TESTING": True, "CITY": "porto-alegre", "DATABASE_URL": f"sqlite:///{db}"})
    yield app


@pytest.fixture()
def poa_client(poa_app: Flask) -> FlaskClient:
    return poa_app.test_client()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for every browser test of the session: Playwright's sync API allows only one
    running instance per thread, so folders must not each start their own."""
    from tests.browser_support import CHROMIUM, launch

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        try:
            yield chromium
        finally:
            chromium.close()
