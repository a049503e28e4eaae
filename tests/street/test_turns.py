"""OSM turn restrictions: parsing, tiny inline fixtures the routes obey, and an independent oracle.

The oracle (:func:`_oracle_ms`) is a slow obvious search that knows nothing of the turn-expanded
graph: its state is the street edge a car is on plus the last few edges it came along, and it
checks every restriction (as the OSM node sequence it names) against that history at every turn.
"""

from __future__ import annotations

import heapq
import random
from pathlib import Path

import numpy as np
import pytest

from routing.core.errors import NoRoute
from routing.street import speeds
from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import parse_restriction, read_streets
from routing.street.route import partial_ms, route, snap, snap_sources, snap_targets
from routing.street.turns import bearings_deg, junction_degree
from tests.street.osm_writer import Member, write_osm_xml

LAT0, LON0 = -30.0, -51.2
DLAT, DLON = 0.0009, 0.00104  # about 100 m each way at this latitude
RES = {"highway": "residential"}


def _grid(rows: int, cols: int) -> dict[int, tuple[float, float]]:
    """Node ``10 r + c + 1`` at row ``r`` (southwards) and column ``c`` (eastwards)."""
    return {10 * r + c + 1: (LAT0 - r * DLAT, LON0 + c * DLON) for r in range(rows) for c in range(cols)}


def _mid(nodes: dict[int, tuple[float, float]], a: int, b: int, t: float = 0.5) -> tuple[float, float]:
    (la, lo), (lb, lob) = nodes[a], nodes[b]
    return la + (lb - la) * t, lo + (lob - lo) * t


def _compile(
    tmp: Path,
    nodes: dict[int, tuple[float, float]],
    ways: dict[int, tuple[list[int], dict[str, str]]],
    relations: dict[int, tuple[list[Member], dict[str, str]]] | None,
) -> dict[str, StreetGraph]:
    tmp.mkdir(parents=True, exist_ok=True)
    streets = read_streets(write_osm_xml(tmp / "f.osm", nodes, ways, relations))
    compile_streets(streets, tmp, elevation=None)
    return {m: StreetGraph.load(tmp / "street", m) for m in ("walk", "bike", "drive")}


# ---- parsing -----------------------------------------------------------------------------------

VIA_NODE: list[tuple[str, int, str]] = [("w", 1, "from"), ("n", 5, "via"), ("w", 2, "to")]


@pytest.mark.parametrize(
    ("tags", "modes", "only"),
    [
        ({"restriction": "no_left_turn"}, {"drive", "bike"}, False),
        ({"restriction": "only_straight_on"}, {"drive", "bike"}, True),
        ({"restriction:motorcar": "no_right_turn"}, {"drive"}, False),
        ({"restriction:bicycle": "no_left_turn"}, {"bike"}, False),
        ({"restriction": "no_u_turn", "except": "bicycle"}, {"drive"}, False),
        ({"restriction": "no_u_turn", "except": "psv;bicycle"}, {"drive"}, False),
        ({"restriction": "no_left_turn", "except": "motorcar"}, {"bike"}, False),
    ],
)
def test_restriction_tags_bind_the_modes_the_osm_wiki_says(tags: dict[str, str], modes: set[str], only: bool) -> None:
    r = parse_restriction(9, {"type": "restriction", **tags}, VIA_NODE)
    assert r is not None and set(r.modes) == modes and r.only is only
    assert (r.from_way, r.via_node, r.via_ways, r.to_way) == (1, 5, (), 2)


@pytest.mark.parametrize(
    ("tags", "members"),
    [
        ({"type": "multipolygon", "restriction": "no_left_turn"}, VIA_NODE),
        ({"type": "restriction", "restriction": "no_left_turn", "except": "motorcar;bicycle"}, VIA_NODE),
        ({"type": "restriction", "restriction:conditional": "no_left_turn @ (Mo-Fr 07:00-09:00)"}, VIA_NODE),
        ({"type": "restriction", "restriction:hgv": "no_left_turn"}, VIA_NODE),  # lorries only
        ({"type": "restriction", "restriction": "give_way"}, VIA_NODE),  # not a turn restriction
        ({"type": "restriction", "restriction": "no_left_turn"}, [("w", 1, "from"), ("w", 2, "to")]),  # no via
        ({"type": "restriction", "restriction": "no_entry"}, [*VIA_NODE, ("w", 3, "from")]),  # two from
        ({"type": "restriction", "restriction": "no_left_turn"}, [*VIA_NODE, ("w", 4, "via")]),  # both vias
    ],
)
def test_relations_greenroute_cannot_apply_are_skipped(tags: dict[str, str], members: list[Member]) -> None:
    assert parse_restriction(9, tags, members) is None


