"""Totals of a person's log per ISO week or calendar month, by mode, added up by the database.

Periods follow the local date of each trip (the UTC offset it was planned in). Per-mode distance,
duration and CO2e come from the entry's legs (a transit trip's walks count as walking); trip
counts go by the entry's own mode.

The sums are ``GROUP BY`` queries (SQLite and PostgreSQL), so a 50,000-entry log sends a few
hundred rows to Python instead of every entry: nothing is stored beside the entries that could
drift from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, Float, Integer, cast, func, select, true
from sqlalchemy.orm import Session

from webapp.footprint.models import Trip

PERIODS = ("week", "month")
_FIGURES = ("distance_m", "duration_s", "co2e_g")


@dataclass(frozen=True)
class Totals:
    """The per-period totals of one log, oldest period first, and what the page reads of them."""

    buckets: list[dict[str, Any]]

    @property
    def trips(self) -> int:
        """How many entries the log holds (every entry falls in exactly one period)."""
        return sum(b["trips"] for b in self.buckets)

    @property
    def modes(self) -> set[str]:
        """Every entry mode the log has."""
        return {mode for b in self.buckets for mode in b["trips_by_mode"]}


def _sqlite_local() -> ColumnElement[Any]:
    return func.datetime(Trip.started_at, func.printf("%d minutes", Trip.utc_offset_min))


def _period_start(dialect: str, period: str) -> ColumnElement[Any]:
    """The first local day of the week (ISO: Monday) or month of an entry, as SQL."""
    if dialect == "sqlite":
        local = _sqlite_local()
        if period == "month":
            return func.date(local, "start of month")
        # strftime('%w') counts from Sunday = 0; (w + 6) % 7 days back is the Monday.
        back = (cast(func.strftime("%w", local), Integer) + 6) % 7
        return func.date(local, func.printf("-%d days", back))
    local_pg = Trip.started_at + func.make_interval(0, 0, 0, 0, 0, Trip.utc_offset_min)
    return cast(func.date_trunc(period, local_pg), Date)  # PostgreSQL's 'week' is the ISO week


def _json_figure(dialect: str, value: Any, key: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return cast(func.json_extract(value, f"$.{key}"), Float)
    return cast(value.op("->>")(key), Float)


def totals(session: Session, owner_id: int, *, period: str) -> Totals:
    """Per-period totals of one owner's log, for the periods that have at least one trip.

    Parameters
    ----------
    session
        A session on the footprint database.
    owner_id
        Whose log.
    period
        ``"week"`` or ``"month"``.
    """
    dialect = session.get_bind().dialect.name
    # Grouped outside a subquery: PostgreSQL cannot tell that the period expression in GROUP BY
    # (with its own bound parameters) is the one in SELECT.
    entries = select(_period_start(dialect, period).label("start"), Trip).where(Trip.owner_id == owner_id).subquery()
    by_entry_mode = select(
        entries.c.start,
        entries.c.mode,
        func.count(),
        func.sum(entries.c.distance_m),
        func.sum(entries.c.duration_s),
        func.sum(entries.c.co2e_g),
        func.count() - func.count(entries.c.co2e_g),
    ).group_by(entries.c.start, entries.c.mode)
    legs = func.json_each(entries.c.by_mode).table_valued("key", "value")
    by_leg_mode = (
        select(
            entries.c.start,
            legs.c.key,
            *(func.sum(func.coalesce(_json_figure(dialect, legs.c.value, k), 0.0)) for k in _FIGURES),
        )
        .select_from(entries)
        .join(legs, true())
        .group_by(entries.c.start, legs.c.key)
    )
    buckets: dict[date, dict[str, Any]] = {}

    def bucket(first: Any) -> dict[str, Any]:
        day = first if isinstance(first, date) else date.fromisoformat(str(first))
        if day not in buckets:
            buckets[day] = _empty(*period_of(day, period))
        return buckets[day]

    for first, mode, count, distance, duration, co2e, missing in session.execute(by_entry_mode):
        slot = bucket(first)
        slot["trips"] += count
        slot["trips_by_mode"][mode] = count
        slot["distance_m"] += distance or 0.0
        slot["duration_s"] += duration or 0.0
        slot["co2e_g"] += co2e or 0.0
        slot["co2e_missing"] += missing
    for first, mode, distance, duration, co2e in session.execute(by_leg_mode):
        bucket(first)["by_mode"][mode] = {"distance_m": distance, "duration_s": duration, "co2e_g": co2e}
    return Totals([_rounded(buckets[key]) for key in sorted(buckets)])


def period_of(day: date, period: str) -> tuple[str, date, date]:
    """(label, first day, last day) of the week (ISO, Monday first) or month holding ``day``."""
    if period == "week":
        iso = day.isocalendar()
        start = day - timedelta(days=day.weekday())
        return f"{iso.year}-W{iso.week:02d}", start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return f"{day.year}-{day.month:02d}", start, following - timedelta(days=1)


def _empty(label: str, start: date, end: date) -> dict[str, Any]:
    return {
        "period": label,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "trips": 0,
        "trips_by_mode": {},
        "distance_m": 0.0,
        "duration_s": 0.0,
        "co2e_g": 0.0,
        "co2e_missing": 0,
        "by_mode": {},
    }


def _rounded(bucket: dict[str, Any]) -> dict[str, Any]:
    for key in _FIGURES:
        bucket[key] = round(float(bucket[key]), 3)
        for slot in bucket["by_mode"].values():
            slot[key] = round(float(slot[key]), 3)
    bucket["by_mode"] = dict(sorted(bucket["by_mode"].items()))
    bucket["trips_by_mode"] = dict(sorted(bucket["trips_by_mode"].items()))
    return bucket


def contiguous(buckets: list[dict[str, Any]], *, period: str, last: int) -> list[dict[str, Any]]:
    """The ``last`` periods up to the newest one with trips, empty periods included (for charts)."""
    if not buckets:
        return []
    by_label = {b["period"]: b for b in buckets}
    newest = date.fromisoformat(buckets[-1]["start"])
    oldest = date.fromisoformat(buckets[0]["start"])
    starts = [newest]
    while len(starts) < last and starts[-1] > oldest:
        starts.append(_previous(starts[-1], period))
    out = []
    for start in reversed(starts):
        label, first, end = period_of(start, period)
        out.append(by_label.get(label) or _rounded(_empty(label, first, end)))
    return out


def _previous(start: date, period: str) -> date:
    if period == "week":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)
