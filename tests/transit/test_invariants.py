"""Hypothesis: invariants of every answer on the sample feed, and repeatability with reused state."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from routing.plan.answer_json import leg_json
from routing.transit import RideLeg, Timetable, TransitQuery, TransitRouter, journey_legs
from tests.transit.conftest import LA

STOPS = ["FUR_CREEK_RES", "BEATTY_AIRPORT", "BULLFROG", "STAGECOACH", "NADAV", "NANAA", "DADAN", "EMSI", "AMV"]

queries = st.fixed_dictionaries(
    {
        "origin": st.sampled_from(STOPS),
        "dest": st.sampled_from(STOPS),
        "minute": st.integers(0, 7 * 24 * 60 - 1),
        "arrive_by": st.booleans(),
        "window_s": st.sampled_from([0, 0, 1800, 7200]),
        "max_transfers": st.integers(0, 4),
        "walk": st.floats(0, 600),
    }
)


@settings(max_examples=150, deadline=None)
@given(q=queries)
def test_answers_are_consistent(sample_timetable: Timetable, sample_router: TransitRouter, q):
    tt = sample_timetable
    at = dt.datetime(2007, 1, 1, tzinfo=LA) + dt.timedelta(minutes=q["minute"])
    query = TransitQuery(
        access=((tt.stop_index(q["origin"]), q["walk"]),),
        egress=((tt.stop_index(q["dest"]), 0.0),),
        at=at,
        arrive_by=q["arrive_by"],
        window_s=q["window_s"],
        max_transfers=q["max_transfers"],
    )
    answer = sample_router.route(query)
    again = sample_router.route(query)
    assert [(j.departure, j.arrival, j.legs) for j in answer.journeys] == [
        (j.departure, j.arrival, j.legs) for j in again.journeys
    ]
    if not q["arrive_by"] and not q["window_s"]:
        # The search without legs gives the same arrivals: one per round that arrives earlier.
        earliest = sample_router.earliest_arrivals(query)
        assert [a for _, a in earliest] == sorted({a for _, a in earliest}, reverse=True)
        assert {j.arrival for j in answer.journeys} <= {a for _, a in earliest}
        assert bool(earliest) == bool(answer.journeys)
    if q["origin"] == q["dest"]:
        return
    for j in answer.journeys:
        if q["arrive_by"]:
            assert j.arrival <= at
        else:
            assert j.departure >= at
        rides = [leg for leg in j.legs if isinstance(leg, RideLeg)]
        seated = sum(leg.stay_seated for leg in rides)
        assert j.transfers == len(rides) - 1 - seated <= q["max_transfers"]
        clock = None
        for leg in map(leg_json, journey_legs(tt, j)):
            start = dt.datetime.fromisoformat(leg["departure"])
            end = dt.datetime.fromisoformat(leg["arrival"])
            assert start <= end
            assert clock is None or clock <= start
            clock = end
        assert j.departure + dt.timedelta(seconds=q["walk"]) <= dt.datetime.fromisoformat(
            leg_json(journey_legs(tt, j)[0])["departure"]
        ) + dt.timedelta(seconds=1)
    # No journey beats another on departure, arrival and transfers at once.
    keys = [(j.departure, j.arrival, j.transfers) for j in answer.journeys]
    for a in keys:
        assert not any(b != a and b[0] >= a[0] and b[1] <= a[1] and b[2] <= a[2] for b in keys)
