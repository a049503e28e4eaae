"""Point-to-point shortest travel time on one mode's street graph, with its geometry and steps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray

from routing.core.errors import NoRoute, NoStreetConnection, OutsideArea, SameOriginDestination
from routing.core.geo import haversine_m
from routing.street.graph import SnapPoint, StreetGraph
from routing.street.schema import UNNAMED_LABELS
from routing.street.steps import turn_name
from routing.street.trace import CONTINUE, DEPART, rounded, trace

MAX_SNAP_M = 500.0
# Two kept networks "about equally near" a point (within this many metres of each other) snap it to
# the larger one, as OSRM's tiny-component rule does: the larger network reaches more destinations.
LARGER_COMPONENT_SLACK_M = 25.0
_VERB = {"walk": "walk", "bike": "cycle", "drive": "drive"}
_GERUND = {"walk": "walking", "bike": "cycling", "drive": "driving"}
# A snapped point this near a segment's end is at that node: it may be left by, and reached from,
# every street meeting there, not only along the one segment the snap picked among equally near
# ones (a point at a junction of one-way streets would otherwise start with a needless loop, and
# inherit the turn restrictions of arriving along that segment).
AT_NODE_M = 0.5
_ALTERNATIVE_K = 512  # sample points searched for a snap on another component (~10 km of street)
Part = tuple[int, float, float]  # (edge, from fraction, to fraction) of a travelled edge


@dataclass
class Found:
    """A search's answer: the parts travelled and the turn cost (ms) paid on entering each."""

    parts: list[Part]
    turn_ms: list[int]

    def args(self) -> tuple[list[Part], list[int]]:
        return self.parts, self.turn_ms

    def total_ms(self, g: StreetGraph) -> int:
        return sum(partial_ms(g, p) for p in self.parts) + sum(self.turn_ms)

    def total_cost(self, g: StreetGraph) -> int:
        """What the search minimised: routing costs (:func:`partial_cost`) plus the turn costs."""
        return sum(partial_cost(g, p) for p in self.parts) + sum(self.turn_ms)


@dataclass(eq=False)
class StreetRoute:
    """The fastest route of one mode between two snapped points.

    The line and its elevations are arrays; :attr:`coords` and :attr:`elevations` give them as
    Python lists, made only when asked (an answer rounds and serves the arrays themselves).
    """

    mode: str
    duration_s: float
    distance_m: float
    elevation_gain_m: float
    elevation_loss_m: float
    xy: NDArray[np.float64]  # point → (lon, lat)
    elevation_array: NDArray[np.float64]  # point → metres
    steps: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of_lists(cls, *, coords: list[tuple[float, float]], elevations: list[float], **fields: Any) -> StreetRoute:
        """A route from its line as ``(lon, lat)`` pairs and its elevations as a list."""
        xy = np.array(coords, dtype=np.float64).reshape(-1, 2)
        return cls(xy=xy, elevation_array=np.array(elevations, dtype=np.float64), **fields)

    @property
    def coords(self) -> list[tuple[float, float]]:
        """The line as ``(lon, lat)`` pairs."""
        return list(zip(*self.xy.T.tolist(), strict=True))

    @property
    def elevations(self) -> list[float]:
        result: list[float] = self.elevation_array.tolist()
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StreetRoute):
            return NotImplemented
        return (self.mode, self.duration_s, self.distance_m, self.elevation_gain_m, self.elevation_loss_m) == (
            other.mode,
            other.duration_s,
            other.distance_m,
            other.elevation_gain_m,
            other.elevation_loss_m,
        ) and (
            np.array_equal(self.xy, other.xy)
            and np.array_equal(self.elevation_array, other.elevation_array)
            and self.steps == other.steps
        )

    __hash__ = None  # type: ignore[assignment]  # compared by content, like the arrays it holds

    def to_leg(self) -> dict[str, Any]:
        """The leg dict of the API (docs/api.md)."""
        xy, z = self.xy, self.elevation_array
        return {
            "mode": self.mode,
            "duration_s": round(self.duration_s, 1),
            "distance_m": round(self.distance_m, 1),
            "elevation_gain_m": round(self.elevation_gain_m, 1),
            "elevation_loss_m": round(self.elevation_loss_m, 1),
            "geometry": {"type": "LineString", "coordinates": round_like_python(xy, 6)},
            "elevation": round_like_python(z, 1),
            "steps": self.steps,
        }


