"""Street routing benchmark: greenroute (CCH) against networkx Dijkstra on the same graphs and pairs.

Prints, for 1000 seeded random pairs on Porto Alegre's drive, bike and walk graphs, p50/p99 per query
for greenroute and for networkx (plain Dijkstra and bidirectional Dijkstra), and the ratios; plus the
time of a whole point-to-point route (snapping, search, geometry, steps), loading a built city, and
building it. Drive and bike are searched over their turn-expanded graphs (one node per street edge),
so that is the graph both greenroute and networkx search for them.
Run: ``python bench/street.py [--pairs N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from routing.build.pipeline import build_city
from routing.core.city import load_city
from routing.core.errors import GreenrouteError
from routing.street.graph import StreetGraph
from routing.street.route import route, snap

TARGET_RATIO = 500.0


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _bench_mode(folder: Path, mode: str, pairs: int) -> float:
    g = StreetGraph.load(folder / "street", mode)
    rng = random.Random(42)
    main = g.largest_component_nodes()  # every pair in it is connected
    nodes = [(int(rng.choice(main)), int(rng.choice(main))) for _ in range(pairs)]
    if g.turns is not None:
        # The expanded node of an edge out of each node (the search routes use).
        out = g.turns
        od = [(int(out.edges_out_of(s)[0]), int(out.edges_out_of(t)[0])) for s, t in nodes]
        G = out.to_networkx()
        q = g.turn_query()
        size = f"{out.node_count} turn-expanded nodes, {len(out.arc_from)} turns"
    else:
        od = nodes
        G = g.to_networkx()
        q = g.query()
        size = f"{g.node_count} nodes, {g.edge_count} edges"
    ours: list[float] = []
    for s, t in od:
        t0 = time.perf_counter()
        res = q.run(s, t)
        dist, _path = res.distance, res.arc_path
        del res
        ours.append(time.perf_counter() - t0)
        assert dist is not None or g.turns is not None  # an edge's node may be a dead end by restrictions
    plain: list[float] = []
    bidir: list[float] = []
    for s, t in od:
        t0 = time.perf_counter()
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.dijkstra_path(G, s, t, weight="w")
        plain.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.bidirectional_dijkstra(G, s, t, weight="w")
        bidir.append(time.perf_counter() - t0)
    # Whole routes between random points: snapping to edges, search, geometry and steps.
    lat = np.asarray(g.node_lat)
    lon = np.asarray(g.node_lon)

    def whole(s: int, t: int) -> float:
        t0 = time.perf_counter()
        o = snap(g, float(lat[s]) + 1e-4, float(lon[s]), argument="from")
        d = snap(g, float(lat[t]) + 1e-4, float(lon[t]), argument="to")
        with contextlib.suppress(GreenrouteError):  # a pair may snap off the main network
            route(g, o, d)
        return time.perf_counter() - t0

    whole(*nodes[0])  # untimed: it builds the snap grid and the route's searches, as a server's start does
    full = [whole(s, t) for s, t in nodes[:200]]
    ms = 1000.0
    print(f"\n{mode}: {size}, {pairs} pairs")
    print(f"  greenroute CCH      p50 {statistics.median(ours) * ms:8.3f} ms   p99 {_pct(ours, 99) * ms:8.3f} ms")
    print(f"  nx dijkstra_path    p50 {statistics.median(plain) * ms:8.3f} ms   p99 {_pct(plain, 99) * ms:8.3f} ms")
    print(f"  nx bidirectional    p50 {statistics.median(bidir) * ms:8.3f} ms   p99 {_pct(bidir, 99) * ms:8.3f} ms")
    r_plain = statistics.mean(plain) / statistics.mean(ours)
    r_bidir = statistics.mean(bidir) / statistics.mean(ours)
    print(f"  ratio: vs dijkstra_path {r_plain:.0f}x, vs bidirectional {r_bidir:.0f}x; target >= {TARGET_RATIO:.0f}x")
    print(
        f"  whole route (snap + search + geometry + steps)  p50 {statistics.median(full) * ms:.3f} ms  "
        f"p99 {_pct(full, 99) * ms:.3f} ms"
    )
    return r_plain


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", type=int, default=1000)
    args = ap.parse_args()
    city = load_city("porto-alegre")
    folder = build_city(city, progress=False)
    t0 = time.perf_counter()
    graphs = [StreetGraph.load(folder / "street", m) for m in ("walk", "bike", "drive")]
    loaded = time.perf_counter() - t0
    for g in graphs:
        g.prepare()  # what Planner.warm_up does: hierarchies, metrics, snap indexes
    print(
        f"load street graphs of a built city (3 modes): {loaded:.3f} s; with their CCHs customised and "
        f"snap indexes built (ready to search): {time.perf_counter() - t0:.3f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        build_city(city, root=Path(tmp), progress=False)
        print(f"build porto-alegre from seeds (all parts): {time.perf_counter() - t0:.1f} s (target <= 60 s)")
    ratios = [_bench_mode(folder, mode, args.pairs) for mode in ("drive", "bike", "walk")]
    print(f"\nworst ratio vs networkx dijkstra_path: {min(ratios):.0f}x (target >= {TARGET_RATIO:.0f}x)")


if __name__ == "__main__":
    main()
