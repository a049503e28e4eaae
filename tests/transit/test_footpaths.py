"""Walking between stops: chained footpaths, the minimum change, transfers.txt winning, limits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from routing.core.report import BuildReport
from routing.transit import TransitQuery, TransitRouter
from routing.transit.build import build_timetable
from routing.transit.footpaths import merge_footpaths
from routing.transit.timetable import MIN_CHANGE_S
from tests.transit.gtfs_strings import write_feed

AT = dt.datetime(2024, 3, 5, 7, 0, tzinfo=dt.UTC)
STOPS = "stop_id,stop_name,stop_lat,stop_lon\nA,A,0,0\nB,B,0,0.01\nC,C,0,0.02\nD,D,0,0.03\nE,E,0,0.04\n"
ROUTES = "route_id,route_short_name,route_type\nR1,1,3\nR2,2,3\n"


def _table(fp: tuple[np.ndarray, np.ndarray, np.ndarray]) -> dict[tuple[int, int], int]:
    start, to, secs = fp
    return {(a, int(to[f])): int(secs[f]) for a in range(len(start) - 1) for f in range(start[a], start[a + 1])}


def test_walks_chain_within_the_longest_footpath() -> None:
    walks = (np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([100, 150, 300]))
    got = _table(merge_footpaths(5, [walks], overrides={}, banned=set()))
    # 0→1→2 = 250 s is a walk; 0→…→3 = 550 s and 1→2→3 = 450 s are longer than any footpath given.
    assert got == {(0, 1): 100, (0, 2): 250, (1, 2): 150, (2, 3): 300}


def test_a_shorter_chain_replaces_a_longer_footpath() -> None:
    walks = (np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([100, 100, 400]))
    assert _table(merge_footpaths(3, [walks], overrides={}, banned=set()))[(0, 2)] == 200


def test_every_footpath_takes_the_minimum_change_but_transfers_txt_wins() -> None:
    walks = (np.array([0, 1, 2, 2]), np.array([1, 2, 0, 1]), np.array([10, 10, 10, 30]))
    got = _table(merge_footpaths(3, [walks], overrides={(0, 1): 5, (1, 0): 500}, banned={(1, 2)}))
    assert got[(0, 2)] == MIN_CHANGE_S  # 20 s of walking, one minute's change
    assert got[(0, 1)] == 5 and got[(1, 0)] == 500  # transfers.txt as given
    assert (1, 2) not in got  # transfer_type 3
    assert got[(2, 1)] == MIN_CHANGE_S


def _feed(tmp_path: Path, stop_times: str, transfers: str | None = None, footpaths=None):
    files = {
        "stops.txt": STOPS,
        "routes.txt": ROUTES,
        "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1\nR2,ALL,T2\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + stop_times,
    }
    if transfers:
        files["transfers.txt"] = transfers
    folder = write_feed(tmp_path / "f", files)
    return build_timetable([("f", folder)], timezone="UTC", report=BuildReport("t"), footpaths=footpaths)


def _arrival(tt, a: str, b: str, **kw) -> dt.datetime | None:
    answer = TransitRouter(tt).route(
        TransitQuery(access=((tt.stop_index(a), 0.0),), egress=((tt.stop_index(b), 0.0),), at=AT, **kw)
    )
    return min((j.arrival for j in answer.journeys), default=None)


# T1 reaches B at 08:10:00; T2 leaves B at 08:10:30 (too soon for a change) in the first feed.
TIGHT = "T1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\nT2,08:10:30,08:10:30,B,1\nT2,08:20:00,08:20:00,C,2\n"


def test_a_change_at_one_stop_takes_a_minute(tmp_path: Path) -> None:
    # Today's T2 leaves 30 s after T1 arrives: the first T2 one can change to is tomorrow's.
    assert _arrival(_feed(tmp_path, TIGHT), "f:A", "f:C") == AT.replace(day=6, hour=8, minute=20)


def test_transfers_txt_allows_a_quicker_change(tmp_path: Path) -> None:
    rule = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,B,2,20\n"
    assert _arrival(_feed(tmp_path, TIGHT, rule), "f:A", "f:C") == AT.replace(hour=8, minute=20)


def _chain(lat, lon, *, longest: int):
    # Stops B–C–D 200 s apart, listed only between neighbours, and one footpath E→A of
    # ``longest`` seconds, which sets how far walks chain.
    a, b = np.array([1, 2, 2, 3, 4]), np.array([2, 1, 3, 2, 0])
    return a, b, np.array([200, 200, 200, 200, longest])


# T1 reaches B at 08:10; T2 leaves D at 08:20 for E: walking B→C→D (400 s) makes it.
FAR = "T1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\nT2,08:20:00,08:20:00,D,1\nT2,08:30:00,08:30:00,E,2\n"


def test_chained_walks_make_a_transfer(tmp_path: Path) -> None:
    tt = _feed(tmp_path, FAR, footpaths=lambda lat, lon: _chain(lat, lon, longest=400))
    assert _arrival(tt, "f:A", "f:E") == AT.replace(hour=8, minute=30)
    # The query's own walking limit between stops leaves the 400 s walk out.
    assert _arrival(tt, "f:A", "f:E", transfer_walk_s=399) is None
    assert _arrival(tt, "f:A", "f:E", transfer_walk_s=400) == AT.replace(hour=8, minute=30)


def test_walks_chain_no_further_than_the_longest_footpath(tmp_path: Path) -> None:
    tt = _feed(tmp_path, FAR, footpaths=lambda lat, lon: _chain(lat, lon, longest=399))
    assert _arrival(tt, "f:A", "f:E") is None
