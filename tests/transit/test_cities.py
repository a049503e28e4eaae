"""Porto Alegre (two feeds) and São Paulo (frequency-only) build, load and answer queries."""

from __future__ import annotations

import datetime as dt
import filecmp
import time
import zoneinfo
from pathlib import Path

import numpy as np
import pytest

from routing.core.city import load_city
from routing.core.errors import InvalidParameter
from routing.core.report import BuildReport
from routing.plan.answer_json import leg_json
from routing.transit import Timetable, TransitQuery, TransitRouter, journey_legs
from routing.transit.build import build_transit

REPO = Path(__file__).resolve().parents[2]
SP_TZ = zoneinfo.ZoneInfo("America/Sao_Paulo")


def _build(name: str, out: Path) -> BuildReport:
    report = BuildReport(name)
    build_transit(load_city(name, seeds=REPO / "seeds"), out, report=report)
    return report


@pytest.fixture(scope="module")
def porto_alegre(tmp_path_factory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("poa")
    return out, _build("porto-alegre", out)


@pytest.fixture(scope="module")
def poa_router(porto_alegre) -> TransitRouter:
    return TransitRouter(Timetable.load(porto_alegre[0] / "transit"))


def _near(tt: Timetable, stop: int, radius_m: float = 500.0) -> tuple[tuple[int, float], ...]:
    lat, lon = float(tt.stop_lat[stop]), float(tt.stop_lon[stop])
    d = np.hypot(
        (np.asarray(tt.stop_lat) - lat) * 111_000, (np.asarray(tt.stop_lon) - lon) * 111_000 * np.cos(np.radians(lat))
    )
    idx = np.flatnonzero(d <= radius_m)
    return tuple((int(i), float(d[i] / (4.8 / 3.6))) for i in idx)


def test_porto_alegre_has_both_feeds_with_prefixed_ids(porto_alegre):
    tt = Timetable.load(porto_alegre[0] / "transit")
    assert [f["name"] for f in tt.feeds] == ["eptc", "trensurb"]
    assert tt.feeds[0]["start"] == "2019-04-15" and tt.feeds[0]["end"] == "2019-07-15"
    assert tt.stop_id(tt.stop_index("trensurb:MR")) == "trensurb:MR"
    assert set(np.asarray(tt.route_type).tolist()) == {2, 3}
    # Trensurb's header " agency_name" is read by its stripped name.
    rail = [r for r in range(tt.route_count) if tt.route_info(r)["id"].startswith("trensurb:")]
    assert {tt.route_info(r)["agency"] for r in rail} == {"TRENSURB"}


def test_load_is_fast(porto_alegre):
    t0 = time.perf_counter()
    Timetable.load(porto_alegre[0] / "transit")
    assert time.perf_counter() - t0 < 0.5


def test_eptc_non_timepoints_are_interpolated(porto_alegre):
    tt = Timetable.load(porto_alegre[0] / "transit")
    eptc = [t for t in range(tt.trip_count) if tt.feed_of_trip(t) == 0]
    assert len(eptc) > 2000
    for t in eptc[:200]:
        n = len(tt.pattern_slice(int(tt.trip_pattern[t])))
        o = int(tt.trip_times[t])
        arr, dep = np.asarray(tt.st_arr[o : o + n]), np.asarray(tt.st_dep[o : o + n])
        assert np.all(np.diff(arr) >= 0) and np.all(dep >= arr)
        assert len(set(arr.tolist())) > 2  # times grow between timepoints, not one jump


def test_porto_alegre_stale_date_journey_across_the_city(poa_router):
    tt = poa_router.timetable
    origin = tt.stop_index("trensurb:MR")  # Mercado, downtown
    dest = tt.stop_index("trensurb:AP")  # Aeroporto
    at = dt.datetime(2026, 11, 24, 8, 0, tzinfo=SP_TZ)  # a Tuesday, long after the feeds
    answer = poa_router.route(TransitQuery(access=_near(tt, origin), egress=_near(tt, dest), at=at))
    codes = [n["code"] for n in answer.notices]
    assert codes.count("stale_feed") == 2
    eptc_notice = next(n["message"] for n in answer.notices if n["message"].startswith("eptc"))
    assert eptc_notice == ("eptc: timetable of 2019-07-09 used: the feed covers 2019-04-15 to 2019-07-15")
    assert answer.feed_dates["eptc"] == "2019-07-09"
    assert answer.journeys
    j = answer.journeys[0]
    assert j.departure >= at and j.arrival.date() == at.date()
    assert j.arrival - j.departure < dt.timedelta(hours=1)
    legs = [leg_json(leg) for leg in journey_legs(tt, j)]  # as served
    ride = next(leg for leg in legs if leg["mode"] == "transit")
    assert ride["departure"].endswith("-03:00") and ride["departure"].startswith("2026-11-24")
    assert ride["distance_m"] > 1000 and len(ride["geometry"]["coordinates"]) >= 2
    assert ride["route"]["id"].startswith(("eptc:", "trensurb:"))


def test_strict_dates_gives_nothing_with_a_reason(poa_router):
    tt = poa_router.timetable
    a, b = tt.stop_index("trensurb:MR"), tt.stop_index("trensurb:AP")
    at = dt.datetime(2026, 11, 24, 8, 0, tzinfo=SP_TZ)
    answer = poa_router.route(TransitQuery(access=((a, 0.0),), egress=((b, 0.0),), at=at, strict_dates=True))
    assert answer.journeys == []
    assert [n["code"] for n in answer.notices][-1] == "no_service_date"


def test_arrive_by_and_exclusions_on_porto_alegre(poa_router):
    tt = poa_router.timetable
    a, b = tt.stop_index("trensurb:MR"), tt.stop_index("trensurb:AP")
    at = dt.datetime(2019, 5, 7, 9, 0, tzinfo=SP_TZ)
    answer = poa_router.route(TransitQuery(access=((a, 0.0),), egress=((b, 0.0),), at=at, arrive_by=True))
    assert answer.journeys and all(j.arrival <= at for j in answer.journeys)
    assert answer.notices == []  # 2019-05-07 is inside both feeds
    no_rail = poa_router.route(
        TransitQuery(access=((a, 0.0),), egress=((b, 0.0),), at=at, exclude_route_types=frozenset({2}))
    )
    for j in no_rail.journeys:
        assert all(int(tt.route_type[tt.trip_route[leg.trip]]) != 2 for leg in j.rides)


def test_earliest_arrivals_are_the_routes_arrivals(poa_router):
    tt = poa_router.timetable
    rng = np.random.default_rng(3)
    served = np.flatnonzero(np.diff(np.asarray(tt.stop_pat_start)) > 0)
    at = dt.datetime(2019, 5, 7, 8, 0, tzinfo=zoneinfo.ZoneInfo(tt.timezone))
    compared = 0
    for _ in range(40):
        a, b = (int(x) for x in rng.choice(served, 2, replace=False))
        query = TransitQuery(access=_near(tt, a), egress=_near(tt, b), at=at)
        journeys = poa_router.route(query).journeys
        earliest = poa_router.earliest_arrivals(query)
        assert {j.arrival for j in journeys} <= {arrival for _, arrival in earliest}
        if journeys:
            compared += 1
            assert min(j.arrival for j in journeys) == earliest[-1][1]
    assert compared >= 20


def test_bad_stop_index_is_a_specific_error(poa_router):
    at = dt.datetime(2019, 5, 7, 9, 0, tzinfo=SP_TZ)
    with pytest.raises(InvalidParameter) as err:
        poa_router.route(TransitQuery(access=((10**6, 0.0),), egress=((0, 0.0),), at=at))
    assert err.value.argument == "access"


def test_two_builds_are_byte_identical(porto_alegre, tmp_path):
    _build("porto-alegre", tmp_path)
    first, second = porto_alegre[0] / "transit", tmp_path / "transit"
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert mismatch == [] and errors == []


def test_sao_paulo_frequency_only_feed(tmp_path):
    report = _build("sao-paulo", tmp_path)
    assert report.skipped["sptrans: calendar.txt: duplicate row"] == 6
    tt = Timetable.load(tmp_path / "transit")
    assert tt.trip_count > 1000  # expanded from frequencies.txt
    router = TransitRouter(tt)
    at = dt.datetime(2026, 11, 24, 8, 0, tzinfo=SP_TZ)
    line = tt.pattern_slice(0)  # two stops of one line: a ride must connect them
    a, b = int(line[0]), int(line[-1])
    answer = router.route(TransitQuery(access=((a, 0.0),), egress=((b, 0.0),), at=at))
    assert answer.notices[0]["code"] == "stale_feed"
    assert "the feed covers 2008-01-01 to 2020-05-01" in answer.notices[0]["message"]
    assert answer.journeys
    j = answer.journeys[0]
    assert j.departure >= at and j.transfers == 0
    assert j.arrival - at < dt.timedelta(hours=3)  # CPTM line 7, Jundiaí–Luz, rides 2 h 16
