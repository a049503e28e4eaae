"""Rounding of whole coordinate arrays against Python's own ``round``, value by value."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.street.route import round_like_python


def _same(a: float, b: float) -> bool:
    """Equal, with the sign of a zero, and NaN equal to NaN."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=40), st.sampled_from([0, 1, 6]))
def test_any_float_rounds_as_python_rounds(values: list[float], ndigits: int) -> None:
    got = round_like_python(np.array(values, dtype=np.float64), ndigits)
    assert all(_same(g, round(v, ndigits)) for g, v in zip(got, values, strict=True))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-1_800_000_000, 1_800_000_000), min_size=2, max_size=60))
def test_osm_coordinates_round_as_python_rounds(ticks: list[int]) -> None:
    # OSM stores 7 decimals: at 6, every value ending in 5 sits on a decimal half, where only the
    # exact binary value decides (the case the product's rounding gets wrong)
    xy = np.array([t / 1e7 for t in ticks[: len(ticks) // 2 * 2]], dtype=np.float64).reshape(-1, 2)
    got = round_like_python(xy, 6)
    assert got == [[round(float(v), 6) for v in row] for row in xy]


def test_decimal_halves_and_exact_ties() -> None:
    values = [0.5, 1.5, 2.5, -0.5, -2.5, 0.05, 0.15, 0.25, 0.35, -30.0593985, -51.2173705, 2.675, 1e300, -1e17]
    for ndigits in (0, 1, 2, 6):
        got = round_like_python(np.array(values), ndigits)
        assert [repr(g) for g in got] == [repr(round(v, ndigits)) for v in values]
