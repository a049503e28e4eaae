"""/api/plan?modes=transit against the independent connection scan (tests/transit/oracle.py).

A fast subset in CI: seeded random trips (weekday, Saturday, Sunday, late night) on each seeded
city; the full run of 1,000+ trips per city is ``bench/transit_oracle.py``. The earliest arrival
must equal the oracle's (up to the answer's second truncation, see ``Case.verdict``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.transit.oracle_run import CityRun, summary

ROOT = Path(__file__).resolve().parents[2]
#: Queries per city in CI; the README's figures come from the full bench run.
CI_QUERIES = 48
#: The seeds make the run deterministic, and the full run (bench/transit_oracle.py, 1,000 trips
#: per city) agrees on every trip: any difference here is a change to look at.
MIN_AGREE = 1.0


@pytest.mark.slow
@pytest.mark.parametrize("city", ["beatty", "porto-alegre", "sao-paulo"])
def test_earliest_arrivals_equal_the_independent_scan(city: str) -> None:
    run = CityRun(city, root=ROOT)
    cases = [run.run(c) for c in run.cases(CI_QUERIES, seed=2026)]
    result = summary(cases)
    misses = [
        (c.kind, c.at.isoformat(), c.origin, c.destination, c.ours, c.oracle)
        for c in cases
        if c.verdict not in ("equal", "both none") and c.error in ("", "no_route")
    ]
    assert result["compared"] >= CI_QUERIES * 3 // 4, result  # most trips are inside the city
    assert result["verdicts"].get("equal", 0) >= result["compared"] // 3, result  # journeys, not only "none"
    assert result["agree_share"] >= MIN_AGREE, misses
