"""Golden answers of /api/plan: a few hundred seeded Porto Alegre queries and the sha256 of each JSON body.

The answer's shape is rewritten in refactors (typed answers, one transit path); its bytes must not
change. ``python -m tests.golden.record`` writes ``plans.json`` from the current code; the test
(:mod:`tests.golden.test_golden`) recomputes every body and compares. Re-record only when a change
is meant to alter answers, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

GOLDEN = Path(__file__).with_name("plans.json")
COUNT = 300
SEED = 17
# Central Porto Alegre, where streets and stops are dense: most seeded pairs get every mode.
SOUTH, NORTH, WEST, EAST = -30.10, -30.025, -51.22, -51.14
_MODE_SETS = ("", "", "", "all", "transit", "walk,bike", "drive", "bike+transit", "park+ride", "transit,drive")
_EXTRAS = ("", "", "&arrive_by=true", "&occupancy=3", "&car=diesel", "&window=60", "&frontier=true", "&max_walk_m=600")


def queries() -> list[str]:
    """The seeded query strings (same list on every machine)."""
    rng = random.Random(SEED)
    out = []
    for _ in range(COUNT):
        a = (rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST))
        b = (rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST))
        day = rng.choice(("2026-12-01", "2026-12-05", "2026-12-06"))  # Tuesday, Saturday, Sunday
        minute = rng.randrange(5 * 60, 23 * 60)
        modes = rng.choice(_MODE_SETS)
        q = f"from={a[0]:.5f},{a[1]:.5f}&to={b[0]:.5f},{b[1]:.5f}&at={day}T{minute // 60:02d}:{minute % 60:02d}"
        q += (f"&modes={modes}" if modes else "") + rng.choice(_EXTRAS)
        out.append(q)
    return out


def answers(client: FlaskClient) -> dict[str, Any]:
    """Status and body digest of every query, with the build they were computed on."""
    build = ""
    plans = []
    for q in queries():
        r = client.get(f"/api/plan?{q}")
        body = r.get_data()
        if r.status_code == 200:
            # When the city was compiled is not part of the answer's content: a fresh clone compiles
            # it again (same build key, new time), and the recorded digests must still hold there.
            answer = json.loads(body)
            build = build or answer["data"]["build"]
            body = body.replace(answer["data"]["built_at"].encode(), b"BUILT_AT")
        plans.append({"query": q, "status": r.status_code, "sha256": hashlib.sha256(body).hexdigest()})
    return {"build": build, "plans": plans}


def golden_app() -> Flask:
    """The app the answers are recorded with: a budget no machine's load can hit, since a 503 for a
    query that ran out of time says nothing about the answer's bytes."""
    from webapp import create_app

    return create_app({"TESTING": True, "CITY": "porto-alegre", "DATABASE_URL": "sqlite://", "QUERY_BUDGET_S": 600.0})


def main() -> None:
    result = answers(golden_app().test_client())
    GOLDEN.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    statuses: dict[int, int] = {}
    for p in result["plans"]:
        statuses[p["status"]] = statuses.get(p["status"], 0) + 1
    print(f"wrote {GOLDEN} on build {result['build']}: {statuses}")


if __name__ == "__main__":
    main()
