"""Snapping's compiled candidate pass against numpy's array operations it replaced, on Porto Alegre."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from routing.street.graph import StreetGraph
from routing.street.nearest import nearest_points
from routing.street.schema import SNAP_SPACING_M


def _numpy_reference(
    seg_of_point: np.ndarray, idx: np.ndarray, a: np.ndarray, b: np.ndarray, px: float, py: float, max_m: float
) -> tuple[np.ndarray, ...]:
    """The array version, as ``nearest_segments`` computed it before it was compiled."""
    seg = np.unique(seg_of_point[idx])
    ax, ay = a[seg, 0], a[seg, 1]
    dx, dy = b[seg, 0] - ax, b[seg, 1] - ay
    den = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(den == 0, 0.0, np.minimum(1.0, np.maximum(0.0, ((px - ax) * dx + (py - ay) * dy) / den)))
    sx, sy = ax + t * dx, ay + t * dy
    dm = np.hypot(px - sx, py - sy)
    near = dm <= max_m
    seg, t, sx, sy, dm = seg[near], t[near], sx[near], sy[near], dm[near]
    order = np.lexsort((seg, dm))
    return seg[order], t[order], sx[order], sy[order], dm[order]


@pytest.mark.parametrize("mode", ["walk", "drive"])
def test_compiled_candidates_match_numpy_bit_for_bit(poa_folder: Path, mode: str) -> None:
    g = StreetGraph.load(poa_folder / "street", mode)
    tree, seg_of_point, a, b = g._snap_index
    rng = random.Random(f"snap-{mode}")
    s, w, n, e = g.bbox
    compared = 0
    for _ in range(400):
        px, py = g.proj.point(rng.uniform(s, n), rng.uniform(w, e))
        max_m = rng.choice([30.0, 150.0, 500.0])
        dist, idx = tree.query((px, py), k=rng.choice([4, 32, 512]), distance_upper_bound=max_m + SNAP_SPACING_M)
        idx = np.atleast_1d(idx)[np.isfinite(np.atleast_1d(dist))]
        if not len(idx):
            continue
        got = nearest_points(seg_of_point, idx.astype(np.int64), a, b, (px, py), max_m)
        want = _numpy_reference(seg_of_point, idx, a, b, px, py, max_m)
        for x, y in zip(got, want, strict=True):
            assert x.tobytes() == y.astype(x.dtype).tobytes()
        compared += 1
    assert compared > 100
