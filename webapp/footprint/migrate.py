"""Apply the footprint migrations at startup, safely when several workers start at once.

Alembic (about a fifth of a second to import) is loaded only when the database is not already at
the newest revision: the usual start, on a current database, reads the version table and goes on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from webapp.footprint.db import WRITE_OPTION, is_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

_SCRIPTS = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every worker.
_PG_LOCK_KEY = 0x67726E6670  # "grnfp"
_VERSION_TABLE = "footprint_alembic_version"  # as migrations/env.py configures Alembic
# ``revision = "0001"`` or ``revision: str = "0001"`` (either template), and the same for down_revision.
_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=\n]*)?=(.*)$", re.M)


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at the migrations shipped in this package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def script_heads() -> set[str] | None:
    """The head revisions of the shipped migrations, read from their files without Alembic.

    None when a migration file cannot be read this way (then Alembic decides).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((_SCRIPTS / "versions").glob("*.py")):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    return revisions - parents or None


def is_current(engine: Engine) -> bool:
    """Whether the database of ``engine`` is at the newest revision (False when unsure)."""
    heads = script_heads()
    if heads is None:
        return False
    try:
        with engine.connect() as conn:
            stamped = set(conn.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalars())
    except SQLAlchemyError:  # no version table yet: a new database
        return False
    return stamped == heads


def upgrade(engine: Engine) -> None:
    """Bring the database of ``engine`` to the newest schema.

    The whole upgrade runs in one transaction that first takes a database-wide lock (SQLite:
    ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock), so a second worker waits,
    then finds the schema current and does nothing. Both databases have transactional DDL, so an
    interrupted upgrade leaves the old schema, never half a new one. A database already at the
    newest revision is left alone without loading Alembic.
    """
    if is_current(engine):
        return
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            if not is_sqlite(engine):
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
