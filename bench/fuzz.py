"""Schemathesis against ``/api/openapi.json`` at scale: at least 10,000 generated requests.

The same harness as the CI test (``tests/robustness/fuzzing.py``: the document's examples, valid
and invalid requests for every operation, footprint requests with a real log's cookie and CSRF
token), with many more examples per operation. Prints the request count, the statuses, and every
distinct failure (a 5xx, an error without the JSON shape, an answer off the document).
Run: ``python bench/fuzz.py [--examples 350] [--seed 1]``; exits 1 when something failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time

from trips import ROOT  # noqa: F401 (puts this checkout first on sys.path)

from tests.robustness.fuzzing import fuzz
from webapp import create_app

TARGET_REQUESTS = 10_000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=350, help="Hypothesis examples per operation and mode")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "CITY": "porto-alegre",
                "DATABASE_URL": f"sqlite:///{tmp}/footprint.sqlite",
                "FOOTPRINT_RATE_KEYS": "100000/second",
                "FOOTPRINT_RATE_WRITES": "100000/second",
                "FOOTPRINT_RATE_READS": "100000/second",
            }
        )
        t0 = time.perf_counter()
        report = fuzz(app, max_examples=args.examples, seed=args.seed)
        took = time.perf_counter() - t0
    print(f"schemathesis {args.examples} examples per operation and mode, seed {args.seed}: {took:.0f} s")
    print(report.summary())
    for name, count in sorted(report.per_operation.items()):
        statuses = {s: n for (op, s), n in sorted(report.outcomes.items()) if op == name}
        print(f"  {name:<42} {count:6d}  {statuses}")
    if report.no_negative:
        print("  no invalid request possible (no parameters or body): " + ", ".join(sorted(set(report.no_negative))))
    seen: set[str] = set()
    for failure in report.failures:
        key = failure[:120]
        if key not in seen:
            seen.add(key)
            print("\nFAILURE " + failure)
    print(
        f"\ntarget >= {TARGET_REQUESTS} requests: {'met' if report.requests >= TARGET_REQUESTS else 'MISSED'}; "
        f"5xx: {sum(n for s, n in report.statuses.items() if s >= 500)}; failures: {len(report.failures)}"
    )
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