def rounded_like_python(x: NDArray[np.float64], ndigits: int) -> NDArray[np.float64]:
    """``round(v, ndigits)`` of every element, exactly as Python rounds
    (:func:`routing.street.trace.rounded`), in an array of ``x``'s shape."""
    src = np.ascontiguousarray(x, dtype=np.float64)
    out, huge = rounded(src, 10.0**ndigits)
    if len(huge):
        flat, values = out.reshape(-1), src.reshape(-1)
        for i in huge.tolist():
            flat[i] = round(float(values[i]), ndigits)
    return out


def round_like_python(x: NDArray[np.float64], ndigits: int) -> list[Any]:
    """:func:`rounded_like_python` as nested lists of floats."""
    result: list[Any] = rounded_like_python(x, ndigits).tolist()
    return result


def snap(graph: StreetGraph, lat: float, lon: float, *, argument: str, max_m: float = MAX_SNAP_M) -> SnapPoint:
    """Snap a point to the nearest street of a kept component of ``graph``.

    Streets of dropped islands (:mod:`routing.street.components`) are skipped; of two kept
    components about equally near, the larger one wins.

    Raises
    ------
    OutsideArea
        If no usable street lies within ``max_m`` metres.
    """
    if not graph.contains(lat, lon, margin_m=max_m):
        raise OutsideArea(
            f"{argument} ({lat:.5f}, {lon:.5f}) is outside the city's area; pick a point on the map",
            argument=argument,
        )
    candidates = graph.nearest_segments(lat, lon, max_m=max_m)  # kept components only
    if not candidates:
        raise OutsideArea(
            f"{argument} ({lat:.5f}, {lon:.5f}) is more than {max_m:.0f} m from any street usable "
            f"to {_VERB.get(graph.mode, graph.mode)}; pick a point nearer a street",
            argument=argument,
        )
    return prefer_larger(graph, candidates)


def prefer_larger(graph: StreetGraph, candidates: list[SnapPoint]) -> SnapPoint:
    """Of snap candidates (nearest first), the nearest of the largest component among those within
    ``LARGER_COMPONENT_SLACK_M`` of the nearest."""
    near = [c for c in candidates if c.distance_m <= candidates[0].distance_m + LARGER_COMPONENT_SLACK_M]
    sizes = graph.component_sizes
    # max keeps the first of equals: the nearest candidate of the largest component
    return max(near, key=lambda c: int(sizes[c.component]))


def snap_pairs(
    graph: StreetGraph, origin: tuple[float, float], destination: tuple[float, float], *, max_m: float = MAX_SNAP_M
) -> Iterator[tuple[SnapPoint, SnapPoint]]:
    """Snapped (origin, destination) pairs to try in turn: the nearest snaps first, then others.

    When the nearest snaps lie in different components (a point beside a path network that joins
    the rest only beyond the extract's edge), the search may still fail; then, as OSRM does, each
    point is tried on the other's component and on the largest one, if it has a street within
    ``max_m``, fewest extra metres of snapping first.
    """
    o = snap(graph, *origin, argument="from", max_m=max_m)
    d = snap(graph, *destination, argument="to", max_m=max_m)
    yield o, d
    if o.component == d.component:
        return
    largest = int(graph.component_sizes.argmax())
    o_near = _nearest_in(graph, origin, {d.component, largest}, max_m=max_m)
    d_near = _nearest_in(graph, destination, {o.component, largest}, max_m=max_m)
    options = []
    for c in {o.component, d.component, largest}:
        oc = o if o.component == c else o_near.get(c)
        dc = d if d.component == c else d_near.get(c)
        if oc is not None and dc is not None and (oc, dc) != (o, d):
            options.append((oc.distance_m + dc.distance_m, c, oc, dc))
    for _, _, oc, dc in sorted(options, key=lambda x: (x[0], x[1])):
        yield oc, dc


