"""The numbers of a found route, in one compiled pass: its geometry, totals and step runs.

:func:`routing.street.route._assemble` hands the travelled parts here and builds the route's
values from what comes back. Every number is computed with the same floating-point operations in
the same order as the per-edge loop it replaces (sums left to right, no fused multiply-add), so
routes are bit-identical to it (``tests/street/test_assemble.py`` compares them); compiled, the
pass takes about 40 % of the time numpy's dozens of small array operations took per route.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

from routing.core.geo import bearing_deg

#: :func:`routing.core.geo.bearing_deg` compiled: the same operations on the same libm calls.
_bearing_deg = njit(cache=True, inline="always")(bearing_deg)

#: The codes of ``step_turn`` (what :func:`trace` says of a step's first piece).
DEPART, CONTINUE, TURN = 0, 1, 2


@njit(cache=True)
def trace(
    edge: NDArray[np.int64],
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    turn_ms: NDArray[np.int64],
    ends: tuple[float, float, float, float],
    street: tuple[
        NDArray[np.int32],
        NDArray[np.int32],
        NDArray[np.int64],
        NDArray[np.float32],
        NDArray[np.float32],
        NDArray[np.int32],
        NDArray[np.int8],
        NDArray[np.float64],
        NDArray[np.float64],
        NDArray[np.float32],
    ],
    keys: tuple[NDArray[np.int64], NDArray[np.int64]],
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]:  # pragma: no cover - compiled; tests/street/test_assemble.py checks it against the per-edge loop
    """Trace parts ``(edge[i], a[i], b[i])``, entered at a turn cost of ``turn_ms[i]``, from
    ``start`` to ``end``: ``ends`` is (start lat, lon, end lat, lon).

    ``street`` holds the graph's edge and node arrays (as :func:`routing.street.route._assemble`
    lists them), ``keys`` its :attr:`~routing.street.graph.StreetGraph.name_keys`.

    Returns
    -------
    xy
        ``(m, 2)`` lon, lat of the drawn line: the start, each used part's end, then ``end``
        (replacing the last part's end when that part stops inside its edge).
    elevation
        ``m`` metres along ``xy`` (the last value repeated for points past the pieces).
    totals
        ``[duration ms, distance m, elevation gain m, loss m]``, each summed from 0 left to right.
    step_name
        step → the name id of its first piece's edge, or ``-1 - class`` when unnamed.
    step_turn
        step → :data:`DEPART`, :data:`CONTINUE` (no heading to compare) or :data:`TURN`.
    step_delta
        step → change of heading in degrees (-180..180, right positive) where :data:`TURN`.
    step_sums
        ``(steps, 2)``: distance m and seconds of each step, added from its first piece.
    step_at
        ``(steps + 1, 2)``: lon, lat where each step starts, then where the last piece ends.
    """
    start_lat, start_lon, end_lat, end_lon = ends
    edge_tail, edge_head, edge_ms, edge_dz, edge_len, edge_name, edge_class, node_lat, node_lon, node_elev = street
    name_key, class_key = keys
    n_parts = len(edge)
    # Used pieces: a zero-length part (a snapped point on a node) adds nothing; its turn cost moves
    # to the next used piece (the last one at the end).
    used = np.empty(n_parts, np.int64)
    turn = np.zeros(n_parts, np.float64)
    n = 0
    carry = 0
    for i in range(n_parts):
        carry += turn_ms[i]
        if b[i] - a[i] > 0:
            used[n] = i
            turn[n] = float(carry)
            carry = 0
            n += 1
    if n and carry:
        turn[n - 1] += carry
    slat = np.empty(n, np.float64)  # piece → where it starts, and ends
    slon = np.empty(n, np.float64)
    elat = np.empty(n, np.float64)
    elon = np.empty(n, np.float64)
    dist = np.empty(n, np.float64)  # piece → metres, seconds
    secs = np.empty(n, np.float64)
    key = np.empty(n, np.int64)  # piece → name key (equal for equally spelled names)
    xy = np.empty((n + 2, 2), np.float64)
    elev = np.empty(n + 2, np.float64)
    xy[0, 0], xy[0, 1] = start_lon, start_lat
    total_ms = 0.0
    total_m = 0.0
    gain = 0.0
    loss = 0.0
    for j in range(n):
        i = used[j]
        e = edge[i]
        frac = b[i] - a[i]
        tail, head = edge_tail[e], edge_head[e]
        z0 = np.float64(node_elev[tail])
        dzn = np.float64(node_elev[head]) - z0
        lat0, lon0 = node_lat[tail], node_lon[tail]
        dlat, dlon = node_lat[head] - lat0, node_lon[head] - lon0
        slat[j], slon[j] = lat0 + dlat * a[i], lon0 + dlon * a[i]
        elat[j], elon[j] = lat0 + dlat * b[i], lon0 + dlon * b[i]
        # a zero turn cost adds +0.0 to a time >= +0.0: the same double as not adding it
        ms = np.float64(edge_ms[e]) * frac + turn[j]
        dz = np.float64(edge_dz[e]) * frac
        dist[j] = np.float64(edge_len[e]) * frac
        secs[j] = ms / 1000.0
        total_ms += ms
        total_m += dist[j]
        # as np.maximum: NaN (no elevation model) propagates
        gain += dz if (dz > 0.0 or dz != dz) else 0.0
        loss += -dz if (-dz > 0.0 or dz != dz) else 0.0
        name = edge_name[e]
        key[j] = name_key[name] if name >= 0 else class_key[edge_class[e]]
        if j == 0:
            elev[0] = z0 + dzn * a[i]
        elev[j + 1] = z0 + dzn * b[i]
        xy[j + 1, 0], xy[j + 1, 1] = elon[j], elat[j]
    m = n + 1
    if m > 1 and n_parts and b[n_parts - 1] < 1.0:
        xy[m - 1, 0], xy[m - 1, 1] = end_lon, end_lat
    elif xy[m - 1, 0] != end_lon or xy[m - 1, 1] != end_lat:
        xy[m, 0], xy[m, 1] = end_lon, end_lat
        m += 1
    for k in range(n + 1 if n else 0, m):
        elev[k] = elev[k - 1] if k else 0.0
    totals = np.array([total_ms, total_m, gain, loss])

    # Steps: one per run of one name key; the heading is taken where a run starts, against the
    # last piece before it that has one (a piece whose ends differ).
    n_steps = 0
    starts = np.empty(n, np.int64)
    for j in range(n):
        if j == 0 or key[j] != key[j - 1]:
            starts[n_steps] = j
            n_steps += 1
    step_name = np.empty(n_steps, np.int64)
    step_turn = np.empty(n_steps, np.int64)
    step_delta = np.zeros(n_steps, np.float64)
    step_sums = np.empty((n_steps, 2), np.float64)
    step_at = np.empty((n_steps + 1, 2), np.float64)
    last_moving = -1  # the last piece with a heading before the current one
    j = 0
    for k in range(n_steps):
        s = starts[k]
        end = starts[k + 1] if k + 1 < n_steps else n
        while j < s:
            if slat[j] != elat[j] or slon[j] != elon[j]:
                last_moving = j
            j += 1
        e = edge[used[s]]
        step_name[k] = edge_name[e] if edge_name[e] >= 0 else -1 - np.int64(edge_class[e])
        if k == 0:
            step_turn[k] = DEPART
        elif (slat[s] == elat[s] and slon[s] == elon[s]) or last_moving < 0:
            step_turn[k] = CONTINUE
        else:
            p = last_moving
            heading = _bearing_deg(slat[s], slon[s], elat[s], elon[s])
            before = _bearing_deg(slat[p], slon[p], elat[p], elon[p])
            step_turn[k] = TURN
            step_delta[k] = (heading - before + 540.0) % 360.0 - 180.0
        d, t = dist[s], secs[s]
        for q in range(s + 1, end):
            d += dist[q]
            t += secs[q]
        step_sums[k, 0], step_sums[k, 1] = d, t
        step_at[k, 0], step_at[k, 1] = slon[s], slat[s]
    if n:
        step_at[n_steps, 0], step_at[n_steps, 1] = elon[n - 1], elat[n - 1]
    return xy[:m], elev[:m], totals, step_name, step_turn, step_delta, step_sums, step_at


#: From here on every double is an integer, and a half is no longer representable.
_EXACT_INTEGERS = 2.0**52
#: Veltkamp's splitter for doubles (2**27 + 1): splits a double into two halves of 26 bits.
_SPLITTER = 134217729.0


@njit(cache=True, inline="always")
def _product_error(x: float, y: float, p: float) -> float:  # pragma: no cover - compiled
    """``x * y - p`` exactly, for ``p = x * y`` rounded (Dekker's product; no fused multiply-add)."""
    c = _SPLITTER * x
    xh = c - (c - x)
    xl = x - xh
    c = _SPLITTER * y
    yh = c - (c - y)
    yl = y - yh
    return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl


@njit(cache=True)
def rounded(x: NDArray[np.float64], scale: float) -> tuple[NDArray[np.float64], NDArray[np.int64]]:  # pragma: no cover
    """Every element rounded as Python's ``round(v, n)`` rounds it, for ``scale = 10.0**n`` (n <= 22).

    Python rounds the exact binary value to the nearest decimal (ties to even) and reads that
    decimal back. ``rint(v * scale) / scale`` gives the same double (the division is correctly
    rounded) unless ``v * scale``, itself rounded, lies within an ulp of a half: there the product
    may have crossed the half. Those few (one OSM coordinate in ten at 6 digits, since OSM stores
    7) are decided on the exact product, ``p + (v * scale - p)``, against the half.

    Also returns the flat indices of values too large for this (``|v * scale| >= 2**52``, none in
    a city's coordinates), which the caller rounds with Python.
    """
    flat = x.ravel()
    out = np.empty(len(flat), np.float64)
    huge = np.empty(len(flat), np.int64)
    n_huge = 0
    for i in range(len(flat)):
        v = flat[i]
        p = v * scale
        k = math.floor(p)
        if abs(p) >= _EXACT_INTEGERS:
            out[i] = v
            huge[n_huge] = i
            n_huge += 1
        elif abs(abs(p - k) - 0.5) <= abs(p) * 1e-15:
            # p - (k + 0.5) is exact (the two are within a factor of two); with the product's own
            # error added, its sign is the exact value's side of the half
            side = (p - (k + 0.5)) + _product_error(v, scale, p)
            if side > 0.0 or (side == 0.0 and k % 2.0 != 0.0):
                k += 1.0
            out[i] = math.copysign(k / scale, v)  # a negative value rounded to zero is -0.0, as in Python
        else:
            out[i] = np.rint(p) / scale
    return out.reshape(x.shape), huge[:n_huge]
