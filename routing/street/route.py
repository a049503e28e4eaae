"""Point-to-point shortest travel time on one mode's street graph, with its geometry and steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from routing.errors import NoRoute, OutsideArea, SameOriginDestination
from routing.geo import haversine_m
from routing.street.compile import HIGHWAY_CLASSES
from routing.street.graph import SnapPoint, StreetGraph
from routing.street.steps import Piece, build_steps

MAX_SNAP_M = 500.0
# Prefer the main connected network over a nearer fragment (a parking aisle cut off by one-way
# rules) unless the fragment is much nearer.
MAIN_COMPONENT_SLACK_M = 150.0
_VERB = {"walk": "walk", "bike": "cycle", "drive": "drive"}
Part = tuple[int, float, float]  # (edge, from fraction, to fraction) of a travelled edge


@dataclass
class StreetRoute:
    """The fastest route of one mode between two snapped points."""

    mode: str
    duration_s: float
    distance_m: float
    elevation_gain_m: float
    elevation_loss_m: float
    coords: list[tuple[float, float]]  # (lon, lat)
    elevations: list[float]
    steps: list[dict[str, Any]] = field(default_factory=list)

    def to_leg(self) -> dict[str, Any]:
        """The leg dict of the API (docs/api.md)."""
        return {
            "mode": self.mode,
            "duration_s": round(self.duration_s, 1),
            "distance_m": round(self.distance_m, 1),
            "elevation_gain_m": round(self.elevation_gain_m, 1),
            "elevation_loss_m": round(self.elevation_loss_m, 1),
            "geometry": {
                "type": "LineString",
                "coordinates": [[round(x, 6), round(y, 6)] for x, y in self.coords],
            },
            "elevation": [round(z, 1) for z in self.elevations],
            "steps": self.steps,
        }


def snap(graph: StreetGraph, lat: float, lon: float, *, argument: str, max_m: float = MAX_SNAP_M) -> SnapPoint:
    """Snap a point to the nearest usable street of ``graph``.

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
    candidates = graph.nearest_segments(lat, lon, max_m=max_m)
    if not candidates:
        raise OutsideArea(
            f"{argument} ({lat:.5f}, {lon:.5f}) is more than {max_m:.0f} m from any street usable "
            f"to {_VERB.get(graph.mode, graph.mode)}; pick a point nearer a street",
            argument=argument,
        )
    nearest = candidates[0]
    for c in candidates:
        if graph.node_main[graph.seg_u[c.seg]] and graph.node_main[graph.seg_v[c.seg]]:
            if c.distance_m <= nearest.distance_m + MAIN_COMPONENT_SLACK_M:
                return c
            break
    return nearest


def _sources(g: StreetGraph, p: SnapPoint) -> dict[int, Part | None]:
    """Graph nodes reachable from a snapped point: node → (edge, from fraction, to fraction)."""
    out: dict[int, Part | None] = {}
    fwd, bwd = int(g.seg_fwd[p.seg]), int(g.seg_bwd[p.seg])
    if fwd >= 0:
        out[int(g.seg_v[p.seg])] = (fwd, p.t, 1.0)
    if bwd >= 0:
        out[int(g.seg_u[p.seg])] = (bwd, 1.0 - p.t, 1.0)
    return out


def _targets(g: StreetGraph, p: SnapPoint) -> dict[int, Part | None]:
    """Graph nodes from which a snapped point is reached: node → (edge, from fraction, to fraction)."""
    out: dict[int, Part | None] = {}
    fwd, bwd = int(g.seg_fwd[p.seg]), int(g.seg_bwd[p.seg])
    if fwd >= 0:
        out[int(g.seg_u[p.seg])] = (fwd, 0.0, p.t)
    if bwd >= 0:
        out[int(g.seg_v[p.seg])] = (bwd, 0.0, 1.0 - p.t)
    return out


def _partial_ms(g: StreetGraph, part: Part) -> int:
    edge, a, b = part
    return int(round(int(g.edge_ms[edge]) * (b - a)))


