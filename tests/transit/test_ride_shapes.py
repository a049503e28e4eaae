"""Ride lines against the numpy version they replaced, on Porto Alegre's trips and shapes."""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.core.geo import EARTH_RADIUS_M, haversine_m_arr
from routing.transit import Timetable
from routing.transit.ride_shapes import _pieces_m, line_length, ride_geometry


def _numpy_reference(tt: Timetable, trip: int, stops: list[int]) -> list[list[float]]:
    """The shape between the stops as numpy found it: whole-array squared distances and argmin."""
    stop_lat, stop_lon = np.asarray(tt.stop_lat)[stops], np.asarray(tt.stop_lon)[stops]
    pts: list[list[float]] = np.column_stack([stop_lon, stop_lat]).tolist()
    shape = int(tt.trip_shape[trip])
    if shape < 0:
        return pts
    o, e = int(tt.shape_start[shape]), int(tt.shape_start[shape + 1])
    lat, lon = np.asarray(tt.shape_lat[o:e]), np.asarray(tt.shape_lon[o:e])
    coslat = np.cos(np.radians(float(np.mean(lat))))

    def nearest(i: int, after: int) -> int:
        d = (lat[after:] - stop_lat[i]) ** 2 + ((lon[after:] - stop_lon[i]) * coslat) ** 2
        return after + int(np.argmin(d))

    ib = nearest(0, 0)
    ia = nearest(len(stops) - 1, ib)
    if ia <= ib:
        return pts
    return [pts[0], *np.column_stack([lon[ib : ia + 1], lat[ib : ia + 1]]).tolist(), pts[-1]]


def test_ride_lines_and_lengths_match_numpy(poa_folder: Path) -> None:
    tt = Timetable.load(poa_folder / "transit")
    rng = random.Random("ride-shapes")
    with_shape = 0
    for trip in rng.sample(range(len(tt.trip_pattern)), 400):
        stops = [int(s) for s in tt.pattern_slice(int(tt.trip_pattern[trip]))]
        board = rng.randrange(len(stops) - 1)
        alight = rng.randrange(board + 1, len(stops))
        part = stops[board : alight + 1]
        got, want = ride_geometry(tt, trip, part), _numpy_reference(tt, trip, part)
        assert got.tolist() == want
        a = np.array(want)
        assert line_length(got) == float(np.sum(haversine_m_arr(a[:-1, 1], a[:-1, 0], a[1:, 1], a[1:, 0])))
        with_shape += int(tt.trip_shape[trip]) >= 0
    assert with_shape > 100  # the shapes' path is what is compared, not only straight lines


def _pieces_reference(points: list[tuple[float, float]]) -> list[float]:
    """The haversine of each piece one at a time in Python's ``math``, which calls the same C library
    as the compiled kernel; numpy's vector loops may not (its AVX-512 sine and cosine differ from it
    by up to 2 ULP on this formula)."""
    to_rad = math.pi / 180.0
    out = []
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(points):
        p1, p2 = lat1 * to_rad, lat2 * to_rad
        s1, s2 = math.sin((p2 - p1) / 2), math.sin((lon2 - lon1) * to_rad / 2)
        a = s1 * s1 + math.cos(p1) * math.cos(p2) * (s2 * s2)
        out.append(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-180, 180), st.floats(-90, 90))
        | st.tuples(st.floats(-51.3, -51.0), st.floats(-30.2, -29.9)),
        min_size=2,
        max_size=300,
    )
)
def test_piece_lengths_are_the_formulas_bit_for_bit(points: list[tuple[float, float]]) -> None:
    want = np.array(_pieces_reference(points))
    a = np.array(points, dtype=np.float64)
    assert _pieces_m(a).tobytes() == want.tobytes()
    assert line_length(a) == float(np.sum(want))
