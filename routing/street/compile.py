"""Compile the OSM street network into one directed graph per mode, as flat arrays.

The arrays of one mode are written to ``<out>/street/<mode>/*.npy`` and the street names shared by
all modes to ``<out>/street/names.json``; :mod:`routing.street.graph` loads them.
"""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import routingkit_cch
from numpy.typing import NDArray

from routing.core.city import MIN_NETWORK_NODES
from routing.core.geo import haversine_m_arr
from routing.core.walking import KMH_PER_MPS
from routing.street import speeds
from routing.street.access import ACCESS, MODES, PENALTY, PUSH_ACCESS
from routing.street.components import component_report, strong_components
from routing.street.graph import StreetGraph
from routing.street.osm import OsmStreets
from routing.street.schema import HIGHWAY_CLASSES, PUSH_ARRAY, STREET_ARRAYS, TURN_ARRAYS, WALK_ARRAYS
from routing.street.split import split_at_stops
from routing.street.stepfree import edge_stepfree, way_stepfree
from routing.street.turns import Turns, build_turn_graph

# Modes searched over the turn-expanded graph (turn restrictions and turn costs apply to vehicles).
TURN_MODES = ("drive", "bike")

_CLASS_CODE = {name: i for i, name in enumerate(HIGHWAY_CLASSES)}


def _class_code(highway: str) -> int:
    return _CLASS_CODE.get(highway.removesuffix("_link"), 0)


