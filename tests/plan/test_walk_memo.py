"""Walks to, from and between stops are drawn once and reused (TransitPlanner._walk_route)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import routing.plan.transit_options as transit_options
from routing.core.city import load_city
from routing.plan.planner import Planner
from routing.plan.transit_options import TransitPlanner
from routing.street.route import route_from_node, snap

CENTRE = (-30.0277, -51.2287)  # Porto Alegre's centre


@pytest.fixture(scope="module")
def transit(poa_folder: Path) -> TransitPlanner:
    return Planner(poa_folder, load_city("porto-alegre")).transit


def test_an_egress_walk_is_drawn_once(transit: TransitPlanner, monkeypatch: pytest.MonkeyPatch):
    d = snap(transit.walk, *CENTRE, argument="to")
    stop = int(transit.snapped[0])
    calls: Counter[int] = Counter()

    def counted(*args, **kwargs):
        calls[args[1]] += 1
        return route_from_node(*args, **kwargs)

    monkeypatch.setattr(transit_options, "route_from_node", counted)
    monkeypatch.setattr(transit, "_walk_memo", {})
    at = dt.datetime(2019, 5, 7, 8, 0, tzinfo=dt.UTC)
    first = transit.egress_leg(stop, d, at, 300.0)
    again = transit.egress_leg(stop, d, at + dt.timedelta(minutes=5), 300.0)
    assert sum(calls.values()) == 1
    assert again.coords == first.coords and again.arrival - first.arrival == dt.timedelta(minutes=5)


def test_stops_on_one_node_keep_their_own_walks(transit: TransitPlanner, monkeypatch: pytest.MonkeyPatch):
    """Two stops joining the walk graph at the same node start their walks at their own positions."""
    nodes = transit.stop_node[transit.snapped]
    values, counts = np.unique(nodes, return_counts=True)
    shared = values[counts > 1]
    assert len(shared), "Porto Alegre has stops sharing a walk-graph node"
    a, b = (int(s) for s in transit.snapped[nodes == shared[0]][:2])
    d = snap(transit.walk, *CENTRE, argument="to")
    monkeypatch.setattr(transit, "_walk_memo", {})
    at = dt.datetime(2019, 5, 7, 8, 0, tzinfo=dt.UTC)
    leg_a, leg_b = (transit.egress_leg(s, d, at, 300.0) for s in (a, b))
    assert leg_a.coords[0] != leg_b.coords[0]
    assert leg_a.coords[0] == [round(transit.stop_latlon(a)[1], 6), round(transit.stop_latlon(a)[0], 6)]
