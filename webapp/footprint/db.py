"""Database engine and sessions of the footprint log (SQLite by default, PostgreSQL by URL).

One engine per app, kept in ``app.extensions``. Reads use a session on ``g`` that the teardown
closes; every write runs in :func:`write_session`, one transaction that is committed before the
answer is sent, or rolled back whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

_EXT = "footprint_engine"
# An execution option: the transaction will write, so SQLite should take the write lock up front.
WRITE_OPTION = "footprint_write"
_SQLITE_BUSY_MS = 30_000


def normalize_url(url: str) -> str:
    """Return ``url`` with the psycopg (v3) driver named for plain PostgreSQL URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(engine: Engine) -> bool:
    """Whether ``engine`` talks to SQLite."""
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the durability and locking settings the log relies on.

    Parameters
    ----------
    url
        A SQLAlchemy URL; ``postgresql://`` URLs use psycopg 3.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_MS / 1000})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit transactions are turned off so that _sqlite_begin decides how
    # each one starts (SQLAlchemy's documented recipe for SQLite).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    # FULL: the WAL is synced at every commit, so an acknowledged entry survives a crash.
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # A deferred transaction that reads and then writes can fail at once with SQLITE_BUSY when
    # another writer got in between; taking the write lock at BEGIN makes writers queue instead.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def init_engine(app: Flask) -> Engine:
    """Create the app's engine from ``DATABASE_URL`` and keep it in ``app.extensions``."""
    engine = make_engine(str(app.config["DATABASE_URL"]))
    app.extensions[_EXT] = engine
    # A pooled connection must not cross a fork (gunicorn --preload): children start afresh.
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    app.teardown_appcontext(_close_session)
    return engine


def get_engine(app: Flask | None = None) -> Engine:
    """The engine of ``app`` (default: the current app)."""
    engine: Engine = (app or current_app).extensions[_EXT]
    return engine


def get_db() -> Session:
    """A read session for this request, closed at teardown."""
    if "footprint_db" not in g:
        g.footprint_db = Session(get_engine())
    session: Session = g.footprint_db
    return session


@contextmanager
def write_session() -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back whole on any error."""
    engine = get_engine().execution_options(**{WRITE_OPTION: True})
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("footprint_db", None)
    if session is not None:
        session.close()
