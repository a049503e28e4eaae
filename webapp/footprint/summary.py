"""Totals of a person's log per ISO week or calendar month, by mode.

Periods follow the local date of each trip (the UTC offset it was planned in). Per-mode distance,
duration and CO2e come from the entry's legs (a transit trip's walks count as walking); trip
counts go by the entry's own mode.

The totals are read from the running totals that every write keeps (``period_totals.py``): a
50,000-entry log reads a few rows per period, not every entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.footprint.models import PeriodTotal
from webapp.footprint.period_totals import PERIODS, period_of

__all__ = ["PERIODS", "Totals", "contiguous", "period_of", "totals"]
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
    rows = session.scalars(
        select(PeriodTotal).where(
            PeriodTotal.owner_id == owner_id, PeriodTotal.period == period, PeriodTotal.entries > 0
        )
    )
    buckets: dict[date, dict[str, Any]] = {}
    for row in rows:
        if row.start not in buckets:
            buckets[row.start] = _empty(*period_of(row.start, period))
        slot = buckets[row.start]
        figures = {
            "distance_m": row.distance_mm / 1000,
            "duration_s": row.duration_ms / 1000,
            "co2e_g": row.co2e_mg / 1000,
        }
        if row.kind == "leg":
            slot["by_mode"][row.mode] = figures
            continue
        slot["trips"] += row.entries
        slot["trips_by_mode"][row.mode] = row.entries
        slot["co2e_missing"] += row.co2e_missing
        for key, value in figures.items():
            slot[key] += value
    return Totals([_rounded(buckets[key]) for key in sorted(buckets)])


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
