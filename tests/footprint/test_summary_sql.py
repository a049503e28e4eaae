"""The SQL totals equal an entry-by-entry reading of the log after any writes, changes, erases, imports.

Hypothesis writes random entries (local dates around week, month and year ends, offsets from
UTC-12 to UTC+14, unknown CO2e, several modes per entry), changes and deletes some, and compares
``summary.totals`` with the Python reference on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from tests.footprint import summary_reference
from tests.footprint.helpers import Person, walk_option
from webapp.footprint.entries import apply_patch, by_mode_of
from webapp.footprint.models import Owner, Trip
from webapp.footprint.summary import PERIODS, totals

MODES = ("walk", "bike", "transit", "drive", "taxi")
# Moments whose local date changes with the offset: ISO years that start in December or end in
# January, months of 28 to 31 days.
_EDGES = [datetime(y, m, d) for y, m, d in ((2019, 12, 30), (2020, 12, 31), (2021, 1, 3), (2024, 2, 29), (2026, 3, 1))]

_moment = st.one_of(
    st.datetimes(min_value=datetime(2019, 12, 20), max_value=datetime(2027, 1, 10)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.builds(lambda edge, minutes: edge + timedelta(minutes=minutes), st.sampled_from(_EDGES), st.integers(-900, 900)),
)
_figure = st.floats(min_value=0, max_value=4e7, allow_nan=False, allow_infinity=False)
_co2e = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))
_leg = st.fixed_dictionaries(
    {"mode": st.sampled_from(MODES), "distance_m": _figure, "duration_s": _figure, "co2e_g": _co2e}
)
_entry = st.fixed_dictionaries(
    {
        "started_at": _moment,
        "utc_offset_min": st.integers(-720, 840),
        "mode": st.sampled_from(MODES),
        "legs": st.lists(_leg, min_size=1, max_size=4),
        "co2e_g": _co2e,
    }
)
_change = st.one_of(
    st.fixed_dictionaries({"mode": st.sampled_from(MODES)}),
    st.fixed_dictionaries({"started_at": _moment.map(lambda d: d.isoformat() + "+05:30")}),
)


def _trip(owner_id: int, entry: dict[str, Any]) -> Trip:
    legs = entry["legs"]
    return Trip(
        owner_id=owner_id,
        uuid=str(uuid.uuid4()),
        started_at=entry["started_at"],
        utc_offset_min=entry["utc_offset_min"],
        mode=entry["mode"],
        modes=[leg["mode"] for leg in legs],
        legs=legs,
        by_mode=by_mode_of(legs),
        distance_m=sum(leg["distance_m"] for leg in legs),
        duration_s=sum(leg["duration_s"] for leg in legs),
        co2e_g=entry["co2e_g"],
        logged_at=datetime(2026, 12, 1),
    )


def _same(sql: list[dict[str, Any]], reference: list[dict[str, Any]]) -> None:
    assert [b["period"] for b in sql] == [b["period"] for b in reference]
    for got, want in zip(sql, reference, strict=True):
        for key in ("start", "end", "trips", "trips_by_mode", "co2e_missing"):
            assert got[key] == want[key], key
        assert list(got["by_mode"]) == list(want["by_mode"])
        # Sums in another order differ in the last bits, which rounding to 3 decimals can show.
        for key in ("distance_m", "duration_s", "co2e_g"):
            assert got[key] == pytest.approx(want[key], rel=1e-12, abs=1.5e-3), key
            for mode, slot in got["by_mode"].items():
                assert slot[key] == pytest.approx(want["by_mode"][mode][key], rel=1e-12, abs=1.5e-3), (mode, key)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    added=st.lists(_entry, max_size=40),
    removed=st.lists(st.integers(0, 39), max_size=10),
    changed=st.lists(st.tuples(st.integers(0, 39), _change), max_size=10),
)
def test_sql_totals_equal_the_entry_by_entry_reference(
    engine: Engine, added: list[dict[str, Any]], removed: list[int], changed: list[tuple[int, dict[str, Any]]]
) -> None:
    with Session(engine) as session:
        owner = Owner(created_at=datetime(2026, 12, 1))
        other = Owner(created_at=datetime(2026, 12, 1))  # whose entries must not count
        session.add_all([owner, other])
        session.flush()
        trips = [_trip(owner.id, e) for e in added]
        session.add_all([*trips, *(_trip(other.id, e) for e in added[:3])])
        session.flush()
        for i, change in changed:
            if i < len(trips):
                apply_patch(trips[i], change)
        for i in removed:
            if i < len(trips):
                session.execute(delete(Trip).where(Trip.id == trips[i].id))
        session.flush()
        reference_rows = summary_reference.rows(session, owner.id)
        for period in PERIODS:
            summed = totals(session, owner.id, period=period)
            _same(summed.buckets, summary_reference.summarize(reference_rows, period=period))
            assert summed.trips == len(reference_rows)
            assert summed.modes == {r.mode for r in reference_rows}
        session.rollback()


def test_totals_after_an_import_and_an_erase(app: Flask, engine: Engine) -> None:
    alice = Person(app)
    alice.turn_on()
    for day in (1, 8, 30):
        alice.log_ok(walk_option(100.0 * day, f"2026-11-{day:02d}T23:30:00-03:00"))
    export = alice.get("/api/footprint/export.json").get_json()
    entries = [{**e, "id": str(uuid.uuid4())} for e in export["entries"] * 4]
    doc = {"format": "greenroute-footprint", "version": 1, "entries": entries}
    assert alice.post("/api/footprint/import", json=doc).status_code == 200
    summary = alice.get("/api/footprint/summary").get_json()
    assert sum(w["trips"] for w in summary["weeks"]) == 15 == sum(m["trips"] for m in summary["months"])
    assert [m["distance_m"] for m in summary["months"]] == [5 * 3900.0]
    assert alice.delete("/api/footprint").get_json()["trips_deleted"] == 15
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Trip)) == 0
