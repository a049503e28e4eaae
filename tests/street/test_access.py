"""OSM access rules per mode, checked on the compiled graph of a few-block OSM file."""

from __future__ import annotations

import numpy as np
import pytest

from routing.street.access import bike_access, drive_access, walk_access
from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets
from tests.street.osm_fixture import write_osm
from tests.street.osm_inline import ridden_edges_of


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StreetGraph]:
    tmp = tmp_path_factory.mktemp("grid")
    streets = read_streets(write_osm(tmp / "grid.osm"))
    compile_streets(streets, tmp, elevation=None)
    return {m: StreetGraph.load(tmp / "street", m) for m in ("walk", "bike", "drive")}


def _edges(g: StreetGraph, way: int) -> set[tuple[int, int]]:
    """The (from OSM node, to OSM node) pairs the mode may travel on one way."""
    sel = np.flatnonzero(np.asarray(g.edge_way) == way)
    return {(int(g.node_osm[g.edge_tail[e]]), int(g.node_osm[g.edge_head[e]])) for e in sel}


def test_two_way_street_is_usable_both_ways_by_every_mode(graphs: dict[str, StreetGraph]) -> None:
    for g in graphs.values():
        assert _edges(g, 101) == {(1, 2), (2, 1), (2, 3), (3, 2)}


def test_oneway_binds_cars_and_bikes_but_not_walkers(graphs: dict[str, StreetGraph]) -> None:
    assert _edges(graphs["drive"], 102) == {(4, 5), (5, 6)}
    assert ridden_edges_of(graphs["bike"], 102) == {(4, 5), (5, 6)}
    assert ridden_edges_of(graphs["bike"], 102, pushed=True) == {(5, 4), (6, 5)}  # walked back on the sidewalk
    assert _edges(graphs["walk"], 102) == {(4, 5), (5, 4), (5, 6), (6, 5)}


def test_oneway_minus_one_runs_against_the_node_order(graphs: dict[str, StreetGraph]) -> None:
    assert _edges(graphs["drive"], 104) == {(7, 4), (4, 1)}


def test_bicycle_contraflow_from_oneway_bicycle_no_and_cycleway_opposite(graphs: dict[str, StreetGraph]) -> None:
    assert _edges(graphs["drive"], 103) == {(7, 8), (8, 9)}
    assert _edges(graphs["bike"], 103) == {(7, 8), (8, 7), (8, 9), (9, 8)}
    assert _edges(graphs["drive"], 107) == {(6, 5)}
    assert _edges(graphs["bike"], 107) == {(6, 5), (5, 6)}


def test_foot_no_keeps_walkers_off(graphs: dict[str, StreetGraph]) -> None:
    assert _edges(graphs["walk"], 105) == set()
    assert _edges(graphs["drive"], 105) != set()


def test_motorway_is_for_cars_only_and_oneway_by_default(graphs: dict[str, StreetGraph]) -> None:
    assert _edges(graphs["walk"], 106) == set()
    assert _edges(graphs["bike"], 106) == set()
    assert _edges(graphs["drive"], 106) == {(3, 6), (6, 9)}


def test_footway_is_for_walking_only(graphs: dict[str, StreetGraph]) -> None:
    assert _edges(graphs["walk"], 109) == {(8, 9), (9, 8)}
    assert ridden_edges_of(graphs["bike"], 109) == set()
    assert ridden_edges_of(graphs["bike"], 109, pushed=True) == {(8, 9), (9, 8)}  # the bicycle pushed
    assert _edges(graphs["drive"], 109) == set()


@pytest.mark.parametrize(
    ("tags", "walk", "bike", "drive"),
    [
        ({"highway": "residential", "access": "private"}, (False, False), (False, False), (False, False)),
        ({"highway": "residential", "access": "no", "foot": "yes"}, (True, True), (False, False), (False, False)),
        ({"highway": "residential", "motor_vehicle": "no"}, (True, True), (True, True), (False, False)),
        ({"highway": "primary", "junction": "roundabout"}, (True, True), (True, False), (True, False)),
        ({"highway": "cycleway"}, (False, False), (True, True), (False, False)),  # worldwide table: foot=no
        ({"highway": "footway", "bicycle": "yes"}, (True, True), (True, True), (False, False)),
        ({"highway": "steps"}, (True, True), (False, False), (False, False)),
        ({"highway": "residential", "bicycle": "no"}, (True, True), (False, False), (True, True)),
        ({"highway": "residential", "oneway": "-1", "oneway:bicycle": "no"}, (True, True), (True, True), (False, True)),
        ({"highway": "proposed"}, (False, False), (False, False), (False, False)),
    ],
)
def test_access_rules_by_tags(
    tags: dict[str, str], walk: tuple[bool, bool], bike: tuple[bool, bool], drive: tuple[bool, bool]
) -> None:
    assert walk_access(tags) == walk
    assert bike_access(tags) == bike
    assert drive_access(tags) == drive


def test_island_is_its_own_component(graphs: dict[str, StreetGraph]) -> None:
    g = graphs["drive"]
    island = [i for i, osm in enumerate(np.asarray(g.node_osm)) if osm in (20, 21)]
    assert not any(bool(g.node_main[i]) for i in island)