def _nearest_in(
    graph: StreetGraph, point: tuple[float, float], components: set[int], *, max_m: float
) -> dict[int, SnapPoint]:
    """The nearest snapped point of each of ``components`` within ``max_m`` (absent: none)."""
    found: dict[int, SnapPoint] = {}
    # more candidates than a plain snap: the first 32 sample points may all be the other network's
    for c in graph.nearest_segments(*point, max_m=max_m, k=_ALTERNATIVE_K):
        if c.component in components and c.component not in found:
            found[c.component] = c
    return found


def route_points(
    graph: StreetGraph,
    origin: tuple[float, float],
    destination: tuple[float, float],
    *,
    router: Callable[[SnapPoint, SnapPoint], StreetRoute] | None = None,
) -> StreetRoute:
    """The route between two points (lat, lon): :func:`route` (or ``router``) on the first of
    :func:`snap_pairs` the mode's networks connect.

    Raises
    ------
    OutsideArea
        If a point has no usable street within reach.
    NoStreetConnection
        If no pair of snaps lies on connected networks (the error of the nearest snaps).
    """
    first: NoStreetConnection | None = None
    for o, d in snap_pairs(graph, origin, destination):
        try:
            return router(o, d) if router is not None else route(graph, o, d)
        except NoStreetConnection as exc:
            first = first or exc
    assert first is not None  # snap_pairs yields at least one pair or raises
    raise first


def at_node(g: StreetGraph, p: SnapPoint) -> int | None:
    """The node a snapped point lies at (within :data:`AT_NODE_M` of a segment's end), else None."""
    for node in (int(g.seg_u[p.seg]), int(g.seg_v[p.seg])):
        if haversine_m(p.lat, p.lon, float(g.node_lat[node]), float(g.node_lon[node])) <= AT_NODE_M:
            return node
    return None


def route_sources(g: StreetGraph, p: SnapPoint) -> dict[int, Part | None]:
    """Where a route from a snapped point starts: its node when it lies at one (:func:`at_node`),
    else the ends of its segment (:func:`snap_sources`)."""
    node = at_node(g, p)
    return snap_sources(g, p) if node is None else {node: None}


def route_targets(g: StreetGraph, p: SnapPoint) -> dict[int, Part | None]:
    """Where a route to a snapped point ends: its node when it lies at one, else :func:`snap_targets`."""
    node = at_node(g, p)
    return snap_targets(g, p) if node is None else {node: None}


def snap_sources(g: StreetGraph, p: SnapPoint) -> dict[int, Part | None]:
    """Graph nodes reachable from a snapped point: node → (edge, from fraction, to fraction)."""
    out: dict[int, Part | None] = {}
    fwd, bwd = int(g.seg_fwd[p.seg]), int(g.seg_bwd[p.seg])
    if fwd >= 0:
        out[int(g.seg_v[p.seg])] = (fwd, p.t, 1.0)
    if bwd >= 0:
        out[int(g.seg_u[p.seg])] = (bwd, 1.0 - p.t, 1.0)
    return out


def snap_targets(g: StreetGraph, p: SnapPoint) -> dict[int, Part | None]:
    """Graph nodes from which a snapped point is reached: node → (edge, from fraction, to fraction)."""
    out: dict[int, Part | None] = {}
    fwd, bwd = int(g.seg_fwd[p.seg]), int(g.seg_bwd[p.seg])
    if fwd >= 0:
        out[int(g.seg_u[p.seg])] = (fwd, 0.0, p.t)
    if bwd >= 0:
        out[int(g.seg_v[p.seg])] = (bwd, 0.0, 1.0 - p.t)
    return out


def partial_ms(g: StreetGraph, part: Part) -> int:
    edge, a, b = part
    return int(round(int(g.edge_ms[edge]) * (b - a)))