# ---- a no-left-turn, an only-straight-on, a via-way no-U-turn -------------------------------------

# A 3 × 3 grid of two-way residential streets, split at the centre node 12 (as mappers split ways
# at a restricted junction). North is row 0; node 12 is the centre, 22 south of it, 11 west of it.
PLUS_WAYS: dict[int, tuple[list[int], dict[str, str]]] = {
    101: ([1, 2, 3], {**RES, "name": "Rua Norte"}),
    102: ([21, 22, 23], {**RES, "name": "Rua Sul"}),
    103: ([1, 11, 21], {**RES, "name": "Rua Oeste"}),
    104: ([3, 13, 23], {**RES, "name": "Rua Leste"}),
    105: ([22, 12], {**RES, "name": "Rua Meio Sul"}),
    106: ([12, 2], {**RES, "name": "Rua Meio Norte"}),
    107: ([11, 12], {**RES, "name": "Rua Centro Oeste"}),
    108: ([12, 13], {**RES, "name": "Rua Centro Leste"}),
}


def _plus(tmp: Path, tags: dict[str, str], to_way: int) -> dict[str, StreetGraph]:
    nodes = _grid(3, 3)
    rel: dict[int, tuple[list[Member], dict[str, str]]] = {
        900: ([("way", 105, "from"), ("node", 12, "via"), ("way", to_way, "to")], {"type": "restriction", **tags})
    }
    return _compile(tmp, nodes, PLUS_WAYS, rel)


def test_the_drive_route_obeys_a_no_left_turn_and_starts_and_ends_mid_edge(tmp_path: Path) -> None:
    g = _plus(tmp_path, {"restriction": "no_left_turn", "except": "bicycle"}, 107)
    nodes = _grid(3, 3)
    o, d = _mid(nodes, 22, 12), _mid(nodes, 11, 12)  # north up Rua Meio, then west: a left turn
    drive = route(g["drive"], snap(g["drive"], *o, argument="from"), snap(g["drive"], *d, argument="to"))
    # Not the 100 m left turn: the car goes round (or turns right and back), at least 300 m.
    assert drive.distance_m > 290.0
    assert [s["name"] for s in drive.steps][:2] != ["Rua Meio Sul", "Rua Centro Oeste"]
    assert drive.duration_s * 1000 == pytest.approx(_oracle_ms(tmp_path, g["drive"], o, d), abs=5)
    # except=bicycle: the cyclist turns left, 50 m up and 50 m along.
    bike = route(g["bike"], snap(g["bike"], *o, argument="from"), snap(g["bike"], *d, argument="to"))
    assert bike.distance_m == pytest.approx(100.0, rel=0.01)
    assert [s["name"] for s in bike.steps][:2] == ["Rua Meio Sul", "Rua Centro Oeste"]
    assert [s["turn"] for s in bike.steps][1] == "left"


def test_without_the_relation_the_car_turns_left(tmp_path: Path) -> None:
    g = _plus(tmp_path, {"restriction:bicycle": "no_left_turn"}, 107)  # binds bicycles only
    nodes = _grid(3, 3)
    o, d = _mid(nodes, 22, 12), _mid(nodes, 11, 12)
    drive = route(g["drive"], snap(g["drive"], *o, argument="from"), snap(g["drive"], *d, argument="to"))
    assert drive.distance_m == pytest.approx(100.0, rel=0.01)
    assert g["drive"].turns is not None
    bike = route(g["bike"], snap(g["bike"], *o, argument="from"), snap(g["bike"], *d, argument="to"))
    assert bike.distance_m > 190.0  # the cyclist, bound by it, goes another way (or turns round)


def test_only_straight_on_forbids_the_right_turn(tmp_path: Path) -> None:
    g = _plus(tmp_path, {"restriction": "only_straight_on"}, 106)["drive"]
    nodes = _grid(3, 3)
    o, d = _mid(nodes, 22, 12), _mid(nodes, 12, 13)  # a right turn at 12, 100 m
    r = route(g, snap(g, *o, argument="from"), snap(g, *d, argument="to"))
    assert r.distance_m > 290.0
    # Never the right turn at 12 (a car leaving southwards and round the block may be faster than
    # going straight on: a point on a two-way street can be left either way).
    assert [s["name"] for s in r.steps][:2] != ["Rua Meio Sul", "Rua Centro Leste"]
    assert r.duration_s * 1000 == pytest.approx(_oracle_ms(tmp_path, g, o, d), abs=5)


