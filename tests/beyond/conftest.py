"""Fixtures of the beyond-the-anchors tests: the hand-made tiny city and a Porto Alegre planner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from routing.plan.planner import Planner
from tests.beyond.tiny_city import build_tiny_city
from tests.browser_support import serve_in_thread


@pytest.fixture(scope="session")
def tiny_planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    city, folder = build_tiny_city(tmp_path_factory.mktemp("tiny"))
    return Planner(folder, city)


@pytest.fixture(scope="session")
def poa_planner(poa_folder: Path) -> Planner:
    from routing.core.city import load_city

    return Planner(poa_folder, load_city("porto-alegre"))


@pytest.fixture(scope="session")
def beyond_server(tmp_path_factory: pytest.TempPathFactory, poa_folder: Path) -> Iterator[str]:
    """Base URL of the real app (Porto Alegre) under waitress in a thread, as in tests/ui."""
    with serve_in_thread(tmp_path_factory.mktemp("beyond-ui") / "f.sqlite", threads=4) as base:
        yield base


@pytest.fixture()
def chromium(browser: Any) -> Any:
    """The session's Chromium (tests/conftest.py), under the name these tests use."""
    return browser
