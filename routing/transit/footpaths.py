"""Footpaths between nearby stops: the default straight-line estimate and merging of sources."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.spatial import cKDTree

#: Given stop latitudes and longitudes → (from stop, to stop, walking seconds) for nearby pairs.
FootpathFn = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]

EARTH_RADIUS_M = 6_371_008.8
WALK_SPEED_MPS = 1.33
DETOUR_FACTOR = 1.3
DEFAULT_RADIUS_M = 400.0


def haversine_m(
    lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float, lon2: np.ndarray | float
) -> np.ndarray:
    """Great-circle distance in metres (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0))))


def walk_seconds(distance_m: np.ndarray | float) -> np.ndarray:
    """Walking seconds for a straight-line distance, with the detour factor."""
    return np.ceil(np.asarray(distance_m) * DETOUR_FACTOR / WALK_SPEED_MPS).astype(np.int32)


def straight_line_footpaths(
    lat: np.ndarray, lon: np.ndarray, *, radius_m: float = DEFAULT_RADIUS_M
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Footpaths between every pair of stops within ``radius_m`` of each other, both ways.

    Walking time is the straight-line distance × 1.3 at 1.33 m/s. The default
    :data:`FootpathFn`.
    """
    n = len(lat)
    if n < 2:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty.copy(), empty.copy()
    lat0 = float(np.mean(lat))
    # Local equirectangular metres are exact enough at a few hundred metres.
    xy = np.column_stack(
        [np.radians(lon) * np.cos(np.radians(lat0)) * EARTH_RADIUS_M, np.radians(lat) * EARTH_RADIUS_M]
    )
    pairs = cKDTree(xy).query_pairs(radius_m * 1.01, output_type="ndarray")
    if len(pairs) == 0:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty.copy(), empty.copy()
    a, b = pairs[:, 0], pairs[:, 1]
    d = haversine_m(lat[a], lon[a], lat[b], lon[b])
    keep = d <= radius_m
    a, b, secs = a[keep], b[keep], walk_seconds(d[keep])
    return (
        np.concatenate([a, b]).astype(np.int32),
        np.concatenate([b, a]).astype(np.int32),
        np.concatenate([secs, secs]).astype(np.int32),
    )


def merge_footpaths(
    n_stops: int,
    sources: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    *,
    overrides: dict[tuple[int, int], int],
    banned: set[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One CSR footpath table (``fp_start``, ``fp_to``, ``fp_secs``) from several sources.

    The shortest walk of a pair wins; ``overrides`` (transfers.txt minimum times between two
    stops) replace it, ``banned`` pairs (transfer_type 3) are removed, self-loops dropped. Each
    stop's footpaths are sorted by walking time.
    """
    best: dict[tuple[int, int], int] = {}
    for frm, to, secs in sources:
        for a, b, s in zip(frm.tolist(), to.tolist(), secs.tolist(), strict=True):
            if a == b or not (0 <= a < n_stops and 0 <= b < n_stops) or s < 0:
                continue
            key = (a, b)
            if key not in best or s < best[key]:
                best[key] = int(s)
    best.update({k: v for k, v in overrides.items() if k[0] != k[1]})
    for key in banned:
        best.pop(key, None)
    # Each stop's footpaths shortest first, so a search can stop at the first too long one.
    keys = sorted(best, key=lambda k: (k[0], best[k], k[1]))
    frm_a = np.array([k[0] for k in keys], dtype=np.int64)
    fp_to = np.array([k[1] for k in keys], dtype=np.int32)
    fp_secs = np.array([best[k] for k in keys], dtype=np.int32)
    fp_start = np.zeros(n_stops + 1, dtype=np.int64)
    np.add.at(fp_start, frm_a + 1, 1)
    return np.cumsum(fp_start), fp_to, fp_secs