def _dual_carriageway(tmp: Path, *, restricted: bool) -> tuple[dict[str, StreetGraph], dict[int, tuple[float, float]]]:
    """A north-bound (column 0) and a south-bound (column 1, 20 m east) carriageway joined by four
    crossovers (two at the ends); a side street leaves the south-bound one at the second."""
    dx = DLON * 0.2
    nodes = {
        1: (LAT0, LON0),
        2: (LAT0 + DLAT, LON0),
        3: (LAT0 + 2 * DLAT, LON0),
        4: (LAT0 + 3 * DLAT, LON0),
        11: (LAT0, LON0 + dx),
        12: (LAT0 + DLAT, LON0 + dx),
        13: (LAT0 + 2 * DLAT, LON0 + dx),
        14: (LAT0 + 3 * DLAT, LON0 + dx),
        20: (LAT0 + DLAT, LON0 + dx + DLON),
    }
    north = {"highway": "secondary", "oneway": "yes", "name": "Avenida Norte"}
    south = {"highway": "secondary", "oneway": "yes", "name": "Avenida Sul"}
    ways = {
        201: ([1, 2], north),
        202: ([2, 3, 4], north),
        211: ([14, 13, 12], south),
        212: ([12, 11], south),
        221: ([2, 12], {"highway": "secondary_link", "oneway": "yes", "name": "Retorno 1"}),
        222: ([3, 13], {"highway": "secondary_link", "oneway": "yes", "name": "Retorno 2"}),
        223: ([4, 14], {"highway": "secondary_link", "oneway": "yes", "name": "Retorno 3"}),
        224: ([11, 1], {"highway": "secondary_link", "oneway": "yes", "name": "Retorno 0"}),
        230: ([12, 20], {**RES, "name": "Rua Lateral"}),
    }
    rel: dict[int, tuple[list[Member], dict[str, str]]] = {}
    if restricted:
        members: list[Member] = [("way", 201, "from"), ("way", 221, "via"), ("way", 212, "to")]
        rel[901] = (members, {"type": "restriction", "restriction": "no_u_turn"})
    return _compile(tmp, nodes, ways, rel), nodes


def test_a_no_u_turn_through_a_via_way_sends_the_car_to_the_next_crossover(tmp_path: Path) -> None:
    free, nodes = _dual_carriageway(tmp_path / "free", restricted=False)
    o, d = _mid(nodes, 1, 2), _mid(nodes, 12, 11)
    g = free["drive"]
    short = route(g, snap(g, *o, argument="from"), snap(g, *d, argument="to"))
    assert [s["name"] for s in short.steps[:3]] == ["Avenida Norte", "Retorno 1", "Avenida Sul"]
    banned, _ = _dual_carriageway(tmp_path / "banned", restricted=True)
    g = banned["drive"]
    assert g.turns is not None and len(g.turns.edge) > g.edge_count  # the via way's edge was copied
    r = route(g, snap(g, *o, argument="from"), snap(g, *d, argument="to"))
    assert "Retorno 1" not in [s["name"] for s in r.steps[:2]] or "Rua Lateral" in {s["name"] for s in r.steps}
    assert r.distance_m > short.distance_m + 100.0
    assert r.duration_s * 1000 == pytest.approx(_oracle_ms(tmp_path / "banned", g, o, d), abs=5)
    # The crossover itself stays usable to go on into the side street.
    lateral = _mid(nodes, 12, 20)
    side = route(g, snap(g, *o, argument="from"), snap(g, *lateral, argument="to"))
    assert [s["name"] for s in side.steps[:3]] == ["Avenida Norte", "Retorno 1", "Rua Lateral"]


def test_a_restriction_the_graph_does_not_hold_is_skipped_and_counted(tmp_path: Path) -> None:
    nodes = _grid(3, 3)
    rel: dict[int, tuple[list[Member], dict[str, str]]] = {
        900: (
            [("way", 105, "from"), ("node", 12, "via"), ("way", 999, "to")],
            {"type": "restriction", "restriction": "no_left_turn"},
        ),
    }
    g = _compile(tmp_path, nodes, PLUS_WAYS, rel)["drive"]
    assert np.load(tmp_path / "street" / "drive" / "turn_restrictions.npy").tolist() == [0, 1]
    assert g.turns is not None


# ---- random restrictions on a random grid, against the oracle -----------------------------------


