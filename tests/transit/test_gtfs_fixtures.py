"""Tiny inline GTFS feeds for each rule of the timetable build."""

from __future__ import annotations

import datetime as dt
import zipfile
import zoneinfo
from pathlib import Path

import numpy as np
import pytest

from routing.core.errors import BuildError, InvalidParameter
from routing.core.report import BuildReport
from routing.transit import Timetable, TransitQuery, TransitRouter
from routing.transit.build import build_timetable
from tests.transit.gtfs_strings import write_feed

UTC = zoneinfo.ZoneInfo("UTC")
STOPS = """stop_id,stop_name,stop_lat,stop_lon
A,Alpha,0.00,0.00
B,Beta,0.00,0.01
C,Gamma,0.00,0.02
D,Delta,0.00,0.03
"""
ROUTES = "route_id,route_short_name,route_long_name,route_type\nR1,1,One,3\nR2,2,Two,0\n"


def build(tmp_path: Path, report: BuildReport | None = None, footpaths=None, **files: str) -> Timetable:
    base = {"stops.txt": STOPS, "routes.txt": ROUTES}
    base.update({k.replace("_txt", ".txt"): v for k, v in files.items()})
    folder = write_feed(tmp_path / "feed", base)
    return build_timetable([("f", folder)], timezone="UTC", report=report or BuildReport("t"), footpaths=footpaths)


def first_arrival(tt: Timetable, a: str, b: str, at: dt.datetime, **kw) -> dt.datetime | None:
    answer = TransitRouter(tt).route(
        TransitQuery(access=((tt.stop_index(a), 0.0),), egress=((tt.stop_index(b), 0.0),), at=at, **kw)
    )
    return min((j.arrival for j in answer.journeys), default=None)


def utc(day: int, h: int, m: int = 0) -> dt.datetime:
    return dt.datetime(2024, 1, day, h, m, tzinfo=UTC)  # 2024-01-01 is a Monday


ONE_TRIP = dict(
    trips_txt="route_id,service_id,trip_id\nR1,ALL,T1\n",
    stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,08:10:00,08:10:00,B,2
""",
)


def test_calendar_dates_add_and_remove(tmp_path):
    tt = build(
        tmp_path,
        calendar_txt=(
            "service_id,start_date,end_date,monday,tuesday,wednesday,thursday,friday,saturday,"
            "sunday\nWK,20240101,20240131,1,1,1,1,1,0,0\n"
        ),  # start_date first: read by name
        calendar_dates_txt="service_id,date,exception_type\nWK,20240102,2\nWK,20240106,1\nEXTRA,20240107,1\n",
        trips_txt="route_id,service_id,trip_id\nR1,WK,T1\nR1,EXTRA,T2\n",
        stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,08:10:00,08:10:00,B,2
T2,09:00:00,09:00:00,A,1
T2,09:30:00,09:30:00,B,2
""",
    )
    assert first_arrival(tt, "A", "B", utc(1, 7)) == utc(1, 8, 10)  # Monday
    assert first_arrival(tt, "A", "B", utc(2, 7)) == utc(3, 8, 10)  # removed: next day's
    assert first_arrival(tt, "A", "B", utc(6, 7)) == utc(6, 8, 10)  # added Saturday
    assert first_arrival(tt, "A", "B", utc(7, 7)) == utc(7, 9, 30)  # service only in dates


