"""Browser-test fixtures: the real app under waitress on a free loopback port, and Chromium.

The browser is Debian's Chromium (``/usr/bin/chromium``) driven by Playwright for Python; the
``playwright`` package's own browser download does not work offline. Without that binary every
browser test is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, serve_in_thread

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real app (city porto-alegre) served by waitress in a thread."""
    with serve_in_thread(tmp_path_factory.mktemp("ui-instance") / "footprint.sqlite", threads=8) as base:
        yield base


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(autouse=True)
def _close_pages(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close every page a test opened: live maps left open keep using the two shared CPU cores."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()