def _random_city(tmp: Path, seed: int) -> tuple[dict[int, tuple[float, float]], list[list[int]]]:
    """A 5 × 5 grid, one way per segment (some one-way), with random via-node and via-way restrictions.

    Returns the nodes and each restriction's OSM node sequence with its kind first (0 no, 1 only).
    """
    rng = random.Random(seed)
    nodes = _grid(5, 5)
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    for r in range(5):
        for c in range(5):
            a = 10 * r + c + 1
            for b in (a + 1 if c < 4 else None, a + 10 if r < 4 else None):
                if b is None or rng.random() < 0.1:
                    continue
                tags = dict(RES)
                if rng.random() < 0.2:
                    tags["oneway"] = "yes"
                    if rng.random() < 0.5:
                        a, b = b, a
                ways[1000 * a + b] = ([a, b], tags)
                a = 10 * r + c + 1
    seg = {(refs[0], refs[1]): w for w, (refs, tags) in ways.items()}
    seg.update({(b, a): w for (a, b), w in list(seg.items()) if "oneway" not in ways[w][1]})
    out_of: dict[int, list[int]] = {}
    for a, b in seg:
        out_of.setdefault(a, []).append(b)
    relations: dict[int, tuple[list[Member], dict[str, str]]] = {}
    sequences: list[list[int]] = []
    for i in range(14):
        a = rng.choice(list(out_of))
        path = [a]
        for _ in range(3 if i % 3 == 0 else 2):  # every third one runs through a via way
            nxt = [n for n in out_of.get(path[-1], []) if n not in path]
            if not nxt:
                break
            path.append(rng.choice(nxt))
        if len(path) < 3:
            continue
        only = rng.random() < 0.3
        kind = "only_straight_on" if only else "no_left_turn"
        members: list[Member] = [("way", seg[(path[0], path[1])], "from")]
        if len(path) == 3:
            members.append(("node", path[1], "via"))
        else:
            members.append(("way", seg[(path[1], path[2])], "via"))
        members.append(("way", seg[(path[-2], path[-1])], "to"))
        relations[5000 + i] = (members, {"type": "restriction", "restriction": kind})
        sequences.append([int(only), *path])
    write_osm_xml(tmp / "f.osm", nodes, ways, relations)
    (tmp / "sequences.txt").write_text("\n".join(" ".join(map(str, s)) for s in sequences), encoding="utf-8")
    return nodes, sequences


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_restrictions_match_the_history_oracle(tmp_path: Path, seed: int) -> None:
    nodes, _ = _random_city(tmp_path, seed)
    compile_streets(read_streets(tmp_path / "f.osm"), tmp_path, elevation=None)
    rng = random.Random(seed)
    for mode in ("drive", "bike"):
        g = StreetGraph.load(tmp_path / "street", mode)
        compared = unreachable = 0
        for _ in range(60):
            o = (LAT0 - rng.uniform(0, 4) * DLAT, LON0 + rng.uniform(0, 4) * DLON)
            d = (LAT0 - rng.uniform(0, 4) * DLAT, LON0 + rng.uniform(0, 4) * DLON)
            try:
                po, pd = snap(g, *o, argument="from"), snap(g, *d, argument="to")
            except Exception:
                continue
            if po.seg == pd.seg:
                continue  # the same-segment shortcut is route()'s, not the search's
            want = _oracle_ms(tmp_path, g, o, d)
            try:
                got: float | None = route(g, po, pd).duration_s * 1000
            except NoRoute:
                got = None
            if want is None:
                assert got is None
                unreachable += 1
                continue
            assert got is not None and got == pytest.approx(want, abs=5), (mode, o, d)
            compared += 1
        assert compared >= 30, (mode, compared, unreachable)


