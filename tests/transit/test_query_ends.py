"""The router's checks and conversion of a query's access and egress (``raptor.query_ends``)."""

from __future__ import annotations

import numpy as np
import pytest

from routing.core.errors import InvalidParameter
from routing.transit import Timetable, TransitQuery, TransitRouter
from routing.transit.query import StopPoints, stop_points
from routing.transit.raptor import query_ends
from tests.transit.conftest import monday


@pytest.mark.parametrize("arrive_by", [False, True])
@pytest.mark.parametrize("side", ["access", "egress"])
def test_a_stop_out_of_range_names_its_side(sample_router: TransitRouter, side: str, arrive_by: bool):
    tt = sample_router.timetable
    s, u = tt.stop_index("sample:STAGECOACH"), tt.stop_index("sample:BEATTY_AIRPORT")
    good, bad = ((s, 0.0),), ((u, 0.0), (tt.stop_count, 10.0))
    ends = {"access": bad, "egress": good} if side == "access" else {"access": good, "egress": bad}
    query = TransitQuery(**ends, at=monday(6), arrive_by=arrive_by)
    with pytest.raises(InvalidParameter) as err:
        sample_router.route(query)
    assert err.value.argument == side
    assert f"not below {tt.stop_count}" in str(err.value)


def test_a_target_listed_twice_keeps_its_least_walk(sample_timetable: Timetable, sample_router: TransitRouter):
    """The same journey as with the stop listed once with its shorter walk, whatever the order."""
    tt = sample_timetable
    s, u = tt.stop_index("sample:STAGECOACH"), tt.stop_index("sample:BEATTY_AIRPORT")
    once = sample_router.route(TransitQuery(access=((s, 0.0),), egress=((u, 30.0),), at=monday(6)))
    assert once.journeys
    expected = [(j.arrival, j.egress) for j in once.journeys]
    for egress in (((u, 30.0), (u, 400.0)), ((u, 400.0), (u, 30.0))):
        twice = sample_router.route(TransitQuery(access=((s, 0.0),), egress=egress, at=monday(6)))
        assert [(j.arrival, j.egress) for j in twice.journeys] == expected


def test_query_ends_sorts_targets_and_keeps_each_stops_least_walk():
    egress = np.full(6, 7, dtype=np.int32)  # stale values of an earlier query
    src = np.array([[4.0, 10.2], [1.0, 0.0]])
    tgt = np.array([[3.0, 400.0], [5.0, 30.5], [3.0, 30.0], [2.0, 30.0]])
    status, src_stop, src_walk, tgt_stop, tgt_walk = query_ends(src, tgt, 6, egress)
    assert status == 0
    assert src_stop.tolist() == [4, 1] and src_walk.tolist() == [11, 0]
    # By walking seconds as given (30.0 before 30.5), then stop; rounded up.
    assert tgt_stop.tolist() == [2, 3, 5, 3] and tgt_walk.tolist() == [30, 30, 31, 400]
    assert egress.tolist() == [-1, -1, 30, 30, -1, 31]
    assert query_ends(src, np.array([[6.0, 0.0]]), 6, egress)[0] == 2
    assert query_ends(np.array([[6.0, 0.0]]), tgt, 6, egress)[0] == 1


def test_stop_points_are_the_sorted_pairs_and_answer_as_they_do(sample_router: TransitRouter):
    tt = sample_router.timetable
    s, u, v = (tt.stop_index(f"sample:{x}") for x in ("STAGECOACH", "NADAV", "BEATTY_AIRPORT"))
    pts = stop_points(np.array([u, s]), np.array([60.0, 0.0]), name="access")
    assert isinstance(pts, StopPoints) and pts == tuple(sorted(((u, 60.0), (s, 0.0))))
    assert pts.array.tolist() == [[float(a), b] for a, b in pts]
    plain = TransitQuery(access=tuple(sorted(((u, 60.0), (s, 0.0)))), egress=((v, 0.0),), at=monday(6))
    fast = TransitQuery(access=pts, egress=((v, 0.0),), at=monday(6))
    assert fast == plain
    assert [j.arrival for j in sample_router.route(fast).journeys] == [
        j.arrival for j in sample_router.route(plain).journeys
    ]


@pytest.mark.parametrize(
    ("stops", "secs", "says"),
    [
        (np.array([], dtype=np.int64), np.array([]), "non-empty"),
        (np.array([1, 2]), np.array([1.0]), "non-empty"),
        (np.array([-1]), np.array([1.0]), "non-negative integers"),
        (np.array([1.0]), np.array([1.0]), "non-negative integers"),
        (np.array([1]), np.array([np.nan]), "finite"),
        (np.array([1]), np.array([-2.0]), "finite"),
        (np.array([1]), np.array([3]), "finite"),
    ],
)
def test_stop_points_name_what_is_wrong(stops, secs, says):
    with pytest.raises(InvalidParameter) as err:
        stop_points(stops, secs, name="access")
    assert err.value.argument == "access" and says in str(err.value)
