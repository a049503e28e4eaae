"""A log at its 50,000-entry cap, before and after: ``/log``, the summary and the trips pages.

Starts ``greenroute serve`` (1 worker x 4 threads, the defaults) of this checkout and, with
``--baseline REV``, of that git revision too, each on its own fresh database (SQLite, and
PostgreSQL when ``--postgres URL`` or ``GREENROUTE_TEST_DATABASE_URL`` names a server where
databases may be created). Each log is filled to 50,000 entries by imports (2 h apart, about 11
years), then each read is timed ``--repeat`` times, alternating the servers so that the load
other processes put on the machine falls on both alike. Prints the median seconds, the ratio
after/before and whether the target (< 0.5 s for ``/log`` and the summary) is met, and checks
that the export still holds every entry. Run from the checkout's root:
``python bench/footprint.py [--baseline ed1f38f] [--entries 50000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from load_hostile import fill_log, raw_get
from trips import free_port

from tests.footprint.conftest import PG_ENV, pg_database
from tests.hostile.front import Client
from tests.support import live_server

TARGET_S = 0.5
MAX_ENTRIES = 50_000
_SETTINGS = {
    "GREENROUTE_FOOTPRINT_IMPORT_MAX_BYTES": str(64 * 1024 * 1024),
    "GREENROUTE_MAX_CONTENT_LENGTH": str(64 * 1024 * 1024),
    "GREENROUTE_FOOTPRINT_RATE_WRITES": "1000/second",
    "GREENROUTE_FOOTPRINT_RATE_READS": "1000/second",
}


@contextlib.contextmanager
def _database(kind: str, folder: Path, admin_url: str | None) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'footprint.sqlite'}"
        return
    assert admin_url is not None
    with pg_database(admin_url) as url:
        yield url


def _reads(person: Client, *, keyset: bool, entries: int) -> dict[str, str]:
    """Name -> path of each timed read (the last page by keyset where the server has it)."""
    reads = {
        "GET /log": "/log",
        "GET /api/footprint/summary": "/api/footprint/summary",
        "GET /api/footprint/trips (first page)": "/api/footprint/trips",
        "GET /api/footprint/trips (last page, offset)": f"/api/footprint/trips?offset={entries - 100}",
    }
    if keyset:
        page = person.request("GET", f"/api/footprint/trips?limit=1&offset={entries - 101}").body
        reads["GET /api/footprint/trips (last page, after=)"] = f"/api/footprint/trips?after={page['trips'][0]['id']}"
    return reads


def _timed(port: int, person: Client, path: str) -> tuple[int, float]:
    if path == "/log":
        status, _, seconds = raw_get(port, person, path)
        return status, seconds
    reply = person.request("GET", path, timeout=120)
    return reply.status, reply.seconds


def _case(kind: str, admin_url: str | None, *, baseline: str | None, entries: int, repeat: int) -> None:
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="greenroute-footprint-")))
        versions: dict[str, Path | None] = {"after": None}
        if baseline is not None:
            versions = {"before": live_server.source_copy(baseline, Path(tempfile.mkdtemp(dir=tmp))), **versions}
        people: dict[str, tuple[int, Client]] = {}
        for name, code in versions.items():
            folder = Path(tempfile.mkdtemp(dir=tmp))
            db = stack.enter_context(_database(kind, folder, admin_url))
            port = free_port()
            env = {**_SETTINGS, "GREENROUTE_DATABASE_URL": db}
            proc = live_server.start(port=port, log=folder / "server.log", env=env, code=code, limit_s=600)
            stack.callback(live_server.stop, proc)
            person = Client("127.0.0.1", port)
            t0 = time.perf_counter()
            fill_log(person, entries)
            print(f"{kind} {name}: {entries} entries imported in {time.perf_counter() - t0:.1f} s")
            people[name] = (port, person)
        reads = {name: _reads(p, keyset=name == "after", entries=entries) for name, (_, p) in people.items()}
        seconds: dict[tuple[str, str], list[float]] = {}
        for n in range(repeat):
            order = list(people) if n % 2 == 0 else list(reversed(people))
            for read in reads["after"]:
                for name in order:
                    path = reads[name].get(read)
                    if path is None:
                        continue
                    port, person = people[name]
                    status, took = _timed(port, person, path)
                    assert status == 200, (name, read, status)
                    seconds.setdefault((name, read), []).append(took)
        print(f"\n{kind}, a log of {entries} entries, median of {repeat} (load average {os.getloadavg()[0]:.1f}):")
        for read in reads["after"]:
            after = statistics.median(seconds[("after", read)])
            line = f"  {read:<48} after {after:7.3f} s"
            if ("before", read) in seconds:
                before = statistics.median(seconds[("before", read)])
                line += f"   before {before:7.3f} s   after/before {after / before:6.3f}"
            if read in ("GET /log", "GET /api/footprint/summary"):
                line += f"   target < {TARGET_S} s: {'met' if after < TARGET_S else 'MISSED'}"
            print(line)
        port, person = people["after"]
        exported = person.request("GET", "/api/footprint/export.json", timeout=300).body["entries"]
        erased = person.change("DELETE", "/api/footprint", timeout=300).body["trips_deleted"]
        print(f"  export holds {len(exported)} of {entries} entries; erase deleted {erased}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", help="git revision to compare with (e.g. ed1f38f, before SQL totals)")
    ap.add_argument("--entries", type=int, default=MAX_ENTRIES, help=f"entries in the log, at most {MAX_ENTRIES}")
    ap.add_argument("--repeat", type=int, default=5, help="times each read is timed (at most 20)")
    ap.add_argument("--postgres", default=os.environ.get(PG_ENV), help="admin URL of a PostgreSQL server")
    ap.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    args = ap.parse_args()
    entries = max(1000, min(args.entries, MAX_ENTRIES)) // 1000 * 1000
    repeat = max(1, min(args.repeat, 20))
    kinds = [k for k in ("sqlite", "postgresql") if args.only in (None, k)]
    if "postgresql" in kinds and not args.postgres:
        print(f"no PostgreSQL (set {PG_ENV} or --postgres): SQLite only", file=sys.stderr)
        kinds.remove("postgresql")
    for kind in kinds:
        _case(kind, args.postgres, baseline=args.baseline, entries=entries, repeat=repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