def _oracle_ms(folder: Path, g: StreetGraph, o: tuple[float, float], d: tuple[float, float]) -> float | None:
    """Fastest time (ms) from ``o`` to ``d`` by Dijkstra over (edge, recent edges) states.

    Restrictions are read back from the fixture's OSM file and checked as node sequences against
    the route's history: ``no_*`` forbids entering the last edge right after the rest, ``only_*``
    forbids entering any other edge. Turn costs come from :func:`speeds.drive_turn_ms` on the turn's
    angle (the compiled graph's inputs, all roads of one rank in these fixtures).
    """
    streets = read_streets(folder / "f.osm")
    osm = np.asarray(g.node_osm)
    tail, head = np.asarray(g.edge_tail), np.asarray(g.edge_head)
    lat, lon = np.asarray(g.node_lat), np.asarray(g.node_lon)
    ways = dict(zip(streets.way_ids, streets.way_nodes, strict=True))
    rules: list[tuple[bool, list[int]]] = []
    for r in streets.restrictions:
        if g.mode not in r.modes:
            continue
        seq = _sequence(ways, r.from_way, r.via_node, r.via_ways, r.to_way)
        if seq is not None:
            rules.append((r.only, seq))
    degree = junction_degree(tail, head, g.node_count)
    bearing = bearings_deg(lat, lon, tail, head)
    out: dict[int, list[int]] = {}
    for e, t in enumerate(tail.tolist()):
        out.setdefault(t, []).append(e)

    def turn_ms(e: int, f: int) -> float | None:
        node = int(head[e])
        u = bool(head[f] == tail[e])
        if g.mode == "drive" and u and degree[node] == 2:
            return None
        if g.mode != "drive":
            return 0.0
        angle = (bearing[f] - bearing[e] + 540.0) % 360.0 - 180.0
        one = speeds.drive_turn_ms(
            np.array([angle]), np.array([degree[node] >= 3]), np.array([u]), np.array([False]), driving_side="right"
        )
        return float(np.rint(one[0]))

    def allowed(history: tuple[int, ...], f: int) -> bool:
        seq = [int(osm[tail[history[0]]]), *(int(osm[head[e]]) for e in history), int(osm[head[f]])]
        for only, rule in rules:
            k = len(rule)
            if only:
                if seq[-k:-1] == rule[:-1] and len(seq) >= k and seq[-1] != rule[-1]:
                    return False
            elif len(seq) >= k and seq[-k:] == rule:
                return False
        return True

    po, pd = snap(g, *o, argument="from"), snap(g, *d, argument="to")
    targets = {e: part for e, part in ((p[0], p) for p in _parts(snap_targets(g, pd)))}
    best: float | None = None
    heap: list[tuple[float, int, tuple[int, ...]]] = []
    for part in _parts(snap_sources(g, po)):
        heapq.heappush(heap, (float(partial_ms(g, part)), part[0], (part[0],)))
    seen: set[tuple[int, ...]] = set()
    while heap:
        cost, e, history = heapq.heappop(heap)
        if best is not None and cost >= best:
            break
        if history in seen:
            continue
        seen.add(history)
        for f in out.get(int(head[e]), []):
            t = turn_ms(e, f)
            if t is None or not allowed(history, f):
                continue
            if f in targets:
                total = cost + t + partial_ms(g, targets[f])
                best = total if best is None else min(best, total)
            nxt = (*history, f)[-3:]
            heapq.heappush(heap, (cost + t + int(g.edge_ms[f]), f, nxt))
    return best


def _parts(found: dict[int, tuple[int, float, float] | None]) -> list[tuple[int, float, float]]:
    return [p for p in found.values() if p is not None]


def _sequence(
    ways: dict[int, list[int]], from_way: int, via_node: int | None, via_ways: tuple[int, ...], to_way: int
) -> list[int] | None:
    """The OSM node sequence a restriction names: the from way's node before the via, the via
    node(s), the to way's node after it (ways of the fixtures end at the via, as the wiki asks)."""
    chain = [ways.get(from_way), *(ways.get(v) for v in via_ways), ways.get(to_way)]
    if any(c is None for c in chain):
        return None
    f, *vias, t = (list(c) for c in chain if c is not None)
    end = via_node if via_node is not None else (set(f[:: len(f) - 1]) & set(vias[0][:: len(vias[0]) - 1])).pop()
    if f[0] == end:
        f.reverse()
    seq = [f[-2], end]
    for v in vias:
        if v[0] != seq[-1]:
            v.reverse()
        seq += v[1:]
    if t[0] != seq[-1]:
        t.reverse()
    return [*seq, t[1]]


def test_the_oracle_can_fail(tmp_path: Path) -> None:
    """The oracle sees the restriction: it disagrees with a search that ignores it."""
    nodes = _grid(3, 3)
    g = _plus(tmp_path, {"restriction": "no_left_turn"}, 107)["drive"]
    o, d = _mid(nodes, 22, 12), _mid(nodes, 11, 12)
    free = _compile(tmp_path / "free", nodes, PLUS_WAYS, None)["drive"]
    ignoring = route(free, snap(free, *o, argument="from"), snap(free, *d, argument="to")).duration_s * 1000
    want = _oracle_ms(tmp_path, g, o, d)
    assert want is not None and want > ignoring + 10_000
