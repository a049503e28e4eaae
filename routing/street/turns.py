"""The turn-expanded (edge-based) graph of one mode: its nodes are the street graph's directed edges.

A search over street *nodes* cannot tell a left turn from going straight, nor forbid one turn at a
junction while allowing the others, so driving and cycling are searched over *edges* instead, as
OSRM, GraphHopper and Valhalla do. Expanded node ``x`` stands for "has just travelled edge
``turn_edge[x]``"; an arc ``x → y`` is the turn from one edge onto the next at their shared node and
weighs ``turn_ms`` (the turn's own cost) plus the time of the edge it enters. The first ``E``
expanded nodes are the edges themselves; a restriction through *ways* adds copies of the edges it
runs along (a copy remembers that the route came from the restriction's ``from`` way), the way
OSRM handles them.

OSM restrictions (``type=restriction``, see :func:`routing.street.osm.parse_restriction`) are matched
to edges by their ways and via node (or via ways); one that does not match the graph (a way outside
the extract, or not usable by the mode) is skipped and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from routing.street.osm import Restriction


@dataclass(frozen=True)
class Turns:
    """Every possible turn from one edge onto the next, as parallel arrays (the costs' input)."""

    first: NDArray[np.int32]  # the edge turned from
    second: NDArray[np.int32]  # the edge turned onto
    node: NDArray[np.int32]  # the node they share
    angle: NDArray[np.float64]  # degrees, positive to the right, in (-180, 180]
    junction: NDArray[np.bool_]  # the node is a junction (three or more neighbours)
    u_turn: NDArray[np.bool_]  # the second edge goes back to where the first came from


# The cost (ms) of each turn.
TurnCost = Callable[[Turns], NDArray[np.float64]]


@dataclass
class TurnGraph:
    """Arrays of a turn-expanded graph (see the module docstring)."""

    turn_edge: NDArray[np.int32]  # expanded node → street edge
    turn_from: NDArray[np.int32]  # arc → expanded node it leaves
    turn_to: NDArray[np.int32]  # arc → expanded node it enters
    turn_ms: NDArray[np.int64]  # arc → cost of the turn alone (ms), the entered edge's time excluded
    applied: int  # restrictions matched to the graph
    skipped: int  # restrictions that did not match it


def bearings_deg(
    lat: NDArray[np.float64], lon: NDArray[np.float64], tail: NDArray[np.int32], head: NDArray[np.int32]
) -> NDArray[np.float64]:
    """Initial compass bearing of every edge (0 north, 90 east), on a local flat projection."""
    dy = lat[head] - lat[tail]
    dx = (lon[head] - lon[tail]) * np.cos(np.radians((lat[head] + lat[tail]) / 2.0))
    return np.degrees(np.arctan2(dx, dy)) % 360.0


def junction_degree(tail: NDArray[np.int32], head: NDArray[np.int32], n: int) -> NDArray[np.int64]:
    """Distinct neighbours of every node in the undirected graph (3+ is a junction, 1 a dead end)."""
    pairs = np.unique(np.concatenate([np.stack([tail, head], 1), np.stack([head, tail], 1)]), axis=0)
    return np.bincount(pairs[:, 0], minlength=n)


def build_turn_graph(
    tail: NDArray[np.int32],
    head: NDArray[np.int32],
    edge_way: NDArray[np.int64],
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    node_osm: NDArray[np.int64],
    *,
    restrictions: list[Restriction],
    mode: str,
    turn_cost: TurnCost,
    u_turns_between_junctions: bool,
) -> TurnGraph:
    """Every allowed turn between consecutive edges, with its cost, minus the restricted ones.

    Parameters
    ----------
    tail, head, edge_way
        The street graph's edges and the OSM way id of each.
    lat, lon, node_osm
        Its nodes' coordinates and OSM ids.
    restrictions
        Every restriction of the extract; those that bind ``mode`` are applied.
    turn_cost
        Cost of each turn (see :data:`TurnCost`).
    u_turns_between_junctions
        Whether a U-turn is allowed at a node that is neither a junction nor a dead end (a bend in
        one street): cars may not turn round in the middle of a street, cyclists can.
    """
    n, n_edges = len(lat), len(tail)
    order = np.argsort(tail, kind="stable").astype(np.int32)  # out-edges grouped by tail node
    out_start = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=out_start[1:])
    counts = (out_start[head + 1] - out_start[head]).astype(np.int64)  # edge → turns at its head
    first = np.repeat(np.arange(n_edges, dtype=np.int32), counts)
    offset = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    second = order[np.repeat(out_start[head], counts) + offset]
    node = head[first]
    degree = junction_degree(tail, head, n)
    bearing = bearings_deg(lat, lon, tail, head)
    angle = (bearing[second] - bearing[first] + 540.0) % 360.0 - 180.0
    u_turn = head[second] == tail[first]
    keep = np.ones(len(first), dtype=bool)
    if not u_turns_between_junctions:
        keep &= ~u_turn | (degree[node] != 2)
    turns = Turns(first=first, second=second, node=node, angle=angle, junction=degree[node] >= 3, u_turn=u_turn)
    ms = np.rint(turn_cost(turns)).astype(np.int64)
    arcs = _Arcs(first[keep], second[keep], ms[keep], n_edges)
    applied = skipped = 0
    matcher = _Matcher(tail, head, edge_way, node_osm)
    for r in restrictions:
        if mode not in r.modes:
            continue
        path = matcher.edges(r)
        if path is None:
            skipped += 1
            continue
        applied += 1
        arcs.restrict(path, only=r.only)
    return arcs.graph(applied=applied, skipped=skipped)


