"""Schemathesis against a live ``greenroute serve`` at scale: at least 10,000 generated requests.

Starts ``greenroute serve`` (Porto Alegre, a fresh SQLite footprint database, rate limits out of
the way) on loopback and runs the CI test's harness (``tests/robustness/fuzzing.py``: the
document's examples, valid and invalid requests for every operation, footprint requests with a
real log's cookie and CSRF token, then stateful sequences along the document's links) over HTTP
with many more examples. Prints the request count, the statuses, and every distinct failure (a
5xx other than the documented 503, an error without the JSON shape, an answer off the document).
Run from the checkout's root: ``python bench/fuzz.py [--examples 120] [--stateful 250]
[--steps 20] [--seed 1]``; several seeds may run at once (each starts its own server); exits 1
when something failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from trips import free_port

from tests.robustness.fuzzing import fuzz
from tests.support import live_server

TARGET_REQUESTS = 10_000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=120, help="Hypothesis examples per operation and mode")
    ap.add_argument("--stateful", type=int, default=250, help="stateful sequences along the links")
    ap.add_argument("--steps", type=int, default=20, help="at most this many requests in a sequence")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "GREENROUTE_DATABASE_URL": f"sqlite:///{tmp}/footprint.sqlite",
            "GREENROUTE_FOOTPRINT_RATE_KEYS": "100000/second",
            "GREENROUTE_FOOTPRINT_RATE_WRITES": "100000/second",
            "GREENROUTE_FOOTPRINT_RATE_READS": "100000/second",
        }
        port = free_port()
        proc = live_server.start(port=port, workers=args.workers, threads=4, log=Path(tmp) / "server.log", env=env)
        try:
            t0 = time.perf_counter()
            report = fuzz(
                f"http://127.0.0.1:{port}",
                max_examples=args.examples,
                seed=args.seed,
                stateful_examples=args.stateful,
                stateful_steps=args.steps,
            )
            took = time.perf_counter() - t0
        finally:
            live_server.stop(proc)
    print(
        f"schemathesis against greenroute serve --workers {args.workers}: {args.examples} examples per operation"
        f" and mode, {args.stateful} stateful sequences of <= {args.steps} steps, seed {args.seed}: {took:.0f} s"
    )
    print(report.summary())
    if report.stateful_stopped:
        print(f"  stateful rounds Hypothesis stopped early (answers differ on a replay): {report.stateful_stopped}")
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