def route(graph: StreetGraph, origin: SnapPoint, destination: SnapPoint) -> StreetRoute:
    """Fastest route from ``origin`` to ``destination`` (both snapped to ``graph``).

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
    direct = _direct(g, origin, destination)
    parts = _search(g, _sources(g, origin), _targets(g, destination))
    if direct is not None and (parts is None or _partial_ms(g, direct) <= sum(_partial_ms(g, p) for p in parts)):
        parts = [direct]
    if parts is None:
        raise NoRoute(
            f"no {_VERB.get(g.mode, g.mode)}ing route between these points (the destination cannot "
            f"be reached by {g.mode} from the origin, e.g. it is on an island or a closed area)",
            argument="to",
        )
    return _assemble(g, (origin.lat, origin.lon), (destination.lat, destination.lon), parts)


def route_to_node(graph: StreetGraph, origin: SnapPoint, node: int, end: tuple[float, float]) -> StreetRoute | None:
    """Fastest route from a snapped point to a graph node, ending with a straight line to ``end``."""
    parts = _search(graph, _sources(graph, origin), {node: None})
    return None if parts is None else _assemble(graph, (origin.lat, origin.lon), end, parts)


def route_from_node(
    graph: StreetGraph, node: int, start: tuple[float, float], destination: SnapPoint
) -> StreetRoute | None:
    """Fastest route from a graph node (reached by a straight line from ``start``) to a snapped point."""
    parts = _search(graph, {node: None}, _targets(graph, destination))
    return None if parts is None else _assemble(graph, start, (destination.lat, destination.lon), parts)


def _search(g: StreetGraph, sources: dict[int, Part | None], targets: dict[int, Part | None]) -> list[Part] | None:
    q = g.query()
    res = q.run_multi(
        [(n, 0 if part is None else _partial_ms(g, part)) for n, part in sources.items()],
        [(n, 0 if part is None else _partial_ms(g, part)) for n, part in targets.items()],
    )
    dist, node_path, arc_path = res.distance, list(res.node_path), list(res.arc_path)
    del res  # the binding requires the result to be dropped before the query object runs again
    if dist is None:
        return None
    first, last = sources[node_path[0]], targets[node_path[-1]]
    return [
        *([first] if first else []),
        *((a, 0.0, 1.0) for a in arc_path),
        *([last] if last else []),
    ]


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


def _name(g: StreetGraph, edge: int) -> str:
    name_id = int(g.edge_name[edge])
    if name_id >= 0:
        return g.names[name_id]
    return f"unnamed {HIGHWAY_CLASSES[int(g.edge_class[edge])]}"


def _assemble(
    g: StreetGraph, start: tuple[float, float], end_point: tuple[float, float], parts: list[Part]
) -> StreetRoute:
    """Geometry, elevation, totals and steps of a route from ``start`` to ``end_point`` (lat, lon)."""
    pieces: list[Piece] = []
    coords: list[tuple[float, float]] = [(start[1], start[0])]
    elevs: list[float] = []
    gain = loss = 0.0
    total_ms = 0.0
    for edge, a, b in parts:
        if b - a <= 0:
            continue
        tail, head = int(g.edge_tail[edge]), int(g.edge_head[edge])
        z0, z1 = float(g.node_elev[tail]), float(g.node_elev[head])
        lat0, lon0 = float(g.node_lat[tail]), float(g.node_lon[tail])
        lat1, lon1 = float(g.node_lat[head]), float(g.node_lon[head])
        start = (lat0 + (lat1 - lat0) * a, lon0 + (lon1 - lon0) * a)
        end = (lat0 + (lat1 - lat0) * b, lon0 + (lon1 - lon0) * b)
        if not elevs:
            elevs.append(z0 + (z1 - z0) * a)
        ms = int(g.edge_ms[edge]) * (b - a)
        total_ms += ms
        dz = float(g.edge_dz[edge]) * (b - a)
        gain += max(dz, 0.0)
        loss += max(-dz, 0.0)
        pieces.append(Piece(edge, _name(g, edge), float(g.edge_len[edge]) * (b - a), ms / 1000.0, start, end))
        coords.append((end[1], end[0]))
        elevs.append(z0 + (z1 - z0) * b)
    if len(coords) > 1 and parts and parts[-1][2] < 1.0:
        coords[-1] = (end_point[1], end_point[0])
    elif coords[-1] != (end_point[1], end_point[0]):
        coords.append((end_point[1], end_point[0]))
    while len(elevs) < len(coords):
        elevs.append(elevs[-1] if elevs else 0.0)
    distance = sum(p.distance_m for p in pieces)
    return StreetRoute(
        mode=g.mode,
        duration_s=total_ms / 1000.0,
        distance_m=distance,
        elevation_gain_m=gain,
        elevation_loss_m=loss,
        coords=coords,
        elevations=elevs,
        steps=build_steps(pieces),
    )


def check_distinct(a: tuple[float, float], b: tuple[float, float]) -> None:
    """Raise :class:`SameOriginDestination` when two query points are (nearly) the same."""
    if haversine_m(a[0], a[1], b[0], b[1]) < 1.0:
        raise SameOriginDestination("origin and destination are the same point; move one of them", argument="to")
