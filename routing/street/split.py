"""Split walk segments where transit stops join them, so a stop is a node of the walk graph (build time).

A stop joins the street nearest to it (:mod:`routing.street.snap_nodes`). Were it joined to an end
of that street's segment, every walk to the stop would run on to that end and back: in the Beatty
sample feed the walk to "Bullfrog" went 238 s round the far end of a 400 m desert segment instead of
the 33 s to the point beside the stop. So the walk graph gets a node at that point: each way through
the segment gains a node there (a synthetic one, with a negative id), and the graph is compiled
again; the walk then reaches the stop from either end by the part of the segment it needs.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np
from numpy.typing import NDArray

from routing.street.graph import StreetGraph
from routing.street.osm import OsmStreets
from routing.street.route import prefer_larger

# A stop whose nearest point lies this close to an end of its segment joins that end (a node a few
# centimetres from another would only add an edge of zero length).
END_M = 1.0


def split_at_stops(
    streets: OsmStreets, walk: StreetGraph, lat: NDArray[np.float64], lon: NDArray[np.float64], *, max_m: float
) -> tuple[OsmStreets, int]:
    """``streets`` with a node added to every way at the nearest kept-street point of each stop
    (within ``max_m``), and the number of nodes added.

    The point is the one the stop will be snapped to (the same rule: the nearest segment of a kept
    component, preferring the larger of two about equally near), found on ``walk``, the walk graph
    compiled from ``streets`` unsplit. Segments are undirected node pairs, so every way holding the
    pair (in either direction) is split; several stops on one segment add their nodes in order.
    """
    on_segment: dict[tuple[int, int], list[tuple[float, float, float]]] = defaultdict(list)  # (a, b) → (t, lat, lon)
    osm = np.asarray(walk.node_osm)
    for la, lo in zip(np.asarray(lat).tolist(), np.asarray(lon).tolist(), strict=True):
        candidates = walk.nearest_segments(la, lo, max_m=max_m)
        if not candidates:
            continue
        p = prefer_larger(walk, candidates)
        u, v = int(walk.seg_u[p.seg]), int(walk.seg_v[p.seg])
        length = float(walk.edge_len[walk.seg_fwd[p.seg] if walk.seg_fwd[p.seg] >= 0 else walk.seg_bwd[p.seg]])
        if min(p.t, 1.0 - p.t) * length < END_M:
            continue
        on_segment[(int(osm[u]), int(osm[v]))].append((p.t, p.lat, p.lon))
    if not on_segment:
        return streets, 0
    coords = dict(streets.node_coords)
    next_id = min(0, min(coords)) - 1  # synthetic ids below every real (and earlier synthetic) one
    inserted: dict[tuple[int, int], list[int]] = {}  # (a, b) → new node ids in order from a to b
    for (a, b), points in sorted(on_segment.items()):
        ids = []
        for _t, la, lo in sorted(set(points)):  # in order from a to b
            coords[next_id] = (la, lo)
            ids.append(next_id)
            next_id -= 1
        inserted[(a, b)] = ids
    way_nodes = []
    for refs in streets.way_nodes:
        out = refs[:1]
        for x, y in zip(refs, refs[1:], strict=False):
            if (x, y) in inserted:
                out.extend(inserted[(x, y)])
            elif (y, x) in inserted:
                out.extend(reversed(inserted[(y, x)]))
            out.append(y)
        way_nodes.append(out)
    added = sum(len(ids) for ids in inserted.values())
    return dataclasses.replace(streets, way_nodes=way_nodes, node_coords=coords), added