def source_ms(g: StreetGraph, p: SnapPoint) -> list[tuple[int, int]]:
    """(node, ms from the snapped point to it along its edge) for each node :func:`snap_sources`
    gives: the sources of a CCH one-to-many search from ``p``."""
    return [(n, 0 if part is None else partial_ms(g, part)) for n, part in snap_sources(g, p).items()]


def target_ms(g: StreetGraph, p: SnapPoint) -> list[tuple[int, int]]:
    """(node, ms from it to the snapped point along its edge) for each node :func:`snap_targets`
    gives: the targets of a CCH many-to-one search to ``p``."""
    return [(n, 0 if part is None else partial_ms(g, part)) for n, part in snap_targets(g, p).items()]


def partial_cost(g: StreetGraph, part: Part) -> int:
    """The routing cost of a part of an edge (:func:`partial_ms` with access penalties)."""
    edge, a, b = part
    return int(round(int(g.edge_cost[edge]) * (b - a)))


def route(
    graph: StreetGraph, origin: SnapPoint, destination: SnapPoint, *, timed: StreetGraph | None = None
) -> StreetRoute:
    """Fastest route from ``origin`` to ``destination`` (both snapped to ``graph``).

    ``timed``, a copy of ``graph`` with other edge times (an e-bike on the bike graph), times and
    names the route found on ``graph``.

    Raises
    ------
    SameOriginDestination
        If both snap to the same point.
    NoRoute
        If the destination cannot be reached with this mode.
    """
    g = graph
    if origin.seg == destination.seg and abs(origin.t - destination.t) < 1e-9:
        raise SameOriginDestination("origin and destination are the same place", argument="to")
    o_node, d_node = at_node(g, origin), at_node(g, destination)
    if o_node is not None and o_node == d_node:
        raise SameOriginDestination("origin and destination are the same place", argument="to")
    direct = _direct(g, origin, destination)
    found = _search(g, route_sources(g, origin), route_targets(g, destination))
    if direct is not None and (found is None or partial_cost(g, direct) <= found.total_cost(g)):
        found = Found([direct], [0])
    if found is None and origin.component != destination.component:
        what = _GERUND.get(g.mode, g.mode)
        raise NoStreetConnection(
            f"no {what} connection between these points in the OSM data (they lie on separate "
            f"{what} networks; another mode or transit may still join them)",
            argument="to",
        )
    if found is None:
        raise NoRoute(
            f"no {_VERB.get(g.mode, g.mode)}ing route between these points (the destination cannot "
            f"be reached by {g.mode} from the origin, e.g. it is on an island or a closed area)",
            argument="to",
        )
    return _assemble(timed or g, (origin.lat, origin.lon), (destination.lat, destination.lon), *found.args())


def route_to_node(graph: StreetGraph, origin: SnapPoint, node: int, end: tuple[float, float]) -> StreetRoute | None:
    """Fastest route from a snapped point to a graph node, ending with a straight line to ``end``."""
    found = _search(graph, snap_sources(graph, origin), {node: None})
    return None if found is None else _assemble(graph, (origin.lat, origin.lon), end, *found.args())


def route_from_node(
    graph: StreetGraph, node: int, start: tuple[float, float], destination: SnapPoint
) -> StreetRoute | None:
    """Fastest route from a graph node (reached by a straight line from ``start``) to a snapped point."""
    found = _search(graph, {node: None}, snap_targets(graph, destination))
    return None if found is None else _assemble(graph, start, (destination.lat, destination.lon), *found.args())


def route_between_nodes(
    graph: StreetGraph, a: int, start: tuple[float, float], b: int, end: tuple[float, float]
) -> StreetRoute | None:
    """Fastest route between two graph nodes, drawn from ``start`` to ``end`` (lat, lon)."""
    found = _search(graph, {a: None}, {b: None})
    return None if found is None else _assemble(graph, start, end, *found.args())


