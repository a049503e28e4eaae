"""Apply the footprint migrations at startup, safely when several workers start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from webapp.footprint.db import WRITE_OPTION, is_sqlite

_SCRIPTS = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every worker.
_PG_LOCK_KEY = 0x67726E6670  # "grnfp"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at the migrations shipped in this package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database of ``engine`` to the newest schema.

    The whole upgrade runs in one transaction that first takes a database-wide lock (SQLite:
    ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock), so a second worker waits,
    then finds the schema current and does nothing. Both databases have transactional DDL, so an
    interrupted upgrade leaves the old schema, never half a new one.
    """
    cfg = alembic_config()
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            if not is_sqlite(engine):
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