def test_times_past_midnight_belong_to_the_previous_service_day(tmp_path):
    tt = build(
        tmp_path,
        calendar_txt=(
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
            "end_date\nMON,1,0,0,0,0,0,0,20240101,20240131\n"
        ),
        trips_txt="route_id,service_id,trip_id\nR1,MON,NIGHT\n",
        stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
NIGHT,24:30:00,24:30:00,A,1
NIGHT,25:10:00,25:10:00,B,2
""",
    )
    # Monday's 24:30 is Tuesday 00:30; a Tuesday-morning query must find it.
    assert first_arrival(tt, "A", "B", utc(2, 0, 10)) == utc(2, 1, 10)
    assert first_arrival(tt, "A", "B", utc(1, 23)) == utc(2, 1, 10)
    # Tuesday's own service day has no night trip: the next one is Monday the 8th's.
    assert first_arrival(tt, "A", "B", utc(2, 2)) is None


def test_frequencies_are_expanded_into_trips(tmp_path):
    tt = build(
        tmp_path, frequencies_txt=("trip_id,start_time,end_time,headway_secs\nT1,06:00:00,07:00:00,900\n"), **ONE_TRIP
    )
    assert tt.trip_count == 4  # 06:00, 06:15, 06:30, 06:45
    assert first_arrival(tt, "A", "B", utc(1, 6, 16)) == utc(1, 6, 40)
    assert first_arrival(tt, "A", "B", utc(1, 6, 46)) == utc(2, 6, 10)


def test_empty_times_are_interpolated_by_distance(tmp_path):
    stops = STOPS.replace("C,Gamma,0.00,0.02", "C,Gamma,0.00,0.04")  # C three times farther
    tt = build(
        tmp_path,
        stops_txt=stops,
        trips_txt="route_id,service_id,trip_id\nR1,ALL,T1\n",
        stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,,,B,2
T1,,,C,3
T1,08:40:00,08:40:00,D,4
""",
    )
    # Path A→B 1 unit, B→C 3 units, C→D 1 unit: B at 8:08, C at 8:32.
    o = int(tt.trip_times[0])
    assert np.asarray(tt.st_arr[o : o + 4]).tolist() == [28800, 29280, 30720, 31200]


def test_transfer_type_3_and_minimum_times(tmp_path):
    files = dict(
        trips_txt="route_id,service_id,trip_id\nR1,ALL,T1\nR2,ALL,T2\nR2,ALL,T3\n",
        stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,08:10:00,08:10:00,B,2
T2,08:12:00,08:12:00,B,1
T2,08:20:00,08:20:00,C,2
T3,08:30:00,08:30:00,B,1
T3,08:38:00,08:38:00,C,2
""",
    )
    free = build(tmp_path / "free", **files)
    assert first_arrival(free, "A", "C", utc(1, 7)) == utc(1, 8, 20)
    slow = build(
        tmp_path / "slow",
        transfers_txt=("from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,B,2,300\n"),
        **files,
    )
    assert first_arrival(slow, "A", "C", utc(1, 7)) == utc(1, 8, 38)
    banned = build(
        tmp_path / "banned",
        transfers_txt=("from_stop_id,to_stop_id,from_route_id,to_route_id,transfer_type\nB,B,R1,R2,3\n"),
        **files,
    )
    assert first_arrival(banned, "A", "C", utc(1, 7)) is None
    trip_rule = build(
        tmp_path / "trip",
        transfers_txt=(
            "from_stop_id,to_stop_id,from_trip_id,to_trip_id,transfer_type,min_transfer_time\n"
            "B,B,,,2,300\nB,B,T1,T2,1,\n"
        ),
        **files,
    )
    assert first_arrival(trip_rule, "A", "C", utc(1, 7)) == utc(1, 8, 20)  # timed to T2


def test_block_stay_seated_only_when_both_trips_run(tmp_path):
    tt = build(
        tmp_path,
        calendar_txt=(
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
            "end_date\nALL,1,1,1,1,1,1,1,20240101,20241231\nMON,1,0,0,0,0,0,0,20240101,20241231\n"
            "TUE,0,1,0,0,0,0,0,20240101,20241231\n"
        ),
        trips_txt="route_id,service_id,trip_id,block_id\nR1,ALL,T1,b\nR2,MON,T2,b\nR2,TUE,T3,b\n",
        stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,08:10:00,08:10:00,B,2
T2,08:15:00,08:15:00,B,1
T2,08:25:00,08:25:00,C,2
T3,08:40:00,08:40:00,B,1
T3,08:50:00,08:50:00,C,2
""",
        transfers_txt="from_stop_id,to_stop_id,transfer_type\nB,B,3\n",
    )
    router = TransitRouter(tt)

    def ride(day: int) -> list:
        return router.route(
            TransitQuery(
                access=((tt.stop_index("A"), 0.0),),
                egress=((tt.stop_index("C"), 0.0),),
                at=utc(day, 7),
                max_transfers=0,
            )
        ).journeys

    monday, tuesday = ride(1), ride(2)
    # Transfers at B are banned: only staying seated gets a rider to C.
    assert [(j.arrival, j.transfers) for j in monday] == [(utc(1, 8, 25), 0)]
    assert [leg.stay_seated for leg in monday[0].rides] == [True, False]
    # On Tuesday T2 does not run, so the vehicle continues as T3.
    assert [(j.arrival, j.transfers) for j in tuesday] == [(utc(2, 8, 50), 0)]
    assert [tt.trip_id(leg.trip) for leg in tuesday[0].rides] == ["f:T1", "f:T3"]
    assert ride(3) == []  # Wednesday: neither continuation runs


