"""Which strongly connected components of a mode's street graph are kept for routing.

A street graph of a real extract falls into many strongly connected components: the main network,
other large networks the mode cannot leave (two districts joined only by a motorway bridge, for a
walker), and small islands (a car park's aisles cut off by one-way rules, a footway mapped without
its connection, the clipped edge of the extract). Every component of at least ``min_network_nodes``
nodes is kept; the smaller ones are dropped, so nothing snaps onto them. GraphHopper does the same
with ``prepare.min_network_size`` (default 200), which is where the default comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from routing.core.city import MIN_NETWORK_NODES

# The report lists every kept component but only this many dropped ones (largest first): a city has
# thousands of one-node islands, and their totals say enough.
REPORTED_DROPPED = 20


@dataclass(frozen=True)
class Components:
    """The strongly connected components of one graph and which of them are kept."""

    comp: NDArray[np.int32]  # node → component id
    sizes: NDArray[np.int64]  # component id → node count
    keep: NDArray[np.bool_]  # component id → kept

    @property
    def kept(self) -> NDArray[np.bool_]:
        """Node → in a kept component."""
        return self.keep[self.comp] if len(self.comp) else np.zeros(0, np.bool_)


def strong_components(
    tail: NDArray[np.int32], head: NDArray[np.int32], n: int, *, min_network_nodes: int = MIN_NETWORK_NODES
) -> Components:
    """Components of the directed graph ``tail → head`` on ``n`` nodes.

    The largest component is always kept, even below ``min_network_nodes``, so that a small town
    (or a test fixture) still has a network to route on.
    """
    graph = coo_matrix((np.ones(len(tail)), (tail, head)), shape=(n, n)).tocsr()
    _, comp = connected_components(graph, directed=True, connection="strong")
    comp = comp.astype(np.int32)
    sizes = np.bincount(comp, minlength=1).astype(np.int64) if n else np.zeros(0, np.int64)
    keep = sizes >= min_network_nodes
    if n:
        keep[int(sizes.argmax())] = True
    return Components(comp=comp, sizes=sizes, keep=keep)


def component_report(components: Components, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> dict[str, Any]:
    """Kept and dropped components with their node counts and bounding boxes, largest first.

    Each bounding box is ``[south, west, north, east]`` in degrees (5 decimals, about 1 m).
    """
    comp, sizes = components.comp, components.sizes
    if len(comp) == 0:
        return {"kept": [], "dropped": [], "dropped_count": 0, "dropped_nodes": 0}
    order = np.lexsort((np.arange(len(sizes)), -sizes))  # largest first, ties by id: deterministic
    kept_ids = [int(c) for c in order if components.keep[c]]
    dropped_ids = [int(c) for c in order if not components.keep[c]]
    s = np.full(len(sizes), np.inf)
    w = np.full(len(sizes), np.inf)
    north = np.full(len(sizes), -np.inf)
    e = np.full(len(sizes), -np.inf)
    np.minimum.at(s, comp, lat)
    np.minimum.at(w, comp, lon)
    np.maximum.at(north, comp, lat)
    np.maximum.at(e, comp, lon)

    def row(c: int) -> dict[str, Any]:
        bbox = [round(float(v), 5) for v in (s[c], w[c], north[c], e[c])]
        return {"nodes": int(sizes[c]), "bbox": bbox}

    return {
        "kept": [row(c) for c in kept_ids],
        "dropped": [row(c) for c in dropped_ids[:REPORTED_DROPPED]],
        "dropped_count": len(dropped_ids),
        "dropped_nodes": int(sum(int(sizes[c]) for c in dropped_ids)),
    }
