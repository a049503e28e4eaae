"""/api/plan?modes=transit against the independent connection scan (tests/transit/oracle.py).

A fast subset in CI: seeded random trips (weekday, Saturday, Sunday, late night) on each seeded
city; the full run of 1,000+ trips per city is ``bench/transit_oracle.py``. The earliest arrival
must equal the oracle's (up to the answer's second truncation, see ``Case.verdict``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routing.street.split import END_M
from tests.transit.oracle import WALK_MPS
from tests.transit.oracle_feed import haversine
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


@pytest.mark.slow
@pytest.mark.parametrize("city", ["beatty", "porto-alegre", "sao-paulo"])
def test_stops_join_the_streets_as_the_build_does(city: str) -> None:
    """The build's stop joins (``transit_access/``) are the oracle's own, stop by stop: the stop's
    walk-graph node lies at the point of the nearest kept street the oracle finds (the build split
    the segment there), or within ``END_M`` of it at a segment's end, and its offset is the
    straight part the oracle computes (plus at most those metres along the street)."""
    from routing.transit.timetable import Timetable

    run = CityRun(city, root=ROOT)
    tt = Timetable.load(run.folder / "transit")
    node = np.load(run.folder / "transit_access" / "stop_node.npy")
    offset = np.load(run.folder / "transit_access" / "stop_offset_s.npy")
    built = {
        (float(la), float(lo)): (int(n), float(o))
        for la, lo, n, o in zip(tt.stop_lat, tt.stop_lon, node, offset, strict=True)
    }
    ours = run.oracle
    walk = ours.walk
    differ = []
    matched = 0
    for i in range(len(ours.stops)):
        key = (float(ours.lat[i]), float(ours.lon[i]))
        if key not in built:
            continue
        matched += 1
        n, o = built[key]
        if (n < 0) != (ours.node[i] < 0):
            differ.append((ours.stops[i], "on the streets", n >= 0, ours.node[i] >= 0))
            continue
        if n < 0:
            continue
        jlat, jlon = ours.join_ll[i]
        apart = haversine(float(walk.lat[n]), float(walk.lon[n]), float(jlat), float(jlon))
        if apart > END_M + 0.01 or abs(o - float(ours.offset[i])) > (END_M + 0.01) / WALK_MPS:
            differ.append((ours.stops[i], round(apart, 2), o, float(ours.offset[i])))
    assert matched >= len(built) // 2, (matched, len(built))
    assert not differ, differ[:10]
