"""greenroute's transit earliest arrivals against the independent connection scan, at city scale.

For each city, ``--queries`` seeded random trips (ends within 400 m of a random stop on the
street network; weekday, Saturday, Sunday and late-night times in turn, inside the feeds'
periods) are asked of ``/api/plan?modes=transit`` (Flask test client, strict dates) and of
``tests/transit/oracle.py``, which reads the raw GTFS files itself and walks by plain Dijkstra
on the walk graph. Prints, per city, the verdicts and the share of equal earliest arrivals,
then every difference.

Usage: ``python bench/transit_oracle.py [--queries 1000] [--seed 1] [--city porto-alegre ...]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.transit.oracle_run import DAYS, CityRun, summary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--city", action="append", choices=sorted(DAYS), help="repeat; default all three")
    args = parser.parse_args()
    for city in args.city or ["porto-alegre", "sao-paulo", "beatty"]:
        t0 = time.perf_counter()
        run = CityRun(city, root=ROOT)
        init = time.perf_counter() - t0
        cases = []
        t0 = time.perf_counter()
        for case in run.cases(args.queries, seed=args.seed):
            cases.append(run.run(case))
        result = summary(cases)
        print(
            f"{city}: {result['queries']} queries ({result['outside']} outside the streets), "
            f"{result['compared']} compared: {result['verdicts']}; equal {100 * result['agree_share']:.2f} % "
            f"(oracle load {init:.0f} s, queries {time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        for c in cases:
            if c.verdict in ("equal", "both none") or c.error not in ("", "no_route"):
                continue
            gap = "" if c.gap_s is None else f" {c.gap_s:+.0f} s"
            print(
                f"  {c.verdict}{gap}: {c.kind} {c.at.isoformat()} from {c.origin[0]:.6f},{c.origin[1]:.6f} "
                f"to {c.destination[0]:.6f},{c.destination[1]:.6f}: greenroute {c.ours}, oracle {c.oracle}",
                flush=True,
            )


if __name__ == "__main__":
    main()
