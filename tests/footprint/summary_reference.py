"""The totals of a log added up in Python, entry by entry: the oracle of the SQL totals.

This is how ``webapp/footprint/summary.py`` added up a log before the database did it (commit
ed1f38f), kept unchanged in logic so the tests compare the SQL against an independent reading of
the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.footprint.checks import local_time
from webapp.footprint.models import Trip
from webapp.footprint.summary import period_of

_COLUMNS = (
    Trip.uuid,
    Trip.started_at,
    Trip.utc_offset_min,
    Trip.mode,
    Trip.distance_m,
    Trip.duration_s,
    Trip.co2e_g,
    Trip.by_mode,
)


def rows(session: Session, owner_id: int) -> list[Any]:
    """What the reference reads of every entry of one owner."""
    return list(session.execute(select(*_COLUMNS).where(Trip.owner_id == owner_id)))


def summarize(trips: Iterable[Any], *, period: str) -> list[dict[str, Any]]:
    """Per-period totals, oldest first, for the periods that have at least one trip."""
    buckets: dict[str, dict[str, Any]] = {}
    for trip in sorted(trips, key=lambda t: (t.started_at, t.uuid)):
        label, start, end = period_of(local_time(trip.started_at, trip.utc_offset_min).date(), period)
        bucket = buckets.setdefault(
            label,
            {
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
            },
        )
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
    for bucket in buckets.values():
        for key in ("distance_m", "duration_s", "co2e_g"):
            bucket[key] = round(bucket[key], 3)
            for slot in bucket["by_mode"].values():
                slot[key] = round(slot[key], 3)
        bucket["by_mode"] = dict(sorted(bucket["by_mode"].items()))
        bucket["trips_by_mode"] = dict(sorted(bucket["trips_by_mode"].items()))
    return [buckets[key] for key in sorted(buckets)]
