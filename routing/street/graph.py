"""A compiled street graph of one mode, loaded from flat arrays, with its CCH index.

The arrays are memory-mapped, so several server processes share one copy. The CCH (customizable
contraction hierarchy, RoutingKit via ``routingkit-cch``) is built from the stored node order and
customised with the edge weights when a search first needs it (:mod:`routing.street.lazy`): the
binding cannot store either, and for the turn-expanded graphs they take most of a second, which a
process that never routes that mode (a build's footpaths, a walking-only command) need not pay.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import routingkit_cch
from numpy.typing import NDArray

from routing.core.geo import LocalProjection
from routing.street.lazy import lazy
from routing.street.nearest import SnapGrid
from routing.street.pinned import PinnedPerThread
from routing.street.schema import (
    PUSH_ARRAY,
    SNAP_CANDIDATES,
    SNAP_SPACING_M,
    STREET_ARRAYS,
    TURN_ARRAYS,
    UNNAMED_LABELS,
    WALK_ARRAYS,
)

if TYPE_CHECKING:
    import networkx as nx

_SNAP_CACHE_SIZE = 64  # recent snaps kept per graph (SnapPoints are immutable, so they are shared)


def load_array(folder: Path, name: str) -> NDArray[Any]:
    """The compiled array ``name`` of ``folder``, memory-mapped (paged in on demand) and read
    through a plain ndarray view: indexing an ``np.memmap`` runs Python code on every access,
    about 150 scalar reads a plan."""
    return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False))


class SnapPoint(NamedTuple):
    """Where a query point meets the graph: a point on segment ``seg`` at fraction ``t`` from ``u``.

    A named tuple, not a frozen dataclass: a snap makes one per candidate segment (about sixteen),
    and a frozen dataclass took 3 us each to make, half of a snap.
    """

    seg: int
    t: float  # 0 at seg_u, 1 at seg_v
    lat: float
    lon: float
    distance_m: float  # from the query point to the snapped point
    component: int


class StreetGraph:
    """One mode's directed street graph.

    Parameters
    ----------
    folder
        ``<compiled city>/street/<mode>``.
    mode
        ``"walk"``, ``"bike"`` or ``"drive"``.
    names
        Street names shared by every mode (``street/names.json``).
    """

    def __init__(self, folder: Path, *, mode: str, names: list[str] | None = None) -> None:
        self.mode = mode
        self.folder = folder
        arrays = {k: load_array(folder, k) for k in STREET_ARRAYS}
        self.node_osm: NDArray[np.int64] = arrays["node_osm"]  # node → OSM node id
        self.node_lat: NDArray[np.float64] = arrays["node_lat"]  # node → latitude
        self.node_lon: NDArray[np.float64] = arrays["node_lon"]  # node → longitude
        self.node_elev: NDArray[np.float32] = arrays["node_elev"]  # node → elevation (m)
        self.node_main: NDArray[np.bool_] = arrays["node_main"]  # node → in a kept SCC (not a dropped island)
        self.node_comp: NDArray[np.int32] = arrays["node_comp"]  # node → SCC id
        self.edge_tail: NDArray[np.int32] = arrays["edge_tail"]  # edge → tail node
        self.edge_head: NDArray[np.int32] = arrays["edge_head"]  # edge → head node
        self.edge_ms: NDArray[np.int64] = arrays["edge_ms"]  # edge → travel time (ms)
        self.edge_cost: NDArray[np.int64] = arrays["edge_cost"]  # edge → routing cost (ms with penalties or distance)
        self.edge_len: NDArray[np.float32] = arrays["edge_len"]  # edge → length (m)
        self.edge_dz: NDArray[np.float32] = arrays["edge_dz"]  # edge → elevation change (m)
        self.edge_name: NDArray[np.int32] = arrays["edge_name"]  # edge → name id, -1 unnamed
        self.edge_class: NDArray[np.int8] = arrays["edge_class"]  # edge → highway class code
        self.edge_way: NDArray[np.int64] = arrays["edge_way"]  # edge → OSM way id
        self.seg_u: NDArray[np.int32] = arrays["seg_u"]  # segment → one end node
        self.seg_v: NDArray[np.int32] = arrays["seg_v"]  # segment → other end node
        self.seg_fwd: NDArray[np.int32] = arrays["seg_fwd"]  # segment → edge u→v or -1
        self.seg_bwd: NDArray[np.int32] = arrays["seg_bwd"]  # segment → edge v→u or -1
        # Walk graphs: edge → usable step-free (routing.street.stepfree); None for other modes.
        self.edge_stepfree: NDArray[np.bool_] | None = (
            load_array(folder, WALK_ARRAYS[0]) if (folder / f"{WALK_ARRAYS[0]}.npy").is_file() else None
        )
        self.stepfree = False  # True for the step-free view of a walk graph
        # Bike graphs: edge → the bicycle is pushed (walked) there; None for other modes.
        self.edge_push: NDArray[np.bool_] | None = (
            load_array(folder, PUSH_ARRAY) if (folder / f"{PUSH_ARRAY}.npy").is_file() else None
        )
        # Segment → may be snapped to (beyond being in a kept component); None: every segment.
        self.snap_segments: NDArray[np.bool_] | None = None
        self.names = names if names is not None else _load_names(folder.parent)
        self.node_count = len(self.node_lat)
        self.edge_count = len(self.edge_tail)
        self._cch_order: NDArray[np.int32] = arrays["cch_order"]
        # Routing costs differ from travel times where the mode has penalties (a walk avoids trunk
        # roads without sidewalks) or a cost of distance (driving); else one metric serves both, so
        # no second customization.
        self.penalised = not np.array_equal(np.asarray(self.edge_cost), np.asarray(self.edge_ms))
        # Drive and bike: the turn-expanded graph their routes are searched on (its own CCH).
        self.turns = TurnIndex(folder, self) if (folder / "turn_edge.npy").is_file() else None
        self._pinned = PinnedPerThread()
        # (lat, lon, max_m, k) → snapped candidates; dict reads and writes are atomic, so threads share it
        self._snap_cache: dict[tuple[float, float, float, int], tuple[SnapPoint, ...]] = {}
        self.proj = LocalProjection(float(np.mean(self.node_lat)), float(np.mean(self.node_lon)))
        self.bbox = (
            float(np.min(self.node_lat)),
            float(np.min(self.node_lon)),
            float(np.max(self.node_lat)),
            float(np.max(self.node_lon)),
        )

    @classmethod
    def load(cls, street_folder: Path, mode: str) -> StreetGraph:
        return cls(street_folder / mode, mode=mode, names=_load_names(street_folder))

    @lazy
    def _cch(self) -> routingkit_cch.CCH:
        """The contraction hierarchy of the street graph (its order was computed at build time)."""
        return routingkit_cch.CCH(self._cch_order.tolist(), self.edge_tail.tolist(), self.edge_head.tolist(), False)

    @lazy
    def metric(self) -> routingkit_cch.CCHMetric:
        """Travel times: what footpaths, transit access and isochrones measure."""
        return routingkit_cch.CCHMetric(self._cch, self.edge_ms.tolist())

    @lazy
    def cost_metric(self) -> routingkit_cch.CCHMetric:
        """Routing costs: what a point-to-point route minimises (:attr:`metric` when no penalties)."""
        return routingkit_cch.CCHMetric(self._cch, self.edge_cost.tolist()) if self.penalised else self.metric

    def prepare(self) -> None:
        """Build now what the searches would build on first use (hierarchies, metrics, snap index)."""
        _ = self.metric, self.snap_grid
        if self.turns is not None:
            self.turns.prepare()  # a mode with turns routes on them: the node graph's costs go unused
        else:
            _ = self.cost_metric

    @cached_property
    def component_sizes(self) -> NDArray[np.int64]:
        """Strongly connected component id → its node count."""
        return np.bincount(np.asarray(self.node_comp), minlength=1)

    @cached_property
    def name_keys(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Step-run keys: name id → key, and highway class → key of its "unnamed <class>" label.

        Equally spelled names share a key (the first id of that spelling), so a route's steps
        merge by the name itself, even where two ids (or a name and a label) spell one name.
        """
        first: dict[str, int] = {}
        name_key = np.array([first.setdefault(n, i) for i, n in enumerate(self.names)], dtype=np.int64)
        class_key = np.array(
            [first.setdefault(label, len(self.names) + c) for c, label in enumerate(UNNAMED_LABELS)], dtype=np.int64
        )
        return name_key, class_key

    def largest_component_nodes(self) -> NDArray[np.int64]:
        """The nodes of the largest strongly connected component (every pair of them is connected)."""
        return np.flatnonzero(np.asarray(self.node_comp) == int(self.component_sizes.argmax()))

    def query(self) -> routingkit_cch.CCHQuery:
        """This thread's reusable CCH query object on travel times (they are not thread-safe)."""
        return self._pinned.get("query", lambda: routingkit_cch.CCHQuery(self.metric))

    def route_query(self) -> routingkit_cch.CCHQuery:
        """This thread's reusable CCH query object on routing costs (:attr:`edge_cost`)."""
        if self.cost_metric is self.metric:
            return self.query()
        return self._pinned.get("route_query", lambda: routingkit_cch.CCHQuery(self.cost_metric))

    def turn_query(self) -> routingkit_cch.CCHQuery:
        """This thread's reusable query on the turn-expanded graph's travel times (only for a graph
        with :attr:`turns`)."""
        turns = self.turns
        assert turns is not None
        return self._pinned.get("turn_query", lambda: routingkit_cch.CCHQuery(turns.metric))

    def turn_route_query(self) -> routingkit_cch.CCHQuery:
        """This thread's reusable query on the turn-expanded graph's routing costs (turn costs plus
        :attr:`edge_cost` of the entered edge); the travel-time query when the mode has no penalties."""
        turns = self.turns
        assert turns is not None
        if turns.cost_metric is turns.metric:
            return self.turn_query()
        return self._pinned.get("turn_route_query", lambda: routingkit_cch.CCHQuery(turns.cost_metric))

    @cached_property
    def snap_grid(self) -> SnapGrid:
        """Sample points along the segments a point may snap to, in a grid (built on first use)."""
        xy = self.proj.to_xy(np.asarray(self.node_lat), np.asarray(self.node_lon))
        a, b = xy[self.seg_u], xy[self.seg_v]
        # Only segments of kept components are indexed: a point amid a dropped island (a car park's
        # aisles) must find the kept network nearby, not only the island's many segments.
        kept = np.asarray(self.node_main)
        usable = kept[self.seg_u] & kept[self.seg_v]
        if self.snap_segments is not None:
            usable &= self.snap_segments  # the step-free view snaps to step-free segments only
        kept_seg = np.flatnonzero(usable).astype(np.int32)
        length = np.hypot(*(b[kept_seg] - a[kept_seg]).T)
        # Points every ~20 m along each segment, so long segments are found by their middle too.
        pieces = np.maximum(1, np.ceil(length / SNAP_SPACING_M)).astype(np.int64)
        seg_of_point = np.repeat(kept_seg, pieces + 1)
        starts = np.repeat(np.cumsum(pieces + 1) - (pieces + 1), pieces + 1)
        frac = (np.arange(len(seg_of_point)) - starts) / np.repeat(pieces, pieces + 1)
        pts = a[seg_of_point] + (b - a)[seg_of_point] * frac[:, None]
        return SnapGrid.of(pts, seg_of_point, a, b)

    def nearest_segments(self, lat: float, lon: float, *, max_m: float, k: int = SNAP_CANDIDATES) -> list[SnapPoint]:
        """Segments of kept components within ``max_m`` of a point, nearest first (exact distance).

        The exact distances of all ``k`` candidates are computed at once with numpy (the same
        operations, element by element, as a per-candidate loop: the results are identical).
        The last few answers are kept: one plan snaps its two points to the walk graph for the
        walk and again for the transit access.
        """
        key = (lat, lon, max_m, k)
        found = self._snap_cache.get(key)
        if found is None:
            found = self._nearest_segments(lat, lon, max_m=max_m, k=k)
            if len(self._snap_cache) >= _SNAP_CACHE_SIZE:
                self._snap_cache.clear()  # a bounded memo, not an LRU: plans rarely repeat a point
            self._snap_cache[key] = found
        return list(found)

    def _nearest_segments(self, lat: float, lon: float, *, max_m: float, k: int) -> tuple[SnapPoint, ...]:
        seg, t, sx, sy, dm = self.snap_grid.candidates(self.proj.point(lat, lon), k=k, max_m=max_m)
        if len(seg) == 0:
            return ()
        p = self.proj
        slat, slon = p.lat0 + sy / p.ky, p.lon0 + sx / p.kx
        comp = self.node_comp[self.seg_u[seg]]
        # positional, in SnapPoint's field order: seg, t, lat, lon, distance_m, component
        return tuple(map(SnapPoint, seg.tolist(), t.tolist(), slat.tolist(), slon.tolist(), dm.tolist(), comp.tolist()))

    def to_networkx(self) -> nx.DiGraph:
        """The same graph for networkx (parallel edges collapsed to their fastest), weight ``w`` in ms."""
        import networkx as nx  # only benchmarks and tests compare against networkx; it is slow to import

        G = nx.DiGraph()
        for a, b, ms in zip(self.edge_tail.tolist(), self.edge_head.tolist(), self.edge_ms.tolist(), strict=True):
            if not G.has_edge(a, b) or G[a][b]["w"] > ms:
                G.add_edge(a, b, w=ms)
        return G

    def contains(self, lat: float, lon: float, *, margin_m: float = 0.0) -> bool:
        """Whether a point lies in the graph's bounding box (grown by ``margin_m``)."""
        dlat = margin_m / 111_000.0
        dlon = dlat / max(0.1, np.cos(np.radians(lat)))
        s, w, n, e = self.bbox
        return s - dlat <= lat <= n + dlat and w - dlon <= lon <= e + dlon


