"""Totals of a person's log per ISO week or calendar month, by mode.

Periods follow the local date of each trip (the UTC offset it was planned in). Per-mode distance,
duration and CO2e come from the entry's legs (a transit trip's walks count as walking); trip
counts go by the entry's own mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.footprint.checks import local_time
from webapp.footprint.models import Trip

PERIODS = ("week", "month")
# What the totals read of an entry: no legs, no places.
_SUMMARY_COLUMNS = (
    Trip.uuid,
    Trip.started_at,
    Trip.utc_offset_min,
    Trip.mode,
    Trip.distance_m,
    Trip.duration_s,
    Trip.co2e_g,
    Trip.by_mode,
)


def summary_rows(session: Session, owner_id: int) -> list[Any]:
    """The columns :func:`summarize` reads, for every entry of one owner, as plain rows.

    Plain rows, not ORM objects: at a log's 50,000-entry cap building the objects took most of
    the time of ``/log`` and ``/api/footprint/summary``.
    """
    return list(session.execute(select(*_SUMMARY_COLUMNS).where(Trip.owner_id == owner_id)))


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


def summarize(trips: Iterable[Any], *, period: str) -> list[dict[str, Any]]:
    """Per-period totals, oldest first, for the periods that have at least one trip.

    Parameters
    ----------
    trips
        The entries of one person (:class:`Trip` objects or :func:`summary_rows`).
    period
        ``"week"`` or ``"month"``.
    """
    buckets: dict[str, dict[str, Any]] = {}
    # A fixed order makes float sums identical whatever order the rows came in.
    for trip in sorted(trips, key=lambda t: (t.started_at, t.uuid)):
        label, start, end = period_of(local_time(trip.started_at, trip.utc_offset_min).date(), period)
        bucket = buckets.setdefault(label, _empty(label, start, end))
        bucket["trips"] += 1
        bucket["trips_by_mode"][trip.mode] = bucket["trips_by_mode"].get(trip.mode, 0) + 1
        bucket["distance_m"] += trip.distance_m
        bucket["duration_s"] += trip.duration_s
        if trip.co2e_g is None:
            bucket["co2e_missing"] += 1
        else:
            bucket["co2e_g"] += trip.co2e_g
        for mode, figures in trip.by_mode.items():
            slot = bucket["by_mode"].setdefault(mode, {"distance_m": 0.0, "duration_s": 0.0, "co2e_g": 0.0})
            slot["distance_m"] += figures["distance_m"]
            slot["duration_s"] += figures["duration_s"]
            slot["co2e_g"] += figures["co2e_g"] or 0.0
    return [_rounded(buckets[key]) for key in sorted(buckets)]


def _rounded(bucket: dict[str, Any]) -> dict[str, Any]:
    for key in ("distance_m", "duration_s", "co2e_g"):
        bucket[key] = round(bucket[key], 3)
        for slot in bucket["by_mode"].values():
            slot[key] = round(slot[key], 3)
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
