"""Footpaths between nearby stops: the default straight-line estimate and merging of sources.

Build code (scipy's graph search and k-d tree): servers read the compiled footpaths only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from routing.core.geo import EARTH_RADIUS_M, haversine_m_arr
from routing.core.walking import STRAIGHT_DETOUR, WALK_MPS
from routing.transit.timetable import MIN_CHANGE_S

#: Given stop latitudes and longitudes → (from stop, to stop, walking seconds) for nearby pairs.
FootpathFn = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]

DEFAULT_RADIUS_M = 400.0
#: Sources per Dijkstra batch of the transitive closure: bounds the dense rows it returns.
_CLOSURE_BATCH = 256


def walk_seconds(distance_m: np.ndarray | float) -> np.ndarray:
    """Walking seconds for a straight-line distance, with the detour factor."""
    return np.ceil(np.asarray(distance_m) * STRAIGHT_DETOUR / WALK_MPS).astype(np.int32)


def straight_line_footpaths(
    lat: np.ndarray, lon: np.ndarray, *, radius_m: float = DEFAULT_RADIUS_M
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Footpaths between every pair of stops within ``radius_m`` of each other, both ways.

    Walking time is the straight-line distance × ``STRAIGHT_DETOUR`` at ``WALK_MPS`` (4.8 km/h). The default
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
    d = haversine_m_arr(lat[a], lon[a], lat[b], lon[b])
    keep = d <= radius_m
    a, b, secs = a[keep], b[keep], walk_seconds(d[keep])
    return (
        np.concatenate([a, b]).astype(np.int32),
        np.concatenate([b, a]).astype(np.int32),
        np.concatenate([secs, secs]).astype(np.int32),
    )


def transitive_walks(
    n_stops: int, frm: np.ndarray, to: np.ndarray, secs: np.ndarray, *, limit_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of stops a chain of footpaths links within ``limit_s``, at its shortest walk.

    Walking A→B→C is a walk A→C: a rider does not care that the footpath table lists only the
    two halves. Pairs are ordered by (from, to).
    """
    if len(frm) == 0 or n_stops == 0:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty.copy(), empty.copy()
    # csgraph reads an explicit 0 as "no edge": a zero-second walk is stored as a tiny one.
    weight = np.maximum(np.asarray(secs, dtype=np.float64), 1e-6)
    graph = _min_duplicates(n_stops, np.asarray(frm), np.asarray(to), weight)
    sources = np.unique(np.asarray(frm))
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    out_s: list[np.ndarray] = []
    for i in range(0, len(sources), _CLOSURE_BATCH):
        batch = sources[i : i + _CLOSURE_BATCH]
        dist = dijkstra(graph, directed=True, indices=batch, limit=limit_s + 1e-3)
        rows, cols = np.nonzero(np.isfinite(dist))
        keep = batch[rows] != cols
        out_a.append(batch[rows[keep]])
        out_b.append(cols[keep])
        # Back to whole seconds: the tiny stand-ins for zero round down to 0 again.
        out_s.append(np.round(dist[rows[keep], cols[keep]]))
    return (
        np.concatenate(out_a).astype(np.int32),
        np.concatenate(out_b).astype(np.int32),
        np.concatenate(out_s).astype(np.int32),
    )


def _min_duplicates(n_stops: int, frm: np.ndarray, to: np.ndarray, weight: np.ndarray) -> csr_matrix:
    """A sparse graph keeping the shortest of repeated (from, to) edges (scipy would sum them)."""
    order = np.lexsort((weight, to, frm))
    frm, to, weight = frm[order], to[order], weight[order]
    first = np.ones(len(frm), dtype=bool)
    first[1:] = (frm[1:] != frm[:-1]) | (to[1:] != to[:-1])
    return csr_matrix((weight[first], (frm[first], to[first])), shape=(n_stops, n_stops))


def merge_footpaths(
    n_stops: int,
    sources: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    *,
    overrides: dict[tuple[int, int], int],
    banned: set[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One CSR footpath table (``fp_start``, ``fp_to``, ``fp_secs``) from several sources.

    The walks of all sources are chained (:func:`transitive_walks`) up to the longest walk any
    source gave, so a footpath is the shortest walk between its stops, not only a listed one.
    Each then takes at least :data:`MIN_CHANGE_S`. ``overrides`` (transfers.txt minimum times
    between two stops) replace the result as given, ``banned`` pairs (transfer_type 3) are
    removed, self-loops dropped. Each stop's footpaths are sorted by walking time.
    """
    frm_l: list[np.ndarray] = []
    to_l: list[np.ndarray] = []
    secs_l: list[np.ndarray] = []
    for frm, to, secs in sources:
        frm, to, secs = (np.asarray(x, dtype=np.int64) for x in (frm, to, secs))
        ok = (frm != to) & (frm >= 0) & (frm < n_stops) & (to >= 0) & (to < n_stops) & (secs >= 0)
        frm_l.append(frm[ok])
        to_l.append(to[ok])
        secs_l.append(secs[ok])
    frm_all = np.concatenate(frm_l) if frm_l else np.zeros(0, np.int64)
    to_all = np.concatenate(to_l) if to_l else np.zeros(0, np.int64)
    secs_all = np.concatenate(secs_l) if secs_l else np.zeros(0, np.int64)
    limit = float(secs_all.max()) if len(secs_all) else 0.0
    ca, cb, cs = transitive_walks(n_stops, frm_all, to_all, secs_all, limit_s=limit)
    secs = np.maximum(cs.astype(np.int64), MIN_CHANGE_S)
    if overrides or banned:
        pairs = ca.astype(np.int64) * n_stops + cb
        given = {k: v for k, v in overrides.items() if k[0] != k[1] and min(k) >= 0 and max(k) < n_stops}
        over = np.array([a * n_stops + b for a, b in given], dtype=np.int64)
        over_s = np.array(list(given.values()), dtype=np.int64)
        ban = np.array([a * n_stops + b for a, b in banned], dtype=np.int64)
        drop = np.isin(pairs, np.concatenate([over, ban]))
        new = ~np.isin(over, ban)
        ca = np.concatenate([ca[~drop], over[new] // n_stops]).astype(np.int64)
        cb = np.concatenate([cb[~drop], over[new] % n_stops]).astype(np.int64)
        secs = np.concatenate([secs[~drop], over_s[new]])
    # Each stop's footpaths shortest first, so a search can stop at the first too long one.
    order = np.lexsort((cb, secs, ca))
    fp_to = cb[order].astype(np.int32)
    fp_secs = secs[order].astype(np.int32)
    fp_start = np.zeros(n_stops + 1, dtype=np.int64)
    np.add.at(fp_start, ca.astype(np.int64) + 1, 1)
    return np.cumsum(fp_start), fp_to, fp_secs
