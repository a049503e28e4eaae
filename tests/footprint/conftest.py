"""Fixtures of the footprint tests: one fresh database per test, SQLite and PostgreSQL.

The PostgreSQL variant runs when ``GREENROUTE_TEST_DATABASE_URL`` names a server where the user
may create databases (``.ci/postgres.sh`` starts one); each test gets its own database.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.footprint.helpers import Person
from webapp.footprint.db import get_engine, normalize_url

PG_ENV = "GREENROUTE_TEST_DATABASE_URL"
FAST_LIMITS = {
    "FOOTPRINT_RATE_KEYS": "100000/second",
    "FOOTPRINT_RATE_WRITES": "100000/second",
    "FOOTPRINT_RATE_READS": "100000/second",
}


@contextlib.contextmanager
def pg_database(admin_url: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on ``admin_url``'s server, dropped afterwards."""
    admin = create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    name = "gr_test_" + uuid.uuid4().hex[:12]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalize_url(admin_url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: SQLite in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'footprint.sqlite'}"
        return
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"{PG_ENV} is not set; start a server with .ci/postgres.sh to run this")
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip('psycopg is not installed: pip install -e ".[postgres]"')
    with pg_database(admin_url) as url:
        yield url


def app_config(db_url: str, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    """The test configuration of ``create_app`` for the footprint tests."""
    config: dict[str, Any] = {"TESTING": True, "DATABASE_URL": db_url, "LOAD_CITY": False}
    config.update(FAST_LIMITS)
    config.update(extra)
    return config


@pytest.fixture()
def make_app(db_url: str, tmp_path: Path) -> Iterator[Any]:
    """A factory of apps on the test's database (engines disposed at the end)."""
    from webapp import create_app

    apps: list[Flask] = []

    def make(**extra: Any) -> Flask:
        app = create_app(app_config(db_url, tmp_path, **extra))
        apps.append(app)
        return app

    yield make
    for app in apps:
        get_engine(app).dispose()


@pytest.fixture()
def app(make_app: Any) -> Flask:
    """An app with the default settings (key auth), rate limits out of the way."""
    made: Flask = make_app()
    return made


@pytest.fixture()
def engine(app: Flask) -> Engine:
    """The app's engine, to look at rows directly."""
    return get_engine(app)


@pytest.fixture()
def alice(app: Flask) -> Person:
    """A person whose log is on."""
    person = Person(app)
    person.turn_on()
    return person


@pytest.fixture()
def bob(app: Flask) -> Person:
    """Another person whose log is on, in another browser."""
    person = Person(app)
    person.turn_on()
    return person
