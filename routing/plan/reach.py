"""One-to-all travel times on a street graph, and the street pieces reached within a time.

Times come from Dijkstra (``scipy.sparse.csgraph.dijkstra`` with ``limit``) on the mode's compiled
edge weights (integer ms), from any set of seeds each with its own start time: a super-source with
one edge per seed carries the offsets, so the answer is exact. On a graph searched with turns
(driving, cycling) the search runs over the turn-expanded graph, so turn costs and restrictions
count as in routes, and a node's time is that of the quickest edge into it.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from routing.street.graph import SnapPoint, StreetGraph
from routing.street.route import snap_sources

Segments = NDArray[np.float64]  # (n, 4): x0, y0, x1, y1 in the graph's local projection (metres)


class Reach:
    """Dijkstra searches on one street graph.

    Parameters
    ----------
    graph
        The mode's compiled street graph.
    """

    def __init__(self, graph: StreetGraph) -> None:
        self.graph = graph

    @cached_property
    def _edges(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        g = self.graph
        tail = np.asarray(g.edge_tail, dtype=np.int64)
        head = np.asarray(g.edge_head, dtype=np.int64)
        return _quickest(tail, head, np.maximum(1, np.asarray(g.edge_ms)).astype(np.float64))

    @cached_property
    def _xy(self) -> NDArray[np.float64]:
        g = self.graph
        return g.proj.to_xy(np.asarray(g.node_lat), np.asarray(g.node_lon))

    @cached_property
    def _turn_arcs(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        t = self.graph.turns
        assert t is not None
        ms = np.maximum(1, np.asarray(t.metric.weights, dtype=np.int64)).astype(np.float64)
        return _quickest(np.asarray(t.arc_from, dtype=np.int64), np.asarray(t.arc_to, dtype=np.int64), ms)

    def times_ms(self, seeds: dict[int, float], limit_ms: float) -> NDArray[np.float64]:
        """Earliest time (ms) at every node from ``seeds`` (start ms each); inf beyond ``limit_ms``.

        The seeds are graph nodes, or on a graph with turns the expanded nodes (edges travelled)
        :meth:`origin_seeds` gives.
        """
        g = self.graph
        if g.turns is not None:
            at = _dijkstra(g.turns.node_count, *self._turn_arcs, seeds, limit_ms)
            times = np.full(g.node_count, np.inf)
            np.minimum.at(times, np.asarray(g.edge_head)[g.turns.edge], at)
            return times
        tail, head, ms = self._edges
        return _dijkstra(g.node_count, tail, head, ms, seeds, limit_ms)

    def origin_seeds(self, origin: SnapPoint) -> dict[int, float]:
        """The graph nodes a snapped point leads to, with the ms to reach them (on a graph with
        turns: the expanded nodes of the edges it lies on).

        The ends are :func:`~routing.street.route.snap_sources`'s, as a route from the point starts;
        the times stay unrounded (they grow along the edge in :meth:`samples_within`). A segment's
        two ends are never one node (the build splits ways between nodes), so no end is lost.
        """
        g = self.graph
        turns = g.turns is not None
        seeds: dict[int, float] = {}
        for node, part in snap_sources(g, origin).items():
            if part is None:
                continue
            edge, a, b = part
            seeds[edge if turns else node] = float(g.edge_ms[edge]) * (b - a)
        return seeds

    def segments_within(self, times: NDArray[np.float64], limit_ms: float, origin: SnapPoint | None) -> Segments:
        """The pieces of edges travelled within ``limit_ms``: whole edges, then the part of the last one."""
        a, b, _, _ = self._pieces(times, limit_ms, origin)
        return np.column_stack((a, b))

    def samples_within(
        self, times: NDArray[np.float64], limit_ms: float, origin: SnapPoint | None, *, spacing_m: float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Points along the street travelled within ``limit_ms``, at most ``spacing_m`` apart, and
        the time (ms) at each: both ends of every piece of :meth:`segments_within` and points
        between them, the time growing linearly along an edge."""
        a, b, ta, tb = self._pieces(times, limit_ms, origin)
        # Each piece cut into n steps of at most spacing_m: n + 1 points with f = 0, 1/n, ..., 1.
        steps = np.maximum(1, np.ceil(np.hypot(*(b - a).T) / spacing_m)).astype(np.int64)
        piece = np.repeat(np.arange(len(a)), steps + 1)
        first = np.concatenate(([0], np.cumsum(steps + 1)[:-1]))
        f = (np.arange(len(piece)) - first[piece]) / steps[piece]
        xy = a[piece] + (b - a)[piece] * f[:, None]
        return xy, ta[piece] + (tb - ta)[piece] * f

    def _pieces(
        self, times: NDArray[np.float64], limit_ms: float, origin: SnapPoint | None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Start and end points (x, y) of each piece of street travelled within ``limit_ms``, and the
        times (ms) there: every reached edge up to where the time runs out, then the origin's own
        segment from the snapped point each way travel allows."""
        g = self.graph
        tail, head, ms = self._edges
        t0 = times[tail]
        ok = t0 < limit_ms
        frac = np.minimum(1.0, (limit_ms - t0[ok]) / ms[ok])
        a, b = self._xy[tail[ok]], self._xy[head[ok]]
        starts, ends = [a], [a + (b - a) * frac[:, None]]
        t_start, t_end = [t0[ok]], [t0[ok] + frac * ms[ok]]
        if origin is not None:
            u, v = self._xy[int(g.seg_u[origin.seg])], self._xy[int(g.seg_v[origin.seg])]
            p = u + (v - u) * origin.t
            for edge, end, room in (
                (int(g.seg_fwd[origin.seg]), v, 1.0 - origin.t),
                (int(g.seg_bwd[origin.seg]), u, origin.t),
            ):
                if edge >= 0 and room > 0:
                    whole_ms = room * max(1.0, float(g.edge_ms[edge]))
                    f = min(1.0, limit_ms / whole_ms)
                    starts.append(p[None, :])
                    ends.append((p + (end - p) * f)[None, :])
                    t_start.append(np.zeros(1))
                    t_end.append(np.array([f * whole_ms]))
        return np.concatenate(starts), np.concatenate(ends), np.concatenate(t_start), np.concatenate(t_end)


def _quickest(
    tail: NDArray[np.int64], head: NDArray[np.int64], ms: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """The quickest of each set of parallel arcs (csr_matrix would add them up)."""
    order = np.lexsort((ms, head, tail))
    tail, head, ms = tail[order], head[order], ms[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    return tail[first], head[first], ms[first]


def _dijkstra(
    n: int,
    tail: NDArray[np.int64],
    head: NDArray[np.int64],
    ms: NDArray[np.float64],
    seeds: dict[int, float],
    limit_ms: float,
) -> NDArray[np.float64]:
    """Earliest time at each of ``n`` nodes from the seeds over the arcs, inf beyond ``limit_ms``."""
    # Imported by the first isochrone, not by a server's start: scipy's import is 0.4 s, and plans
    # never need it.
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    if not seeds:
        return np.full(n, np.inf)
    nodes = np.fromiter(seeds.keys(), dtype=np.int64, count=len(seeds))
    starts = np.fromiter(seeds.values(), dtype=np.float64, count=len(seeds))
    # Node n is the super-source; a zero weight would read as "no edge", hence the +1 ms, taken off after.
    rows = np.concatenate([tail, np.full(len(nodes), n)])
    cols = np.concatenate([head, nodes])
    data = np.concatenate([ms, starts + 1.0])
    graph = csr_matrix((data, (rows, cols)), shape=(n + 1, n + 1))
    dist = dijkstra(graph, directed=True, indices=n, limit=limit_ms + 1.0)
    return np.asarray(dist[:n], dtype=np.float64) - 1.0