class _Matcher:
    """Finds the edges an OSM restriction runs along: from-edge, via edges (if any), to-edge."""

    def __init__(
        self, tail: NDArray[np.int32], head: NDArray[np.int32], edge_way: NDArray[np.int64], node_osm: NDArray[np.int64]
    ) -> None:
        self.by_way: dict[int, list[int]] = {}
        for e, w in enumerate(edge_way.tolist()):
            self.by_way.setdefault(w, []).append(e)
        self.tail, self.head = tail.tolist(), head.tolist()
        self.node_of = {int(o): i for i, o in enumerate(node_osm.tolist())}

    def _into(self, way: int, node: int) -> list[int]:
        return [e for e in self.by_way.get(way, []) if self.head[e] == node]

    def _out_of(self, way: int, node: int) -> list[int]:
        return [e for e in self.by_way.get(way, []) if self.tail[e] == node]

    def edges(self, r: Restriction) -> list[int] | None:
        """The restriction's edge path, or None when it does not match the graph unambiguously."""
        if r.via_node is not None:
            via = self.node_of.get(r.via_node)
            if via is None:
                return None
            into, out = self._into(r.from_way, via), self._out_of(r.to_way, via)
            # A way that passes through the via node (not ending there) has two edges in; the
            # relation is then ambiguous for one direction only if both are usable: skip it.
            return [into[0], out[0]] if len(into) == 1 and len(out) == 1 else None
        # Via ways: walk from the from-way's end through each via way in turn to the to-way.
        candidates = [[e] for e in self.by_way.get(r.from_way, [])]
        for way in (*r.via_ways, r.to_way):
            grown: list[list[int]] = []
            for path in candidates:
                grown += self._follow(path, way, last=way == r.to_way)
            candidates = grown
        return candidates[0] if len(candidates) == 1 else None

    def _follow(self, path: list[int], way: int, *, last: bool) -> list[list[int]]:
        """``path`` extended along ``way`` from the node it ends at (one edge if ``last``, else to the way's end)."""
        node = self.head[path[-1]]
        out: list[list[int]] = []
        for e in self._out_of(way, node):
            ext = [*path, e]
            if not last:
                seen = {node}
                while True:
                    nxt = [f for f in self._out_of(way, self.head[ext[-1]]) if self.head[f] not in seen]
                    seen.add(self.head[ext[-1]])
                    if len(nxt) != 1:
                        break
                    ext.append(nxt[0])
            out.append(ext)
        return out