def _search(g: StreetGraph, sources: dict[int, Part | None], targets: dict[int, Part | None]) -> Found | None:
    """The least-cost parts (routing costs, :attr:`StreetGraph.edge_cost`) from one of ``sources`` to
    one of ``targets`` (street nodes with the part of an edge travelled to leave or reach them), with
    the turn cost paid on entering each part; None when no path joins them."""
    if g.turns is not None:
        return _turn_search(g, sources, targets)
    q = g.route_query()
    res = q.run_multi(
        [(n, 0 if part is None else partial_cost(g, part)) for n, part in sources.items()],
        [(n, 0 if part is None else partial_cost(g, part)) for n, part in targets.items()],
    )
    dist, node_path, arc_path = res.distance, list(res.node_path), list(res.arc_path)
    del res  # the binding requires the result to be dropped before the query object runs again
    if dist is None:
        return None
    first, last = sources[node_path[0]], targets[node_path[-1]]
    parts = [
        *([first] if first else []),
        *((a, 0.0, 1.0) for a in arc_path),
        *([last] if last else []),
    ]
    return Found(parts, [0] * len(parts))


def _turn_search(g: StreetGraph, sources: dict[int, Part | None], targets: dict[int, Part | None]) -> Found | None:
    """:func:`_search` over the turn-expanded graph: every turn allowed, restricted or costed as compiled.

    A source part (an edge left from a snapped point) starts at that edge's expanded node; a street
    node starts on each edge out of it. A target part (an edge entered up to a snapped point) is
    reached by any turn onto that edge, its cost and the part's time added at the target; a street
    node is reached at the end of any edge into it. Like :func:`_search` it minimises routing
    costs (turn costs plus :attr:`StreetGraph.edge_cost`), which are travel times on a mode without
    penalties.
    """
    t = g.turns
    assert t is not None
    starts: dict[int, tuple[int, Part]] = {}  # expanded node → (initial cost, the part it travels)
    for node, part in sources.items():
        if part is not None:
            starts[part[0]] = (partial_cost(g, part), part)
            continue
        for e in t.edges_out_of(node).tolist():
            full = (e, 0.0, 1.0)
            starts[e] = (partial_cost(g, full), full)
    ends: dict[int, tuple[int, Part | None, int]] = {}  # expanded node → (cost after it, last part, turn ms)
    for node, part in targets.items():
        if part is None:
            for x in t.ending_at(node).tolist():
                ends[x] = (0, None, 0)
            continue
        tail_cost = partial_cost(g, part)
        for arc in t.turns_into(part[0]).tolist():
            x, turn = int(t.arc_from[arc]), int(t.arc_ms[arc])
            if x not in ends or ends[x][0] > turn + tail_cost:
                ends[x] = (turn + tail_cost, part, turn)
    if not starts or not ends:
        return None
    q = g.turn_route_query()
    res = q.run_multi([(x, ms) for x, (ms, _) in starts.items()], [(x, v[0]) for x, v in ends.items()])
    dist, node_path, arc_path = res.distance, list(res.node_path), list(res.arc_path)
    del res  # the binding requires the result to be dropped before the query object runs again
    if dist is None:
        return None
    # One array lookup per path, not one numpy scalar per arc (drive paths run to hundreds of arcs).
    edges: list[int] = t.edge[np.asarray(node_path[1:], dtype=np.int64)].tolist()
    arc_ms: list[int] = t.arc_ms[np.asarray(arc_path, dtype=np.int64)].tolist()
    parts: list[Part] = [starts[node_path[0]][1], *((e, 0.0, 1.0) for e in edges)]
    turns = [0, *arc_ms]
    _, last, turn = ends[node_path[-1]]
    if last is not None:
        parts.append(last)
        turns.append(turn)
    return Found(parts, turns)


def _direct(g: StreetGraph, o: SnapPoint, d: SnapPoint) -> Part | None:
    """The part of one edge between two points on the same segment, if travel allows it."""
    if o.seg != d.seg:
        return None
    fwd, bwd = int(g.seg_fwd[o.seg]), int(g.seg_bwd[o.seg])
    if d.t >= o.t and fwd >= 0:
        return (fwd, o.t, d.t)
    if d.t <= o.t and bwd >= 0:
        return (bwd, 1.0 - o.t, 1.0 - d.t)
    return None


