"""Migrations: they match the models, run once, and survive several workers starting at once."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from webapp.footprint.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": "footprint_alembic_version"})
        diff = compare_metadata(ctx, Base.metadata)
        version = conn.execute(text("SELECT version_num FROM footprint_alembic_version")).scalars().all()
    assert diff == []
    assert version == ["0004"]


def test_migration_scripts_ship_inside_the_package() -> None:
    folder = ROOT / "webapp" / "footprint" / "migrations"
    assert (folder / "__init__.py").exists() and (folder / "versions" / "__init__.py").exists()
    assert (folder / "env.py").exists() and (folder / "script.py.mako").exists()


_START = """
import sys
from webapp import create_app
app = create_app({"TESTING": True, "DATABASE_URL": sys.argv[1], "LOAD_CITY": False})
print("started")
"""


def test_many_workers_starting_at_once_migrate_once(db_url: str) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _START, db_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "started"
    from webapp.footprint.db import make_engine

    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM footprint_alembic_version")).scalars().all() == ["0004"]
    engine.dispose()


def test_sqlite_settings_for_durability_and_concurrency(tmp_path: Path) -> None:
    from webapp.footprint.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'fp.sqlite'}")  # folders are created
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_postgres_urls_use_psycopg3() -> None:
    from webapp.footprint.db import normalize_url

    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x") == "sqlite:///x"


def test_upgrading_fills_the_totals_of_logs_kept_before(db_url: str) -> None:
    from alembic import command
    from sqlalchemy.orm import Session

    from tests.footprint import summary_reference
    from webapp.footprint.db import make_engine
    from webapp.footprint.migrate import alembic_config
    from webapp.footprint.models import Owner, Trip
    from webapp.footprint.period_totals import recompute, stored
    from webapp.footprint.summary import totals

    engine = make_engine(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        legs = [{"mode": "walk", "distance_m": 400.5, "duration_s": 300.0, "co2e_g": None}]
        conn.execute(Owner.__table__.insert(), [{"id": 1, "created_at": datetime(2026, 1, 1)}])
        rows = [
            {
                "owner_id": 1,
                "uuid": f"00000000-0000-4000-8000-{i:012d}",
                "started_at": datetime(2025, 12, 28, 23) + timedelta(days=i),
                "utc_offset_min": 60,
                "mode": "walk",
                "modes": ["walk"],
                "legs": legs,
                "by_mode": {"walk": legs[0] | {"co2e_g": None}},
                "distance_m": 400.5,
                "duration_s": 300.0,
                "co2e_g": None,
                "logged_at": datetime(2026, 1, 1),
            }
            for i in range(10)
        ]
        conn.execute(Trip.__table__.insert(), rows)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with Session(engine) as session:
        assert stored(session, 1) == recompute(session, 1) != {}
        weeks = totals(session, 1, period="week").buckets
        assert weeks == summary_reference.summarize(summary_reference.rows(session, 1), period="week")
        # 23:00 UTC on Sunday 28 December is Monday in UTC+1: ISO week 1 of 2026.
        assert [w["period"] for w in weeks] == ["2026-W01", "2026-W02"]
    engine.dispose()