class _Arcs:
    """The turn arcs while restrictions are applied (a dict per expanded node: few are touched)."""

    def __init__(self, first: NDArray[np.int32], second: NDArray[np.int32], ms: NDArray[np.int64], n: int) -> None:
        self.first, self.second, self.ms = first, second, ms
        self.dropped = np.zeros(len(first), dtype=bool)
        self.start = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(first, minlength=n), out=self.start[1:])  # arcs are grouped by first
        self.n = n
        self.edge_of: list[int] = []  # copy (expanded node ≥ n) → its street edge
        self.extra: list[tuple[int, int, int]] = []  # arcs added for copies: (from, to, ms)
        self.copy_out: dict[int, dict[int, int]] = {}  # copy → {next expanded node: ms}
        self.redirect: dict[tuple[int, int], int] = {}  # (from, street edge) → copy entered instead
        self.copies_of: dict[int, list[int]] = {}  # street edge → its copies

    def edge(self, x: int) -> int:
        return x if x < self.n else self.edge_of[x - self.n]

    def out(self, x: int) -> dict[int, int]:
        """Current arcs out of expanded node ``x``: next expanded node → ms."""
        if x >= self.n:
            return self.copy_out[x]
        a, b = int(self.start[x]), int(self.start[x + 1])
        found = {}
        for i in range(a, b):
            if not self.dropped[i]:
                to = int(self.second[i])
                found[self.redirect.get((x, to), to)] = int(self.ms[i])
        return found

    def _set_out(self, x: int, arcs: dict[int, int]) -> None:
        if x >= self.n:
            self.copy_out[x] = arcs
            return
        a, b = int(self.start[x]), int(self.start[x + 1])
        wanted = {self.edge(y): y for y in arcs}
        for i in range(a, b):
            to = int(self.second[i])
            if to not in wanted:
                self.dropped[i] = True
            elif wanted[to] != to:
                self.redirect[(x, to)] = wanted[to]

    def restrict(self, path: list[int], *, only: bool) -> None:
        """Ban the last turn of ``path`` (``only``: every other turn) after coming along the rest of it.

        It binds every expanded node of the first edge: the edge itself and the copies earlier
        restrictions made of it (a car on a copy is on that edge too).
        """
        for start in [path[0], *self.copies_of.get(path[0], [])]:
            self._restrict_from(start, path, only=only)

    def _restrict_from(self, x: int, path: list[int], *, only: bool) -> None:
        for e in path[1:-1]:  # a via way: enter a copy of e that remembers the route so far
            arcs = self.out(x)
            nxt = next((y for y in arcs if self.edge(y) == e), None)
            if nxt is None:
                return  # the route along the restriction is already impossible
            copy = self.n + len(self.edge_of)
            self.edge_of.append(e)
            self.copies_of.setdefault(e, []).append(copy)
            self.copy_out[copy] = dict(self.out(nxt))
            ms = arcs.pop(nxt)
            arcs[copy] = ms
            self._set_out(x, arcs)
            x = copy
        arcs = self.out(x)
        target = path[-1]
        if only:
            arcs = {y: ms for y, ms in arcs.items() if self.edge(y) == target}
        else:
            arcs = {y: ms for y, ms in arcs.items() if self.edge(y) != target}
        self._set_out(x, arcs)

    def graph(self, *, applied: int, skipped: int) -> TurnGraph:
        keep = ~self.dropped
        first, second, ms = self.first[keep], self.second[keep].copy(), self.ms[keep]
        if self.redirect:
            for i in range(len(first)):
                key = (int(first[i]), int(second[i]))
                if key in self.redirect:
                    second[i] = self.redirect[key]
        extra = [(c, y, ms_) for c, arcs in self.copy_out.items() for y, ms_ in arcs.items()]
        extra.sort()
        return TurnGraph(
            turn_edge=np.concatenate([np.arange(self.n, dtype=np.int32), np.array(self.edge_of, dtype=np.int32)]),
            turn_from=np.concatenate([first, np.array([a for a, _, _ in extra], dtype=np.int32)]).astype(np.int32),
            turn_to=np.concatenate([second, np.array([b for _, b, _ in extra], dtype=np.int32)]).astype(np.int32),
            turn_ms=np.concatenate([ms, np.array([c for _, _, c in extra], dtype=np.int64)]).astype(np.int64),
            applied=applied,
            skipped=skipped,
        )
