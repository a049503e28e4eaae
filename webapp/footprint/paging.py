"""Newest-first pages of a log, read along the ``(owner_id, started_at, id)`` index.

A page after a given entry is a keyset query (``(started_at, id) < (that entry's)``), so reading
the last page of a 50,000-entry log costs what reading the first one does; ``OFFSET`` has to step
over every skipped entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, tuple_

from webapp.footprint.models import Trip

_S = TypeVar("_S", bound=Select[Any])
NEWEST_FIRST = (Trip.started_at.desc(), Trip.id.desc())


def newest_first(stmt: _S, owner_id: int, *, after: tuple[datetime, int] | None = None) -> _S:
    """``stmt`` limited to ``owner_id``'s entries, newest first, optionally those after a position.

    Parameters
    ----------
    stmt
        A ``select`` over :class:`Trip`.
    owner_id
        Whose entries.
    after
        ``(started_at, id)`` of an entry: only the entries that come after it (older, or as old
        and written earlier).
    """
    stmt = stmt.where(Trip.owner_id == owner_id)
    if after is not None:
        stmt = stmt.where(tuple_(Trip.started_at, Trip.id) < tuple_(*after))
    return stmt.order_by(*NEWEST_FIRST)
