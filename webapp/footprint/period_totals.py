"""Running totals of each log per week and month, kept in the same transaction as every change.

Every write path calls :func:`record`: a new entry and an import add their entries' shares, a
delete takes them away, a change takes the old share away and adds the new one, and erasing a log
deletes its rows. Figures are whole thousandths (mm, ms, mg): integer sums are exact, so adding
and taking away in any order leaves the same totals a full :func:`rebuild_all` computes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from webapp.footprint.checks import local_time
from webapp.footprint.models import PeriodTotal, Trip

PERIODS = ("week", "month")
FIGURES = ("distance", "duration", "co2e")
_COLUMNS = ("entries", "distance_mm", "duration_ms", "co2e_mg", "co2e_missing")
_Key = tuple[str, date, str, str]  # period, start, kind, mode


@dataclass(frozen=True)
class Share:
    """What one entry adds to its periods' totals: the fields :func:`record` reads of it."""

    started_at: datetime
    utc_offset_min: int
    mode: str
    distance_m: float
    duration_s: float
    co2e_g: float | None
    by_mode: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, entry: Any) -> Share:
        """The share of a :class:`Trip` or of its column values (a dict)."""

        def get(name: str) -> Any:
            return entry[name] if isinstance(entry, dict) else getattr(entry, name)

        return cls(
            started_at=get("started_at"),
            utc_offset_min=get("utc_offset_min"),
            mode=get("mode"),
            distance_m=get("distance_m"),
            duration_s=get("duration_s"),
            co2e_g=get("co2e_g"),
            by_mode={m: dict(v) for m, v in get("by_mode").items()},
        )


def thousandths(value: float | None) -> int:
    """``value`` in whole thousandths (half up; None, an unknown CO2e, counts as 0)."""
    return 0 if value is None else math.floor(value * 1000 + 0.5)


def period_of(day: date, period: str) -> tuple[str, date, date]:
    """(label, first day, last day) of the week (ISO, Monday first) or month holding ``day``."""
    if period == "week":
        iso = day.isocalendar()
        start = day - timedelta(days=day.weekday())
        return f"{iso.year}-W{iso.week:02d}", start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return f"{day.year}-{day.month:02d}", start, following - timedelta(days=1)


def _deltas(shares: Iterable[Share], sign: int) -> dict[_Key, list[int]]:
    out: dict[_Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for share in shares:
        day = local_time(share.started_at, share.utc_offset_min).date()
        for period in PERIODS:
            start = period_of(day, period)[1]
            row = out[(period, start, "entry", share.mode)]
            row[0] += sign
            row[1] += sign * thousandths(share.distance_m)
            row[2] += sign * thousandths(share.duration_s)
            row[3] += sign * thousandths(share.co2e_g)
            row[4] += sign * (share.co2e_g is None)
            for mode, figures in share.by_mode.items():
                leg = out[(period, start, "leg", mode)]
                leg[0] += sign
                leg[1] += sign * thousandths(figures["distance_m"])
                leg[2] += sign * thousandths(figures["duration_s"])
                leg[3] += sign * thousandths(figures["co2e_g"])
    return out


def record(session: Session, owner_id: int, *, added: Iterable[Any] = (), removed: Iterable[Any] = ()) -> None:
    """Add the shares of ``added`` entries to ``owner_id``'s totals and take away ``removed``'s.

    Call it inside the write transaction that adds, changes or deletes those entries (a changed
    entry is removed as it was and added as it is). Each period row is an atomic upsert, so two
    transactions changing one log at once both count.

    Parameters
    ----------
    session
        The write session.
    owner_id
        Whose log.
    added, removed
        Entries (:class:`Trip`, column dicts, or :class:`Share`).
    """
    deltas = _deltas((e if isinstance(e, Share) else Share.of(e) for e in added), +1)
    for key, row in _deltas((e if isinstance(e, Share) else Share.of(e) for e in removed), -1).items():
        deltas[key] = [a + b for a, b in zip(deltas[key], row, strict=True)]
    changed = {key: row for key, row in deltas.items() if any(row)}
    if not changed:
        return
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    table = Table(PeriodTotal.__tablename__, PeriodTotal.metadata)
    # In key order, so that two transactions on one log lock its rows in the same order.
    for (period, start, kind, mode), row in sorted(changed.items()):
        values = dict(zip(_COLUMNS, row, strict=True))
        stmt = insert(table).values(owner_id=owner_id, period=period, start=start, kind=kind, mode=mode, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["owner_id", "period", "start", "kind", "mode"],
            set_={c: table.c[c] + stmt.excluded[c] for c in _COLUMNS},
        )
        session.execute(stmt)
    session.execute(delete(PeriodTotal).where(PeriodTotal.owner_id == owner_id, PeriodTotal.entries == 0))


def forget(session: Session, owner_id: int) -> None:
    """Delete every total of ``owner_id`` (the log is being erased)."""
    session.execute(delete(PeriodTotal).where(PeriodTotal.owner_id == owner_id))


_SHARE_COLUMNS = (
    Trip.owner_id,
    Trip.started_at,
    Trip.utc_offset_min,
    Trip.mode,
    Trip.distance_m,
    Trip.duration_s,
    Trip.co2e_g,
    Trip.by_mode,
)


def recompute(session: Session, owner_id: int) -> dict[_Key, list[int]]:
    """``owner_id``'s totals computed afresh from every entry (what the kept rows must equal)."""
    rows = session.execute(select(*_SHARE_COLUMNS[1:]).where(Trip.owner_id == owner_id))
    return {k: v for k, v in _deltas((Share(*r) for r in rows), +1).items() if v[0]}


def stored(session: Session, owner_id: int) -> dict[_Key, list[int]]:
    """``owner_id``'s kept totals, in the shape of :func:`recompute`."""
    rows = session.scalars(select(PeriodTotal).where(PeriodTotal.owner_id == owner_id))
    return {(r.period, r.start, r.kind, r.mode): [getattr(r, c) for c in _COLUMNS] for r in rows}


def rebuild_all(session: Session) -> None:
    """Compute every log's totals afresh from its entries (the migration that adds the table)."""
    session.execute(delete(PeriodTotal))
    owners = session.scalars(select(Trip.owner_id).distinct())
    for owner_id in list(owners):
        rows = session.execute(select(*_SHARE_COLUMNS[1:]).where(Trip.owner_id == owner_id))
        record(session, owner_id, added=[Share(*r) for r in rows])
    session.flush()
