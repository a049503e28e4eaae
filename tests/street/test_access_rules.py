"""Every access rule of routing/street/access.py on a tiny inline OSM file.

Each case compiles a two-way file: an ordinary residential street 1-2 (so every mode has a graph)
and the way under test, 2-3, with the case's tags; the compiled graphs must hold exactly the edges
the rule allows on that way, and the tag-level functions must agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.street.access import (
    DISCOURAGED_FACTOR,
    TRUNK_NO_SIDEWALK_WALK_FACTOR,
    TRUNK_WALK_FACTOR,
    bike_access,
    drive_access,
    walk_access,
    walk_penalty,
)
from routing.street.route import route, snap
from tests.street.osm_inline import DLAT, DLON, LAT0, LON0, compile_inline, edges_of, ridden_edges_of

BOTH = {(2, 3), (3, 2)}
ALONG = {(2, 3)}
NONE: set[tuple[int, int]] = set()

# (rule, tags of way 2-3, walk edges, bike edges, drive edges)
CASES = [
    ("trunk roads are open to every mode (worldwide table)", {"highway": "trunk"}, BOTH, BOTH, BOTH),
    ("trunk_link likewise", {"highway": "trunk_link"}, BOTH, BOTH, BOTH),
    ("foot=no closes a trunk road to walkers", {"highway": "trunk", "foot": "no"}, NONE, BOTH, BOTH),
    ("motorroad=yes implies foot=no and bicycle=no", {"highway": "trunk", "motorroad": "yes"}, NONE, NONE, BOTH),
    ("motorroad=yes on a primary road too", {"highway": "primary", "motorroad": "yes"}, NONE, NONE, BOTH),
    (
        "an explicit foot=yes beats motorroad's implication",
        {"highway": "trunk", "motorroad": "yes", "foot": "yes"},
        BOTH,
        NONE,
        BOTH,
    ),
    (
        "sidewalk=separate: the separate footway carries the walkers",
        {"highway": "trunk", "sidewalk": "separate"},
        NONE,
        BOTH,
        BOTH,
    ),
    (
        "sidewalk:both=separate likewise",
        {"highway": "residential", "sidewalk:both": "separate"},
        NONE,
        BOTH,
        BOTH,
    ),
    (
        "a sidewalk on the road itself keeps it walkable",
        {"highway": "residential", "sidewalk:left": "separate", "sidewalk:right": "yes"},
        BOTH,
        BOTH,
        BOTH,
    ),
    (
        "foot=yes beats sidewalk=separate",
        {"highway": "residential", "sidewalk": "separate", "foot": "yes"},
        BOTH,
        BOTH,
        BOTH,
    ),
    ("motorways are closed to walkers and cyclists, one way", {"highway": "motorway"}, NONE, NONE, ALONG),
    (
        "an explicit bicycle=yes opens a motorway (its shoulder) to cyclists",
        {"highway": "motorway", "bicycle": "yes"},
        NONE,
        ALONG,
        ALONG,
    ),
    ("cycleways: bicycles only by default (worldwide table)", {"highway": "cycleway"}, NONE, BOTH, NONE),
    ("a shared path: cycleway with foot=designated", {"highway": "cycleway", "foot": "designated"}, BOTH, BOTH, NONE),
    ("bridleways: horses only by default", {"highway": "bridleway"}, NONE, NONE, NONE),
    ("bridleway with foot=yes", {"highway": "bridleway", "foot": "yes"}, BOTH, NONE, NONE),
    ("footways: walkers only", {"highway": "footway"}, BOTH, NONE, NONE),
    ("footway with bicycle=yes", {"highway": "footway", "bicycle": "yes"}, BOTH, BOTH, NONE),
    ("paths: walkers and cyclists", {"highway": "path"}, BOTH, BOTH, NONE),
    (
        "access=no with foot=yes: walkers only",
        {"highway": "residential", "access": "no", "foot": "yes"},
        BOTH,
        NONE,
        NONE,
    ),
    (
        "access=no with bicycle=yes: cyclists only",
        {"highway": "residential", "access": "no", "bicycle": "yes"},
        NONE,
        BOTH,
        NONE,
    ),
    ("vehicle=no closes it to bicycles and cars", {"highway": "residential", "vehicle": "no"}, BOTH, NONE, NONE),
    (
        "bicycle=yes beats vehicle=no",
        {"highway": "residential", "vehicle": "no", "bicycle": "yes"},
        BOTH,
        BOTH,
        NONE,
    ),
    (
        "motorcar=yes beats motor_vehicle=no",
        {"highway": "residential", "motor_vehicle": "no", "motorcar": "yes"},
        BOTH,
        BOTH,
        BOTH,
    ),
    ("motor_vehicle=psv: buses only", {"highway": "primary", "motor_vehicle": "psv"}, BOTH, BOTH, NONE),
    ("access=private closes it to all", {"highway": "residential", "access": "private"}, NONE, NONE, NONE),
    ("access=agricultural: not for a trip", {"highway": "track", "access": "agricultural"}, NONE, NONE, NONE),
    ("access=destination admits trips there", {"highway": "residential", "access": "destination"}, BOTH, BOTH, BOTH),
    ("access=discouraged is legal", {"highway": "residential", "access": "discouraged"}, BOTH, BOTH, BOTH),
    ("foot=use_sidepath: the parallel way by law", {"highway": "primary", "foot": "use_sidepath"}, NONE, BOTH, BOTH),
    ("bicycle=use_sidepath likewise", {"highway": "primary", "bicycle": "use_sidepath"}, BOTH, NONE, BOTH),
    (
        "an unknown foot value lets access decide",
        {"highway": "residential", "foot": "unknown", "access": "no"},
        NONE,
        NONE,
        NONE,
    ),
    ("access=yes does not open a motorway to walkers", {"highway": "motorway", "access": "yes"}, NONE, NONE, ALONG),
    (
        "a footway with motor_vehicle=yes is drivable (a station forecourt)",
        {"highway": "footway", "bicycle": "yes", "motor_vehicle": "yes"},
        BOTH,
        BOTH,
        BOTH,
    ),
    ("a track with motorcar=yes likewise", {"highway": "track", "motorcar": "yes"}, BOTH, BOTH, BOTH),
    ("a plain track is not driven", {"highway": "track"}, BOTH, BOTH, NONE),
    ("vehicle=yes alone does not open a footway to cars", {"highway": "footway", "vehicle": "yes"}, BOTH, BOTH, NONE),
]


@pytest.mark.parametrize(("rule", "tags", "walk", "bike", "drive"), CASES, ids=[c[0] for c in CASES])
def test_access_rule(
    tmp_path: Path,
    rule: str,
    tags: dict[str, str],
    walk: set[tuple[int, int]],
    bike: set[tuple[int, int]],
    drive: set[tuple[int, int]],
) -> None:
    nodes = {1: (LAT0, LON0), 2: (LAT0, LON0 + DLON), 3: (LAT0, LON0 + 2 * DLON)}
    ways = {1: ([1, 2], {"highway": "residential"}), 2: ([2, 3], tags)}
    graphs = compile_inline(tmp_path, nodes, ways)
    expected = {"walk": walk, "bike": bike, "drive": drive}
    functions = {"walk": walk_access, "bike": bike_access, "drive": drive_access}
    for mode, g in graphs.items():
        found = ridden_edges_of(g, 2) if mode == "bike" else edges_of(g, 2)
        assert found == expected[mode], (rule, mode)
        assert functions[mode](tags) == ((2, 3) in expected[mode], (3, 2) in expected[mode]), (rule, mode)
    # Where walking is allowed and riding is not, the bicycle is pushed (walked), unless bicycle=no.
    forbidden = tags.get("bicycle") in ("no", "private")
    assert ridden_edges_of(graphs["bike"], 2, pushed=True) == (set() if forbidden else walk - bike), rule


@pytest.mark.parametrize(
    ("tags", "factor"),
    [
        ({"highway": "residential"}, 1.0),
        ({"highway": "trunk"}, TRUNK_WALK_FACTOR),
        ({"highway": "trunk_link", "sidewalk": "none"}, TRUNK_NO_SIDEWALK_WALK_FACTOR),
        ({"highway": "trunk", "sidewalk": "no"}, TRUNK_NO_SIDEWALK_WALK_FACTOR),
        ({"highway": "trunk", "sidewalk": "both"}, 1.0),
        ({"highway": "trunk", "sidewalk:right": "yes", "sidewalk:left": "no"}, 1.0),
        ({"highway": "footway", "access": "discouraged"}, DISCOURAGED_FACTOR),
    ],
)
def test_walk_penalty(tags: dict[str, str], factor: float) -> None:
    assert walk_penalty(tags) == factor


@pytest.mark.parametrize(("sidewalk", "takes_trunk"), [(None, True), ("no", False)])
def test_walkers_leave_a_trunk_road_for_a_modest_detour(
    tmp_path: Path, sidewalk: str | None, takes_trunk: bool
) -> None:
    """Trunk 1-2 is 200 m; the residential detour 1-3-4-2 is 340 m (1.7×). An untagged trunk road
    (factor 1.5) is still cheaper to walk; one tagged sidewalk=no (factor 3) is not. The duration
    shown is the walking time of the path taken either way, never the penalised cost."""
    nodes = {
        1: (LAT0, LON0),
        2: (LAT0, LON0 + 2 * DLON),
        3: (LAT0 - 0.7 * DLAT, LON0),
        4: (LAT0 - 0.7 * DLAT, LON0 + 2 * DLON),
    }
    trunk = {"highway": "trunk", "name": "Trunk"} | ({"sidewalk": sidewalk} if sidewalk else {})
    ways = {1: ([1, 2], trunk), 2: ([1, 3, 4, 2], {"highway": "residential", "name": "Detour"})}
    walk = compile_inline(tmp_path, nodes, ways)["walk"]
    r = route(walk, snap(walk, *nodes[1], argument="from"), snap(walk, *nodes[2], argument="to"))
    names = {s["name"] for s in r.steps}
    assert ("Trunk" in names) is takes_trunk and ("Detour" in names) is not takes_trunk
    assert r.distance_m == pytest.approx(200.0 if takes_trunk else 340.0, rel=0.01)
    assert r.duration_s == pytest.approx(r.distance_m / (4.8 / 3.6), rel=0.01)
    trunk_edges = [e for e in range(walk.edge_count) if int(walk.edge_way[e]) == 1]
    factor = TRUNK_WALK_FACTOR if sidewalk is None else TRUNK_NO_SIDEWALK_WALK_FACTOR
    for e in trunk_edges:
        assert int(walk.edge_cost[e]) == round(int(walk.edge_ms[e]) * factor)
