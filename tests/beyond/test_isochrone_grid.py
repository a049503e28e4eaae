"""The grid drawing of isochrone polygons: exact outlines of cells, and the buffered street it stands for."""

from __future__ import annotations

import math

import numpy as np
import shapely

from routing.plan.isochrone import BUFFER_M, IsochroneQuery, Isochrones
from routing.plan.isochrone_grid import ReachGrid, _trace
from routing.plan.planner import Planner
from routing.plan.reach import Reach
from routing.street.route import snap

ORIGIN = (-30.0277, -51.2287)


def test_traced_outline_is_exactly_the_inside_cells_holes_and_corners_included() -> None:
    rng = np.random.default_rng(16)
    for density in (0.2, 0.5, 0.8):
        inside = np.zeros((42, 57), dtype=bool)
        inside[1:-1, 1:-1] = rng.random((40, 55)) < density  # many diagonal contacts and holes
        area = _trace(inside)
        assert area.is_valid
        assert area.area == inside.sum()
        i, j = np.mgrid[0 : inside.shape[0], 0 : inside.shape[1]]
        centres_in = shapely.contains_xy(area, j.ravel() + 0.5, i.ravel() + 0.5)
        assert np.array_equal(centres_in, inside.ravel())


def test_a_straight_street_covers_its_buffer_and_stops_where_time_runs_out() -> None:
    x = np.arange(0.0, 2000.0 + 1e-9, 10.0)
    xy = np.column_stack((x + 3.7, np.full(len(x), 11.0)))  # off the grid's lines on purpose
    grid = ReachGrid(xy, x * 10.0, buffer_m=BUFFER_M)  # 10 ms per metre
    whole = grid.area(20_000.0)
    expected = 2000 * 2 * BUFFER_M + math.pi * BUFFER_M**2
    assert abs(whole.area - expected) / expected < 0.05
    half = grid.area(10_000.0)
    assert abs(half.area - (expected - 1000 * 2 * BUFFER_M)) / expected < 0.05
    assert half.contains(shapely.Point(1000 + 3.7, 11.0)) and not half.contains(shapely.Point(1100 + 3.7, 11.0))


def test_a_ring_of_streets_leaves_its_inside_as_a_hole() -> None:
    t = np.linspace(0.0, 1.0, 401)[:, None]
    corners = np.array([[0.0, 0.0], [600.0, 0.0], [600.0, 600.0], [0.0, 600.0], [0.0, 0.0]])
    xy = np.concatenate([a + (b - a) * t for a, b in zip(corners[:-1], corners[1:], strict=True)])
    area = ReachGrid(xy, np.zeros(len(xy)), buffer_m=BUFFER_M).area(1.0)
    assert area.is_valid and len(area.interiors) == 1
    assert not area.contains(shapely.Point(300, 300)) and area.contains(shapely.Point(300, 30))
    hole = shapely.Polygon(area.interiors[0])
    assert abs(hole.area - (600 - 2 * BUFFER_M) ** 2) / (600 - 2 * BUFFER_M) ** 2 < 0.1


def test_porto_alegre_polygons_match_the_union_of_buffers_and_hold_every_reached_node(poa_planner: Planner) -> None:
    """The grid polygon against the exact union of 50 m buffers of the reached street pieces."""
    for mode, minutes in (("walk", 20), ("drive", 8)):
        reach = Reach(poa_planner.graphs[mode])
        origin = snap(reach.graph, *ORIGIN, argument="from")
        lim = minutes * 60_000.0
        times = reach.times_ms(reach.origin_seeds(origin), lim)
        pieces = reach.segments_within(times, lim, origin)
        exact = shapely.union_all(shapely.buffer(shapely.linestrings(pieces.reshape(-1, 2, 2)), BUFFER_M))
        xy, ms = reach.samples_within(times, lim, origin, spacing_m=20.0)
        drawn = ReachGrid(xy, ms, buffer_m=BUFFER_M).area(lim)
        assert drawn.is_valid
        iou = shapely.intersection(drawn, exact).area / shapely.union(drawn, exact).area
        assert iou > 0.93, (mode, iou)
        assert abs(drawn.area - exact.area) / exact.area < 0.05, (mode, drawn.area, exact.area)
        nodes = reach._xy[times <= lim]
        assert shapely.contains_xy(drawn, nodes[:, 0], nodes[:, 1]).all(), mode


def test_porto_alegre_drive_isochrone_is_drawn_from_the_grid(poa_planner: Planner) -> None:
    iso = Isochrones(poa_planner.graphs, tz=poa_planner.tz)
    fc = iso.compute(IsochroneQuery(origin=ORIGIN, mode="drive", minutes=(5, 15)))
    big, small = (shapely.geometry.shape(f["geometry"]) for f in fc["features"])
    assert big.is_valid and small.is_valid and small.area < big.area
    assert shapely.difference(small, big).area < 0.01 * small.area  # nested, up to the simplification