class TurnIndex:
    """The turn-expanded graph of a mode (:mod:`routing.street.turns`) with its own CCH.

    An arc ``x → y`` weighs the turn's cost plus the time of the edge ``y`` enters, so a search
    from expanded node ``x`` starts at the head of ``x``'s edge.
    """

    def __init__(self, folder: Path, graph: StreetGraph) -> None:
        t = {k: load_array(folder, k) for k in TURN_ARRAYS}
        self.edge: NDArray[np.int32] = t["turn_edge"]  # expanded node → street edge
        self.arc_from: NDArray[np.int32] = t["turn_from"]  # turn → expanded node it leaves
        self.arc_to: NDArray[np.int32] = t["turn_to"]  # turn → expanded node it enters
        self.arc_ms: NDArray[np.int64] = t["turn_ms"]  # turn → its own cost (ms)
        self.node_count = len(self.edge)
        self._order: NDArray[np.int32] = t["turn_order"]
        self._graph = graph

    @lazy
    def _cch(self) -> routingkit_cch.CCH:
        return routingkit_cch.CCH(self._order.tolist(), self.arc_from.tolist(), self.arc_to.tolist(), False)

    @lazy
    def metric(self) -> routingkit_cch.CCHMetric:
        """Travel times (isochrones measure these): each turn's cost plus the entered edge's time."""
        weights = self.arc_ms + np.asarray(self._graph.edge_ms)[self.edge[self.arc_to]]
        return routingkit_cch.CCHMetric(self._cch, weights.tolist())

    @lazy
    def cost_metric(self) -> routingkit_cch.CCHMetric:
        """Routing costs (routes minimise these: the entered edge's :attr:`StreetGraph.edge_cost`);
        :attr:`metric` when the mode has no penalties."""
        if not self._graph.penalised:
            return self.metric
        costs = self.arc_ms + np.asarray(self._graph.edge_cost)[self.edge[self.arc_to]]
        return routingkit_cch.CCHMetric(self._cch, costs.tolist())

    def prepare(self) -> None:
        """Build the hierarchy, its metrics and the groupings now rather than on first use."""
        _ = self.metric, self.cost_metric, self._into, self._ends, self._out

    @lazy
    def _into(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Turns grouped by the street edge they enter (a destination on that edge is reached by them)."""
        entered = self.edge[self.arc_to]
        return np.argsort(entered, kind="stable"), _starts(entered, self._graph.edge_count)

    @lazy
    def _ends(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Expanded nodes grouped by the street node their edge ends at (a route may end there)."""
        ends = np.asarray(self._graph.edge_head)[self.edge]
        return np.argsort(ends, kind="stable"), _starts(ends, self._graph.node_count)

    @lazy
    def _out(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Street edges grouped by their tail (a route from a street node starts on one of them)."""
        tail = np.asarray(self._graph.edge_tail)
        return np.argsort(tail, kind="stable"), _starts(tail, self._graph.node_count)

    def turns_into(self, edge: int) -> NDArray[np.int64]:
        """The turns entering street edge ``edge`` (onto it or one of its copies)."""
        order, start = self._into
        return order[start[edge] : start[edge + 1]]

    def ending_at(self, node: int) -> NDArray[np.int64]:
        """Expanded nodes whose edge ends at street node ``node``."""
        order, start = self._ends
        return order[start[node] : start[node + 1]]

    def edges_out_of(self, node: int) -> NDArray[np.int64]:
        """Street edges leaving street node ``node`` (each is also its own expanded node)."""
        order, start = self._out
        return order[start[node] : start[node + 1]]

    def to_networkx(self) -> nx.DiGraph:
        """The expanded graph for networkx, weight ``w`` in ms (turn plus entered edge)."""
        import networkx as nx  # only benchmarks and tests compare against networkx

        G = nx.DiGraph()
        G.add_nodes_from(range(self.node_count))
        for a, b, w in zip(self.arc_from.tolist(), self.arc_to.tolist(), self.metric.weights, strict=True):
            if not G.has_edge(a, b) or G[a][b]["w"] > w:
                G.add_edge(a, b, w=w)
        return G


def _starts(keys: NDArray[np.integer], n: int) -> NDArray[np.int64]:
    """CSR offsets of ``n`` groups: group ``k`` holds the items with key ``k``, in a stable argsort."""
    out = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=out[1:])
    return out


def _load_names(street_folder: Path) -> list[str]:
    return list(json.loads((street_folder / "names.json").read_text(encoding="utf-8")))
