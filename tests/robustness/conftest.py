"""Fixtures of the robustness tests: an app on Porto Alegre with its own footprint database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.robustness.fuzzing import ORIGIN, footprint_auth


@pytest.fixture(scope="session")
def robust_app(poa_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Porto Alegre, a fresh footprint database, rate limits out of the fuzzer's way."""
    from webapp import create_app

    db = tmp_path_factory.mktemp("robust-db") / "footprint.sqlite"
    yield create_app(
        {
            "TESTING": True,
            "CITY": "porto-alegre",
            "DATABASE_URL": f"sqlite:///{db}",
            "FOOTPRINT_RATE_KEYS": "100000/second",
            "FOOTPRINT_RATE_WRITES": "100000/second",
            "FOOTPRINT_RATE_READS": "100000/second",
            # The fuzzer checks answers, not speed: a busy 2-core CI machine cut one fuzzed isochrone
            # at the default 1.5 s (a 503 by design). tests/hostile/test_budget.py checks the cuts.
            "ISOCHRONE_BUDGET_S": 5.0,
        }
    )


@pytest.fixture()
def client(robust_app: Flask) -> FlaskClient:
    return robust_app.test_client()


@pytest.fixture()
def log_client(robust_app: Flask) -> tuple[FlaskClient, dict[str, str]]:
    """A client whose footprint log is on, and the headers a change needs (Origin, CSRF token)."""
    headers, cookies = footprint_auth(robust_app)
    client = robust_app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    assert headers["Origin"] == ORIGIN
    return client, headers