def compile_streets(
    streets: OsmStreets,
    out: Path,
    *,
    elevation: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]] | None,
    modes: tuple[str, ...] = MODES,
    min_network_nodes: int = MIN_NETWORK_NODES,
    driving_side: str = "right",
    stops: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    stop_snap_m: float = 0.0,
) -> dict[str, dict[str, Any]]:
    """Write every mode's graph under ``out/street``; return per mode its node and edge counts, the
    components kept and dropped (:func:`routing.street.components.component_report`) and, for the
    modes searched with turns, the turn and restriction counts.

    ``driving_side`` (``"right"`` or ``"left"``) tells which turns cross oncoming traffic.
    ``stops`` (latitudes, longitudes of transit stops): the walk graph gets a node where each joins
    its street within ``stop_snap_m`` (:mod:`routing.street.split`).
    """
    root = out / "street"
    root.mkdir(parents=True, exist_ok=True)
    names = sorted({t.get("name") or t.get("ref") or "" for t in streets.way_tags} - {""})
    name_id = {n: i for i, n in enumerate(names)}
    (root / "names.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    counts = {}
    for mode in modes:
        compile_mode = functools.partial(
            _compile_mode,
            mode=mode,
            name_id=name_id,
            elevation=elevation,
            min_network_nodes=min_network_nodes,
            driving_side=driving_side,
        )
        if mode == "walk" and stops is not None and len(stops[0]):
            # Compiled once to find where the stops join it, then again with nodes there.
            unsplit = root / ".walk-unsplit"
            compile_mode(streets, folder=unsplit)
            split, added = split_at_stops(
                streets, StreetGraph(unsplit, mode=mode, names=names), *stops, max_m=stop_snap_m
            )
            shutil.rmtree(unsplit)
            counts[mode] = compile_mode(split, folder=root / mode) | {"stop_nodes": added}
        else:
            counts[mode] = compile_mode(streets, folder=root / mode)
    return counts


def _compile_mode(
    streets: OsmStreets,
    *,
    mode: str,
    folder: Path,
    name_id: dict[str, int],
    elevation: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]] | None,
    min_network_nodes: int,
    driving_side: str,
) -> dict[str, Any]:
    access = ACCESS[mode]
    push_access = PUSH_ACCESS.get(mode)
    tails: list[int] = []  # edge → OSM id of its tail node
    heads: list[int] = []  # edge → OSM id of its head node
    edge_way: list[int] = []  # edge → index of its way in ``streets``
    pushed: list[bool] = []  # edge → travelled on foot (a bicycle pushed), not ridden
    for w, (tags, refs) in enumerate(zip(streets.way_tags, streets.way_nodes, strict=True)):
        fwd, bwd = access(tags)
        push_fwd, push_bwd = push_access(tags) if push_access is not None else (False, False)
        if not (fwd or bwd or push_fwd or push_bwd):
            continue
        for a, b in zip(refs, refs[1:], strict=False):
            if a == b:
                continue
            if fwd or push_fwd:
                tails.append(a)
                heads.append(b)
                edge_way.append(w)
                pushed.append(not fwd)
            if bwd or push_bwd:
                tails.append(b)
                heads.append(a)
                edge_way.append(w)
                pushed.append(not bwd)
    push = np.array(pushed, dtype=bool)
    osm_ids = np.unique(np.array(tails + heads, dtype=np.int64))  # node → its OSM id (sorted)
    tail = np.searchsorted(osm_ids, np.array(tails, dtype=np.int64)).astype(np.int32)
    head = np.searchsorted(osm_ids, np.array(heads, dtype=np.int64)).astype(np.int32)
    way = np.array(edge_way, dtype=np.int32)
    coords = np.array([streets.node_coords[int(i)] for i in osm_ids], dtype=np.float64).reshape(-1, 2)
    lat, lon = coords[:, 0].copy(), coords[:, 1].copy()
    elev = elevation(lat, lon) if elevation is not None else np.zeros_like(lat)
    elev = np.round(elev, 2)

    length = haversine_m_arr(lat[tail], lon[tail], lat[head], lon[head])
    dz = elev[head] - elev[tail]
    # Elevation noise on very short segments would give absurd slopes; DEM cells are ~30 m.
    slope = np.where(length > 1.0, dz / np.maximum(length, 1.0), 0.0).clip(-0.5, 0.5)
    highway = [streets.way_tags[w].get("highway", "") for w in edge_way]
    seconds = _edge_seconds(mode, streets, way, highway, length, slope, tail, head, osm_ids, push)
    weight_ms = np.maximum(1, np.rint(seconds * 1000.0)).astype(np.int64)  # integer ms: exact sums
    cost_ms = _edge_cost_ms(mode, streets, way, weight_ms, length)

    wname = np.array([name_id.get(t.get("name") or t.get("ref") or "", -1) for t in streets.way_tags], dtype=np.int32)
    n = len(osm_ids)
    components = strong_components(tail, head, n, min_network_nodes=min_network_nodes)

    order = np.array(
        routingkit_cch.compute_order_inertial(n, tail.tolist(), head.tolist(), lat.tolist(), lon.tolist()),
        dtype=np.int32,
    )
    seg_u, seg_v, seg_fwd, seg_bwd = _segments(tail, head)
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, NDArray[np.generic]] = {
        "node_osm": osm_ids,  # node → OSM node id
        "node_lat": lat,  # node → latitude
        "node_lon": lon,  # node → longitude
        "node_elev": elev.astype(np.float32),  # node → elevation (m)
        "node_main": components.kept,  # node → in a kept (large enough) strongly connected component
        "node_comp": components.comp,  # node → strongly connected component id
        "cch_order": order,  # CCH contraction order (rank → node)
        "edge_tail": tail,  # edge → tail node
        "edge_head": head,  # edge → head node
        "edge_ms": weight_ms,  # edge → travel time (integer milliseconds)
        "edge_cost": cost_ms,  # edge → routing cost (ms: travel time with access penalties or distance)
        "edge_len": length.astype(np.float32),  # edge → length (m)
        "edge_dz": dz.astype(np.float32),  # edge → elevation change (m)
        "edge_name": wname[way] if len(way) else np.zeros(0, np.int32),  # edge → street name id (-1 none)
        "edge_class": np.array([_class_code(h) for h in highway], dtype=np.int8),  # edge → highway class
        "edge_way": streets_way_ids(streets)[way] if len(way) else np.zeros(0, np.int64),  # edge → OSM way id
        "seg_u": seg_u,  # segment → one end node (segments are undirected node pairs)
        "seg_v": seg_v,  # segment → other end node
        "seg_fwd": seg_fwd,  # segment → edge u→v, or -1
        "seg_bwd": seg_bwd,  # segment → edge v→u, or -1
    }
    counts: dict[str, Any] = {
        "nodes": n,
        "edges": int(len(tail)),
        "kept_nodes": int(components.kept.sum()),
        "components": component_report(components, lat, lon),
    }
    if push_access is not None:
        arrays[PUSH_ARRAY] = push  # edge → the bicycle is pushed (walked) there, not ridden
        counts["pushed_edges"] = int(push.sum())
    if mode == "walk":
        arrays["edge_stepfree"] = _stepfree(streets, way, tail, head, osm_ids, slope, length)
        counts["stepfree_edges"] = int(arrays["edge_stepfree"].sum())
    if mode in TURN_MODES:
        way_ids = arrays["edge_way"].astype(np.int64)
        turns = _turn_graph(
            streets, mode, tail, head, way, way_ids, lat, lon, osm_ids, order, driving_side=driving_side
        )
        arrays.update(turns)
        counts["turns"] = int(len(turns["turn_from"]))
        counts["restrictions_applied"] = int(turns["turn_restrictions"][0])
        counts["restrictions_skipped"] = int(turns["turn_restrictions"][1])
    expected = set(STREET_ARRAYS) | (set(TURN_ARRAYS) if mode in TURN_MODES else set())
    expected |= set(WALK_ARRAYS) if mode == "walk" else set()
    assert expected <= set(arrays), f"compile_streets did not make {sorted(expected - set(arrays))}"
    for key, arr in arrays.items():
        np.save(folder / f"{key}.npy", arr, allow_pickle=False)
    return counts


