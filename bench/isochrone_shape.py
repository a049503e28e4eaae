"""Isochrone polygons: the grid drawing against the exact union of buffers, timed in the same run.

For each city, mode and minutes value: the exact shape (every reached street piece buffered by
50 m, ``shapely.union_all``; what the isochrone drew before issue 16) and the grid one
(:mod:`routing.plan.isochrone_grid`), their times and the ratio, the areas, the intersection over
union, and how many reached graph nodes fall outside the grid polygon (should be 0).
Run: ``python bench/isochrone_shape.py [--city porto-alegre --from -30.0277,-51.2287]``.
"""

from __future__ import annotations

import argparse
import time

import shapely
from trips import ROOT  # noqa: F401 (puts this checkout first on sys.path)

from routing.core.city import load_city
from routing.core.graphs import find_build
from routing.plan.isochrone import BUFFER_M
from routing.plan.isochrone_grid import CELL_M, ReachGrid
from routing.plan.planner import Planner
from routing.plan.reach import Reach
from routing.street.route import snap

CITIES = {"porto-alegre": (-30.0277, -51.2287), "sao-paulo": (-23.5505, -46.6333)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", action="append", help="city name (default: Porto Alegre and São Paulo)")
    ap.add_argument("--modes", default="walk,bike,drive")
    ap.add_argument("--minutes", default="10,30")
    args = ap.parse_args()
    for city in args.city or list(CITIES):
        config = load_city(city)
        folder = find_build(config)
        assert folder is not None, f"{city} is not built"
        planner = Planner(folder, config)
        for mode in args.modes.split(","):
            reach = Reach(planner.graphs[mode])
            origin = snap(reach.graph, *CITIES[city], argument="from")
            for minutes in map(int, args.minutes.split(",")):
                lim = minutes * 60_000.0
                times = reach.times_ms(reach.origin_seeds(origin), lim)
                t0 = time.perf_counter()
                pieces = reach.segments_within(times, lim, origin)
                exact = shapely.union_all(shapely.buffer(shapely.linestrings(pieces.reshape(-1, 2, 2)), BUFFER_M))
                exact_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                xy, ms = reach.samples_within(times, lim, origin, spacing_m=CELL_M)
                drawn = ReachGrid(xy, ms, buffer_m=BUFFER_M).area(lim)
                grid_s = time.perf_counter() - t0
                iou = shapely.intersection(drawn, exact).area / shapely.union(drawn, exact).area
                nodes = reach._xy[times <= lim]
                outside = int((~shapely.contains_xy(drawn, nodes[:, 0], nodes[:, 1])).sum())
                print(
                    f"{city:<13} {mode:<5} {minutes:3d} min: union of buffers {exact_s:6.2f} s, grid {grid_s:5.2f} s"
                    f" (ratio {grid_s / exact_s:.3f}); area {exact.area / 1e6:7.2f} vs {drawn.area / 1e6:7.2f} km2,"
                    f" IoU {iou:.3f}, reached nodes outside {outside}/{len(nodes)}, valid {drawn.is_valid}"
                )


if __name__ == "__main__":
    main()
