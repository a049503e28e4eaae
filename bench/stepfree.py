"""Step-free (wheelchair) planning on Porto Alegre: what it costs and how often it still finds a way.

Prints the time and resident memory of the step-free walk metrics (a second CCH customisation on
the walk graph's order) and of the step-free transit view (its footpaths re-walked step-free),
then plans ``--pairs`` seeded central pairs at 08:00 on a Tuesday with and without
``wheelchair``: how many get a walk and a transit journey, and the step-free walk's time as a
ratio of the plain walk's (measured in the same run).

Usage: ``python bench/stepfree.py [--pairs 60] [--seed 17]``
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psutil

from routing.build.pipeline import build_city
from routing.core.city import load_city
from routing.core.errors import GreenrouteError
from routing.plan.answer_json import answer_json
from routing.plan.planner import Planner
from routing.plan.request import PlanRequest
from routing.street.stepfree import stepfree_graph

# Central Porto Alegre, as tests/golden/record.py.
SOUTH, NORTH, WEST, EAST = -30.10, -30.025, -51.22, -51.14


def _options(p: Planner, req: PlanRequest) -> list[dict[str, Any]]:
    try:
        return list(answer_json(p.plan(req))["options"])
    except GreenrouteError:
        return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    city = load_city("porto-alegre")
    p = Planner(build_city(city, progress=False), city)
    assert p.transit is not None
    proc = psutil.Process(os.getpid())
    rss0 = proc.memory_info().rss
    t = time.perf_counter()
    stepfree_graph(p.graphs["walk"])
    t_walk, rss1 = time.perf_counter() - t, proc.memory_info().rss
    t = time.perf_counter()
    view = p.transit.stepfree()
    t_view, rss2 = time.perf_counter() - t, proc.memory_info().rss
    print(f"step-free walk metrics: {t_walk:.2f} s, {(rss1 - rss0) / 2**20:+.1f} MiB RSS")
    print(f"step-free transit view: {t_view:.2f} s, {(rss2 - rss1) / 2**20:+.1f} MiB RSS; ", end="")
    print(f"footpaths {len(p.transit.tt.fp_to)} -> {len(view.tt.fp_to)}")
    rng = random.Random(args.seed)
    at = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo(city.timezone))
    found = {(m, wc): 0 for m in ("walk", "transit") for wc in (False, True)}
    ratios: list[float] = []
    for _ in range(args.pairs):
        a = (rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST))
        b = (rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST))
        walks = {}
        for wc in (False, True):
            opts = _options(p, PlanRequest(origin=a, destination=b, modes=("walk", "transit"), at=at, wheelchair=wc))
            for mode in ("walk", "transit"):
                found[mode, wc] += any(o["mode"] == mode for o in opts)
            walks[wc] = next((o["duration_s"] for o in opts if o["mode"] == "walk"), None)
        if walks[False] and walks[True]:
            ratios.append(walks[True] / walks[False])
    ratios.sort()
    for mode in ("walk", "transit"):
        print(f"{mode}: found for {found[mode, False]} of {args.pairs} pairs, step-free for {found[mode, True]}")
    if ratios:
        median, p90 = ratios[len(ratios) // 2], ratios[int(len(ratios) * 0.9)]
        print(f"step-free / plain walk time: median {median:.3f}, p90 {p90:.3f}")


if __name__ == "__main__":
    main()