def _assemble(
    g: StreetGraph,
    start: tuple[float, float],
    end_point: tuple[float, float],
    parts: list[Part],
    turn_ms: list[int] | None = None,
) -> StreetRoute:
    """Geometry, elevation, totals and steps of a route from ``start`` to ``end_point`` (lat, lon).

    ``turn_ms`` (aligned with ``parts``) is the turn cost paid on entering each part; it counts in
    the duration of that part (and of its step).

    The numbers come from one compiled pass (:func:`routing.street.trace.trace`), with the same
    floating-point operations in the same order as a per-edge loop (sums left to right), so the
    answer is bit-identical to it (``tests/street/test_assemble.py`` checks this against such a loop).
    """
    # One pass over the parts' flattened numbers (edge ids are exact as doubles, far below 2**53).
    flat = np.fromiter(chain.from_iterable(parts), dtype=np.float64, count=3 * len(parts)).reshape(-1, 3)
    edge, a, b = flat[:, 0].astype(np.int64), flat[:, 1].copy(), flat[:, 2].copy()
    turns = np.zeros(len(parts), dtype=np.int64) if turn_ms is None else np.array(turn_ms, dtype=np.int64)
    street = (
        g.edge_tail,
        g.edge_head,
        g.edge_ms,
        g.edge_dz,
        g.edge_len,
        g.edge_name,
        g.edge_class,
        g.node_lat,
        g.node_lon,
        g.node_elev,
    )
    ends = (start[0], start[1], end_point[0], end_point[1])
    xy, elev, totals, step_name, step_turn, step_delta, step_sums, step_at = trace(
        edge, a, b, turns, ends, street, g.name_keys
    )
    total_ms, distance_m, gain_m, loss_m = totals.tolist()
    return StreetRoute(
        mode=g.mode,
        duration_s=total_ms / 1000.0,
        distance_m=distance_m,
        elevation_gain_m=gain_m,
        elevation_loss_m=loss_m,
        xy=xy,
        elevation_array=elev,
        steps=_steps(g, step_name, step_turn, step_delta, step_sums, step_at),
    )


def _steps(
    g: StreetGraph,
    step_name: NDArray[np.int64],
    step_turn: NDArray[np.int64],
    step_delta: NDArray[np.float64],
    step_sums: NDArray[np.float64],
    step_at: NDArray[np.float64],
) -> list[dict[str, Any]]:
    """The step dicts of a traced route (as :func:`routing.street.steps.build_steps` makes them):
    one per run of one street name, then the arrival."""
    if not len(step_name):
        return []
    names = [g.names[k] if k >= 0 else UNNAMED_LABELS[-1 - k] for k in step_name.tolist()]
    deltas = step_delta.tolist()
    turns = [
        "depart" if kind == DEPART else "continue" if kind == CONTINUE else turn_name(deltas[k])
        for k, kind in enumerate(step_turn.tolist())
    ]
    # rounded whole, as Python's round rounds each number
    at: list[list[float]] = rounded_like_python(step_at, 6).tolist()
    sums: list[list[float]] = rounded_like_python(step_sums, 1).tolist()
    steps: list[dict[str, Any]] = [
        {"name": name, "turn": turn, "distance_m": d, "duration_s": t, "location": where}
        for name, turn, (d, t), where in zip(names, turns, sums, at, strict=False)
    ]
    steps.append({"name": names[-1], "turn": "arrive", "distance_m": 0.0, "duration_s": 0.0, "location": at[-1][:]})
    return steps


def check_distinct(a: tuple[float, float], b: tuple[float, float]) -> None:
    """Raise :class:`SameOriginDestination` when two query points are (nearly) the same."""
    if haversine_m(a[0], a[1], b[0], b[1]) < 1.0:
        raise SameOriginDestination("origin and destination are the same point; move one of them", argument="to")
