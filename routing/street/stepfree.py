"""Step-free walking: which walk edges a wheelchair user can take, and a walk graph limited to them.

The rules (build time, :func:`edge_stepfree`) close an edge when

* its way is ``highway=steps`` (unless tagged ``ramp:wheelchair=yes`` or ``wheelchair=yes``:
  steps with a ramp beside them), ``wheelchair=no``, or a crossing way (``footway=crossing``)
  tagged ``kerb=raised``;
* one of its end nodes is tagged ``kerb=raised`` (a raised kerb mapped as a node on a crossing,
  ``barrier=kerb``) or is a barrier or highway node tagged ``wheelchair=no``;
* its way's ``incline`` tag, when it is a percentage, exceeds :data:`MAX_STEPFREE_SLOPE`, or its
  running slope from the DEM does, over at least :data:`MIN_SLOPE_LENGTH_M`.

Edges without any such tag are kept: OSM maps most sidewalks without accessibility tags, and
closing untagged ways would leave nothing to route on (OpenTripPlanner does the same).

At query time :func:`stepfree_graph` gives a walk graph whose CCH metrics weigh closed edges at
RoutingKit's infinity, customised on the same contraction order, so every route, access and
egress search of the walk graph runs unchanged on it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping

import numpy as np
import routingkit_cch
from numpy.typing import NDArray

from routing.street.graph import StreetGraph
from routing.street.pinned import PinnedPerThread

#: The steepest running slope kept: 1:12 (8.33 %), the maximum slope of a ramp in the ADA 2010
#: Standards for Accessible Design (§405.2) and in ISO 21542:2021 (§10.2, for rises of 0.5 m at
#: most; longer ramps must be gentler, so this limit is the permissive end).
MAX_STEPFREE_SLOPE = 1.0 / 12.0
#: A DEM slope counts only on edges at least this long: the DEM's cells are ~30 m, so over a few
#: metres a difference of two interpolated elevations is mostly noise, not a kerb or a ramp.
MIN_SLOPE_LENGTH_M = 15.0
#: RoutingKit's ``inf_weight``: an arc of this weight is never relaxed (unreachable).
INF_WEIGHT = 2**31 - 1

_YES = frozenset({"yes", "designated"})


def _incline(tags: Mapping[str, str]) -> float | None:
    """The ``incline`` tag as a fraction when it is a percentage (``"10%"``, ``"-8 %"``), else None."""
    text = tags.get("incline", "").strip().replace(" ", "")
    if not text.endswith("%"):
        return None  # "up", "down", degrees: no figure to compare
    try:
        return abs(float(text[:-1])) / 100.0
    except ValueError:
        return None


def way_stepfree(tags: Mapping[str, str]) -> bool:
    """Whether a wheelchair may use a walkable way, by its tags alone."""
    wheelchair = tags.get("wheelchair", "").strip().lower()
    if wheelchair == "no":
        return False
    if tags.get("highway") == "steps" and wheelchair not in _YES and tags.get("ramp:wheelchair") not in _YES:
        return False
    crossing = tags.get("footway") == "crossing" or "crossing" in tags
    if crossing and tags.get("kerb", "").strip().lower() == "raised":
        return False  # on other ways ``kerb`` describes the kerb along them, not one to cross
    incline = _incline(tags)
    return incline is None or incline <= MAX_STEPFREE_SLOPE


def node_blocks_wheelchair(tags: Mapping[str, str]) -> bool:
    """Whether a node (a kerb or a barrier on a way) stops a wheelchair passing through it.

    ``wheelchair=no`` counts only on barriers and highway nodes: on a shop or a café mapped as a
    node it describes the premises, not the pavement.
    """
    if tags.get("kerb", "").strip().lower() == "raised":
        return True
    on_way = "barrier" in tags or "highway" in tags
    return on_way and tags.get("wheelchair", "").strip().lower() == "no"


def edge_stepfree(
    *,
    way_ok: NDArray[np.bool_],
    edge_way: NDArray[np.int32],
    tail: NDArray[np.int32],
    head: NDArray[np.int32],
    node_blocked: NDArray[np.bool_],
    slope: NDArray[np.float64],
    length: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Edge → usable step-free: its way's tags allow it, neither end node blocks, and it is not too
    steep (``slope`` rise over run, ``length`` metres, per edge)."""
    steep = (np.abs(slope) > MAX_STEPFREE_SLOPE) & (length >= MIN_SLOPE_LENGTH_M)
    ok = way_ok[edge_way] & ~node_blocked[tail] & ~node_blocked[head] & ~steep
    return np.asarray(ok, dtype=np.bool_)


_LOCK = threading.Lock()


def stepfree_graph(walk: StreetGraph) -> StreetGraph:
    """The walk graph with only its step-free edges (made once per graph, then shared).

    A shallow copy: arrays and the contraction hierarchy are shared, only the two metrics (closed
    edges at :data:`INF_WEIGHT`), the per-thread queries and the snapping index (segments with a
    step-free direction) are its own.

    Raises
    ------
    ValueError
        If ``walk`` was compiled without ``edge_stepfree`` (not a walk graph).
    """
    with _LOCK:
        found = walk.__dict__.get("_stepfree")
        if found is not None:
            return found
        if walk.edge_stepfree is None:
            raise ValueError(f"{walk.folder} has no edge_stepfree array")
        ok = np.asarray(walk.edge_stepfree, dtype=np.bool_)
        view = copy.copy(walk)
        view.__dict__.pop("snap_grid", None)
        view.__dict__.pop("component_sizes", None)
        view._pinned = PinnedPerThread()  # noqa: SLF001 - queries bound to the new metrics
        view._snap_cache = {}  # noqa: SLF001
        view.snap_segments = ok[np.maximum(walk.seg_fwd, 0)] & (walk.seg_fwd >= 0) | (
            ok[np.maximum(walk.seg_bwd, 0)] & (walk.seg_bwd >= 0)
        )
        ms = np.where(ok, np.asarray(walk.edge_ms), INF_WEIGHT)
        view._cch = walk._cch  # noqa: SLF001 - the same order, so the same hierarchy
        view.metric = routingkit_cch.CCHMetric(walk._cch, ms.tolist())  # noqa: SLF001 - same order
        view.cost_metric = view.metric
        if walk.penalised:
            cost = np.where(ok, np.minimum(np.asarray(walk.edge_cost), INF_WEIGHT - 1), INF_WEIGHT)
            view.cost_metric = routingkit_cch.CCHMetric(walk._cch, cost.tolist())  # noqa: SLF001
        view.stepfree = True
        walk.__dict__["_stepfree"] = view
        return view