def test_parent_station_links_its_platforms(tmp_path):
    stops = """stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
S,Station,0.0,0.0,1,
P1,Platform 1,0.0,0.0001,0,S
P2,Platform 2,0.0,0.0002,0,S
C,Gamma,0.0,0.02,0,
Z,Far,0.0,0.05,0,
"""
    tt = build(
        tmp_path,
        stops_txt=stops,
        trips_txt="route_id,service_id,trip_id\nR1,ALL,T1\nR2,ALL,T2\n",
        stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,Z,1
T1,08:10:00,08:10:00,P1,2
T2,08:15:00,08:15:00,P2,1
T2,08:25:00,08:25:00,C,2
""",
        footpaths=None,
    )
    assert tt.stop_parent[tt.stop_index("P1")] == tt.stop_index("S")
    assert first_arrival(tt, "Z", "C", utc(1, 7)) == utc(1, 8, 25)  # walks P1 → P2
    assert first_arrival(tt, "S", "C", utc(1, 7)) == utc(1, 8, 25)  # from the station node


def test_broken_rows_are_skipped_and_counted(tmp_path):
    report = BuildReport("t")
    tt = build(
        tmp_path,
        report,
        stops_txt=STOPS + "X,No coords,,\n",
        routes_txt=ROUTES + "R3,3,Three,bus\n",
        trips_txt="route_id,service_id,trip_id\nR1,ALL,T1\nNOPE,ALL,T2\nR1,NOSUCH,T3\n",
        stop_times_txt="""trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,8:xx,8:xx,C,2
T1,08:10:00,08:10:00,B,3
T1,08:20:00,08:20:00,GHOST,4
""",
    )
    assert tt.trip_count == 1
    assert report.skipped == {
        "f: stops.txt: missing or invalid coordinates": 1,
        "f: routes.txt: invalid route_type": 1,
        "f: trips.txt: unknown route_id": 1,
        "f: trips.txt: unknown service_id": 1,
        "f: stop_times.txt: invalid time": 1,
        "f: stop_times.txt: unknown stop_id": 1,
    }


def test_bom_header_spaces_and_zip(tmp_path):
    folder = write_feed(
        tmp_path / "src",
        {
            "agency.txt": "\ufeffagency_id, agency_name,agency_url,agency_timezone\nA,Ag,u,UTC\n",
            "stops.txt": "\ufeff" + STOPS,
            "routes.txt": ROUTES,
            **{k.replace("_txt", ".txt"): v for k, v in ONE_TRIP.items()},
        },
    )
    zpath = tmp_path / "feed.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for p in sorted(folder.iterdir()):
            z.write(p, f"inner/{p.name}")
    tt = build_timetable([("z", zpath)], timezone="UTC", report=BuildReport("t"))
    assert tt.stop_id(0) == "z:A" and tt.route_info(0)["agency"] == "Ag"


def test_unusable_inputs_raise_build_error(tmp_path):
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("hello")
    with pytest.raises(BuildError, match="x.zip is not a GTFS zip"):
        build_timetable([("x", not_zip)], timezone="UTC", report=BuildReport("t"))
    folder = write_feed(
        tmp_path / "nostops", {"routes.txt": ROUTES, **{k.replace("_txt", ".txt"): v for k, v in ONE_TRIP.items()}}
    )
    with pytest.raises(BuildError, match="stops.txt"):
        build_timetable([("n", folder)], timezone="UTC", report=BuildReport("t"))
    nocol = write_feed(
        tmp_path / "nocol",
        {
            "stops.txt": STOPS,
            "routes.txt": "route_id,route_short_name\nR1,1\n",
            **{k.replace("_txt", ".txt"): v for k, v in ONE_TRIP.items()},
        },
    )
    with pytest.raises(BuildError, match="routes.txt has no column route_type"):
        build_timetable([("n", nocol)], timezone="UTC", report=BuildReport("t"))


def test_two_feeds_never_collide(tmp_path):
    a = write_feed(
        tmp_path / "a",
        {"stops.txt": STOPS, "routes.txt": ROUTES, **{k.replace("_txt", ".txt"): v for k, v in ONE_TRIP.items()}},
    )
    tt = build_timetable([("one", a), ("two", a)], timezone="UTC", report=BuildReport("t"))
    assert tt.stop_count == 8 and tt.stop_index("two:A") == 4
    with pytest.raises(InvalidParameter, match="ambiguous"):
        tt.stop_index("A")


@pytest.mark.parametrize(
    "bad",
    [
        {"access": ()},
        {"access": ((0, -1.0),)},
        {"egress": ((-1, 0.0),)},
        {"at": dt.datetime(2024, 1, 1, 8)},
        {"at": dt.datetime(1, 1, 1, tzinfo=UTC)},
        {"window_s": -5},
        {"max_transfers": 99},
        {"exclude_route_types": frozenset({"bus"})},
        {"arrive_by": "yes"},
    ],
)
def test_query_validation_names_the_field(bad):
    args = {"access": ((0, 0.0),), "egress": ((1, 0.0),), "at": utc(1, 8), **bad}
    with pytest.raises(InvalidParameter) as err:
        TransitQuery(**args)
    assert err.value.argument in {k if k != "window_s" else "window" for k in bad}


def test_daylight_saving_day_keeps_wall_clock_times(tmp_path):
    folder = write_feed(
        tmp_path / "dst",
        {"stops.txt": STOPS, "routes.txt": ROUTES, **{k.replace("_txt", ".txt"): v for k, v in ONE_TRIP.items()}},
    )
    tt = build_timetable([("f", folder)], timezone="America/Los_Angeles", report=BuildReport("t"))
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    at = dt.datetime(2024, 3, 10, 6, 0, tzinfo=la)  # clocks jump 02:00 → 03:00 this day
    answer = TransitRouter(tt).route(
        TransitQuery(access=((tt.stop_index("A"), 0.0),), egress=((tt.stop_index("B"), 0.0),), at=at)
    )
    j = answer.journeys[0]
    assert j.departure == dt.datetime(2024, 3, 10, 8, 0, tzinfo=la)
    assert j.arrival == dt.datetime(2024, 3, 10, 8, 10, tzinfo=la)
    assert j.arrival.utcoffset() == dt.timedelta(hours=-7)


def test_damaged_compiled_timetable_is_a_build_error(tmp_path):
    tt = build(tmp_path, **ONE_TRIP)
    tt.save(tmp_path / "out")
    (tmp_path / "out" / "st_arr.npy").write_bytes(b"garbage")
    with pytest.raises(BuildError, match="st_arr.npy"):
        Timetable.load(tmp_path / "out")
    with pytest.raises(BuildError, match="no compiled timetable"):
        Timetable.load(tmp_path / "nothing")
