"""Totals per ISO week and per month, by mode, on local dates."""

from __future__ import annotations

from tests.footprint.helpers import Person, sample_option, walk_option


def test_weeks_and_months_follow_local_dates(alice: Person) -> None:
    # Sunday 2026-11-01 23:30 in UTC-3 is Monday 02:30 UTC: it belongs to week 44 and November.
    alice.log_ok(walk_option(1000.0, "2026-11-01T23:30:00-03:00"))
    # Monday 2026-11-02 in week 45.
    alice.log_ok(sample_option(departure="2026-11-02T08:00:00-03:00"))
    # Saturday 2026-10-31 in week 44, October.
    alice.log_ok(walk_option(500.0, "2026-10-31T12:00:00-03:00"))
    summary = alice.get("/api/footprint/summary").get_json()

    weeks = {w["period"]: w for w in summary["weeks"]}
    assert list(weeks) == ["2026-W44", "2026-W45"]
    w44, w45 = weeks["2026-W44"], weeks["2026-W45"]
    assert (w44["start"], w44["end"]) == ("2026-10-26", "2026-11-01")
    assert w44["trips"] == 2 and w44["trips_by_mode"] == {"walk": 2}
    assert w44["distance_m"] == 1500.0 and w44["co2e_g"] == 0.0
    assert w45["trips_by_mode"] == {"transit": 1}
    assert w45["by_mode"] == {
        "transit": {"distance_m": 5000.0, "duration_s": 900.0, "co2e_g": 410.0},
        "walk": {"distance_m": 1000.0, "duration_s": 500.0, "co2e_g": 0.0},
    }
    assert w45["co2e_g"] == 410.0 and w45["duration_s"] == 1500.0

    months = {m["period"]: m for m in summary["months"]}
    assert list(months) == ["2026-10", "2026-11"]
    assert months["2026-10"]["trips"] == 1 and months["2026-10"]["distance_m"] == 500.0
    assert months["2026-11"]["trips"] == 2 and months["2026-11"]["distance_m"] == 7000.0
    assert (months["2026-11"]["start"], months["2026-11"]["end"]) == ("2026-11-01", "2026-11-30")

    only = alice.get("/api/footprint/summary?period=month").get_json()
    assert list(only) == ["months"] and only["months"] == summary["months"]
    assert alice.get("/api/footprint/summary?period=day").status_code == 400


def test_unknown_co2e_is_counted_not_guessed(alice: Person) -> None:
    alice.log_ok(
        sample_option(
            co2e_g=None, legs=[{"mode": "drive", "distance_m": 3000, "duration_s": 300, "co2e_g": None}], mode="drive"
        )
    )
    alice.log_ok(walk_option(100.0))
    (week,) = alice.get("/api/footprint/summary").get_json()["weeks"]
    assert week["co2e_missing"] == 1 and week["co2e_g"] == 0.0
    assert week["by_mode"]["drive"] == {"distance_m": 3000.0, "duration_s": 300.0, "co2e_g": 0.0}


def test_empty_log(alice: Person) -> None:
    assert alice.get("/api/footprint/summary").get_json() == {"weeks": [], "months": []}