def _stepfree(
    streets: OsmStreets,
    way: NDArray[np.int32],
    tail: NDArray[np.int32],
    head: NDArray[np.int32],
    osm_ids: NDArray[np.int64],
    slope: NDArray[np.float64],
    length: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Walk edge → usable by a wheelchair (:mod:`routing.street.stepfree`)."""
    barriers = np.fromiter(streets.wheelchair_barriers, dtype=np.int64, count=len(streets.wheelchair_barriers))
    return edge_stepfree(
        way_ok=np.array([way_stepfree(t) for t in streets.way_tags], dtype=np.bool_),
        edge_way=way,
        tail=tail,
        head=head,
        node_blocked=np.isin(osm_ids, barriers),
        slope=slope,
        length=length,
    )


def _edge_cost_ms(
    mode: str,
    streets: OsmStreets,
    way: NDArray[np.int32],
    weight_ms: NDArray[np.int64],
    length: NDArray[np.float64],
) -> NDArray[np.int64]:
    """Travel times raised by the mode's penalty factor of each edge's way (equal when none);
    driving adds its cost of distance (:func:`speeds.drive_cost_ms`)."""
    if mode == "drive":
        return speeds.drive_cost_ms(weight_ms, length)
    penalty = PENALTY.get(mode)
    if penalty is None or len(way) == 0:
        return weight_ms.copy()
    factor_of_way = np.array([penalty(t) for t in streets.way_tags], dtype=np.float64)
    return np.rint(weight_ms * factor_of_way[way]).astype(np.int64)


def _turn_graph(
    streets: OsmStreets,
    mode: str,
    tail: NDArray[np.int32],
    head: NDArray[np.int32],
    way: NDArray[np.int32],
    way_ids: NDArray[np.int64],
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    osm_ids: NDArray[np.int64],
    street_order: NDArray[np.int32],
    *,
    driving_side: str,
) -> dict[str, NDArray[np.generic]]:
    """The arrays of a mode's turn-expanded graph (:mod:`routing.street.turns`) with its CCH order."""

    rank, top = road_ranks(streets, way, tail, head, len(lat))  # a car arriving on a lower one gives way
    signal = np.isin(osm_ids, np.fromiter(streets.signals, dtype=np.int64, count=len(streets.signals)))

    def cost(t: Turns) -> NDArray[np.float64]:
        if mode != "drive":
            return np.zeros(len(t.angle))  # cyclists: turns are part of the riding speed
        minor = t.junction & ~signal[t.node] & (rank[t.first] < top[t.node])
        return speeds.drive_turn_ms(t.angle, t.junction, t.u_turn, minor, driving_side=driving_side)

    # Via-node restrictions first: copies made for via-way ones then inherit them.
    restrictions = sorted(streets.restrictions, key=lambda r: (r.via_node is None, r.relation))
    tg = build_turn_graph(
        tail,
        head,
        way_ids,
        lat,
        lon,
        osm_ids,
        restrictions=restrictions,
        mode=mode,
        turn_cost=cost,
        u_turns_between_junctions=mode != "drive",
    )
    order = expanded_order(street_order, tail, head, tg.turn_edge)
    return {
        "turn_edge": tg.turn_edge,  # expanded node → street edge
        "turn_from": tg.turn_from,  # turn → expanded node it leaves
        "turn_to": tg.turn_to,  # turn → expanded node it enters
        "turn_ms": tg.turn_ms,  # turn → its own cost (ms), the entered edge excluded
        "turn_order": order,  # CCH order of the expanded graph
        "turn_restrictions": np.array([tg.applied, tg.skipped], dtype=np.int64),  # matched, skipped
    }


def expanded_order(
    street_order: NDArray[np.int32], tail: NDArray[np.int32], head: NDArray[np.int32], turn_edge: NDArray[np.int32]
) -> NDArray[np.int32]:
    """A CCH order of the turn-expanded graph from the street graph's: each expanded node (a street
    edge) ranks with its edge's tail node, ties by its head.

    Inertial flow on the expanded graph itself took 2.8 s per mode on Porto Alegre (a third of the
    street build) for searches only 1.4× faster (0.050 against 0.072 ms per drive query, same
    answers); an edge leaving a node is separated from the rest of the graph by the same cuts as
    that node, so the street order's nested dissection carries over.
    """
    rank = np.empty(len(street_order), np.int64)
    rank[street_order] = np.arange(len(street_order))
    edge_tail, edge_head = rank[tail[turn_edge]], rank[head[turn_edge]]
    return np.lexsort((edge_head, edge_tail)).astype(np.int32)


def road_ranks(
    streets: OsmStreets, way: NDArray[np.int32], tail: NDArray[np.int32], head: NDArray[np.int32], n: int
) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
    """Every edge's road rank (:func:`speeds.road_rank`) and the highest rank among each node's edges."""
    rank = np.array([speeds.road_rank(streets.way_tags[w].get("highway", "")) for w in way.tolist()], dtype=np.int8)
    top = np.zeros(n, dtype=np.int8)
    np.maximum.at(top, tail, rank)
    np.maximum.at(top, head, rank)
    return rank, top


def streets_way_ids(streets: OsmStreets) -> NDArray[np.int64]:
    return np.array(streets.way_ids, dtype=np.int64)


def _edge_seconds(
    mode: str,
    streets: OsmStreets,
    way: NDArray[np.int32],
    highway: list[str],
    length: NDArray[np.float64],
    slope: NDArray[np.float64],
    tail: NDArray[np.int32],
    head: NDArray[np.int32],
    osm_ids: NDArray[np.int64],
    push: NDArray[np.bool_],
) -> NDArray[np.float64]:
    if mode == "walk":
        kmh = np.array([speeds.walk_kmh(s, steps=h == "steps") for s, h in zip(slope, highway, strict=True)])
        return length / (kmh / KMH_PER_MPS)
    if mode == "bike":
        kmh = np.array(
            [
                speeds.push_kmh(s, steps=h == "steps") if p else speeds.bike_kmh(s)
                for s, h, p in zip(slope, highway, push, strict=True)
            ]
        )
        return length / (kmh / KMH_PER_MPS)
    kmh = np.array(
        [speeds.drive_kmh(h, streets.way_tags[w].get("maxspeed")) for h, w in zip(highway, way, strict=True)]
    )
    seconds = length / (kmh / KMH_PER_MPS)
    # Turns at junctions are costed in the turn-expanded graph; a signal delays whoever passes it,
    # once per signalised junction: OSM puts a signal node on every carriageway a junction crosses,
    # and a car stopped at the first one passes the next one, a few metres on, on the same green.
    # The main road (the highest rank at the node) gets the longer green, so it waits less.
    signal = np.isin(osm_ids, np.fromiter(streets.signals, dtype=np.int64, count=len(streets.signals)))
    charged = signal[head] & ~(signal[tail] & (length < speeds.SIGNAL_JUNCTION_M))
    rank, top = road_ranks(streets, way, tail, head, len(osm_ids))
    delay = np.where(rank >= top[head], speeds.SIGNAL_MAIN_S, speeds.SIGNAL_MINOR_S)
    return seconds + np.where(charged, delay, 0.0)


def _segments(
    tail: NDArray[np.int32], head: NDArray[np.int32]
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]]:
    """Undirected node pairs with the directed edge (if any) along and against each."""
    u = np.minimum(tail, head)
    v = np.maximum(tail, head)
    keys = u.astype(np.int64) << 32 | v.astype(np.int64)
    uniq, inverse = np.unique(keys, return_inverse=True)
    seg_u = (uniq >> 32).astype(np.int32)
    seg_v = (uniq & 0xFFFFFFFF).astype(np.int32)
    seg_fwd = np.full(len(uniq), -1, np.int32)
    seg_bwd = np.full(len(uniq), -1, np.int32)
    edges = np.arange(len(tail), dtype=np.int32)
    along = tail == u
    # Parallel duplicates keep the first edge id, which is deterministic.
    seg_fwd[inverse[along][::-1]] = edges[along][::-1]
    seg_bwd[inverse[~along][::-1]] = edges[~along][::-1]
    return seg_u, seg_v, seg_fwd, seg_bwd
