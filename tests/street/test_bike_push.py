"""Pushing a bicycle where it may not be ridden (routing/street/access.py ``bike_push_access``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routing.street.access import bike_access, bike_push_access
from routing.street.route import route, snap
from routing.street.speeds import BIKE_FLAT_KMH, BIKE_PUSH_KMH
from tests.street.osm_inline import DLAT, DLON, LAT0, LON0, compile_inline, ridden_edges_of

BOTH = {(2, 3), (3, 2)}
NONE: set[tuple[int, int]] = set()


@pytest.mark.parametrize(
    ("rule", "tags", "ridden", "pushed"),
    [
        ("bicycle=dismount: push, never ride", {"highway": "footway", "bicycle": "dismount"}, NONE, BOTH),
        ("dismount on a road too", {"highway": "primary_link", "bicycle": "dismount"}, NONE, BOTH),
        ("a footway is walked with the bicycle", {"highway": "footway"}, NONE, BOTH),
        ("steps likewise", {"highway": "steps"}, NONE, BOTH),
        ("a pedestrian street likewise", {"highway": "pedestrian"}, NONE, BOTH),
        ("one way: ridden along, pushed against", {"highway": "residential", "oneway": "yes"}, {(2, 3)}, {(3, 2)}),
        ("oneway=-1: ridden against the node order", {"highway": "tertiary", "oneway": "-1"}, {(3, 2)}, {(2, 3)}),
        (
            "a contraflow lane is ridden both ways",
            {"highway": "residential", "oneway": "yes", "oneway:bicycle": "no"},
            BOTH,
            NONE,
        ),
        ("bicycle=no forbids pushing too", {"highway": "footway", "bicycle": "no"}, NONE, NONE),
        (
            "foot=no: no walking, so no pushing",
            {"highway": "residential", "oneway": "yes", "foot": "no"},
            {(2, 3)},
            NONE,
        ),
        ("motorways: neither", {"highway": "motorway"}, NONE, NONE),
        ("motorroad=yes: neither", {"highway": "trunk", "motorroad": "yes"}, NONE, NONE),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_push_rule(
    tmp_path: Path, rule: str, tags: dict[str, str], ridden: set[tuple[int, int]], pushed: set[tuple[int, int]]
) -> None:
    nodes = {1: (LAT0, LON0), 2: (LAT0, LON0 + DLON), 3: (LAT0, LON0 + 2 * DLON)}
    ways = {1: ([1, 2], {"highway": "residential"}), 2: ([2, 3], tags)}
    bike = compile_inline(tmp_path, nodes, ways)["bike"]
    assert ridden_edges_of(bike, 2) == ridden, rule
    assert ridden_edges_of(bike, 2, pushed=True) == pushed, rule
    assert bike_access(tags) == ((2, 3) in ridden, (3, 2) in ridden), rule
    assert bike_push_access(tags) == ((2, 3) in pushed, (3, 2) in pushed), rule
    push = np.load(bike.folder / "edge_push.npy")
    if push.any() and tags["highway"] != "steps":  # flat: pushing at BIKE_PUSH_KMH, riding at BIKE_FLAT_KMH
        e = int(np.flatnonzero(push)[0])
        assert float(bike.edge_len[e]) / (int(bike.edge_ms[e]) / 1000.0) * 3.6 == pytest.approx(BIKE_PUSH_KMH, rel=1e-3)
        r = int(np.flatnonzero(~push)[0])
        assert float(bike.edge_len[r]) / (int(bike.edge_ms[r]) / 1000.0) * 3.6 == pytest.approx(BIKE_FLAT_KMH, rel=1e-3)


def test_a_short_footway_link_is_pushed_rather_than_ridden_round(tmp_path: Path) -> None:
    """Two dead-end streets 1-2 and 3-4 end 30 m apart, joined by a footway 2-3 (bicycle=dismount);
    the only road between them goes round a 2 km loop. The bicycle route pushes across (the way
    OSRM's bicycle profile goes) and is timed at the pushing speed there."""
    gap = DLON * 0.3
    nodes = {
        1: (LAT0, LON0),
        2: (LAT0, LON0 + DLON),
        3: (LAT0, LON0 + DLON + gap),
        4: (LAT0, LON0 + 2 * DLON + gap),
        5: (LAT0 - 10 * DLAT, LON0),
        6: (LAT0 - 10 * DLAT, LON0 + 2 * DLON + gap),
    }
    ways = {
        1: ([1, 2], {"highway": "residential"}),
        2: ([2, 3], {"highway": "footway", "bicycle": "dismount"}),
        3: ([3, 4], {"highway": "residential"}),
        4: ([1, 5, 6, 4], {"highway": "residential"}),
    }
    bike = compile_inline(tmp_path, nodes, ways, min_network_nodes=2)["bike"]
    o = snap(bike, LAT0, LON0 + 0.5 * DLON, argument="from")
    d = snap(bike, LAT0, LON0 + 1.5 * DLON + gap, argument="to")
    r = route(bike, o, d)
    assert r.distance_m < 200.0  # 50 + 30 + 50 m, not round the loop
    ride_s = 100.0 / (BIKE_FLAT_KMH / 3.6)
    push_s = 30.0 / (BIKE_PUSH_KMH / 3.6)
    assert r.duration_s == pytest.approx(ride_s + push_s, rel=0.05)
