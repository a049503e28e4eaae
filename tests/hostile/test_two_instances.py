"""Two ``greenroute serve`` instances behind Debian's nginx, one PostgreSQL, one killed mid-run.

A bounded mixed load (plans, isochrones, footprint writes), each simulated visitor from its own
loopback address, runs for ``LOAD_S``; one instance is killed with SIGKILL after ``KILL_AT_S``.
Asserted: no acknowledged footprint write is lost, under 1 % of the plans started once the proxy
has noticed fail, and rate limits apply per real client across both instances (the buckets are
in the shared database; the client address comes from X-Forwarded-For via TRUSTED_PROXIES=1).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest

from tests.footprint.conftest import PG_ENV, pg_database
from tests.footprint.helpers import FACTORS, walk_option
from tests.hostile.front import Client, Reply, nginx_binary, nginx_front
from tests.robustness.live_server import LiveServer, live_server

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="greenroute serve runs gunicorn, which needs fork"),
    pytest.mark.skipif(nginx_binary() is None, reason="Debian's nginx is not installed (apt-get install nginx)"),
    pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} is not set; start a server with .ci/postgres.sh"),
]
LOAD_S = 12.0
KILL_AT_S = 4.0
# nginx marks a refused upstream failed at once; plans started this long after the kill count.
NOTICE_S = 1.0
A, B = "-30.0277,-51.2287", "-30.0346,-51.2177"
PLANS = [f"/api/plan?from={A}&to={B}&modes={m}" for m in ("walk", "bike", "drive", "walk,bike")]
ISO = f"/api/isochrone?from={A}&mode=walk&minutes=5,10"
SETTINGS = {
    "TRUSTED_PROXIES": "1",
    "MAX_INFLIGHT": "4",
    "FOOTPRINT_RATE_KEYS": "3/hour",
    "FOOTPRINT_RATE_WRITES": "100000/second",
    "FOOTPRINT_RATE_READS": "100000/second",
}


def _kill_instance(server: LiveServer) -> None:
    # The whole instance at once, as a crashed host would go: workers and master.
    for pid in [*server.workers(), server.proc.pid]:
        with contextlib.suppress(ProcessLookupError, psutil.NoSuchProcess):
            os.kill(pid, signal.SIGKILL)


def test_two_instances_behind_nginx_survive_losing_one(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
    with (
        pg_database(os.environ[PG_ENV]) as db,
        live_server(tmp_path / "a", workers=1, threads=8, DATABASE_URL=db, **SETTINGS) as one,
        live_server(tmp_path / "b", workers=1, threads=8, DATABASE_URL=db, **SETTINGS) as two,
        nginx_front(tmp_path / "nginx", [int(s.base.rsplit(":", 1)[1]) for s in (one, two)]) as port,
    ):
        # Rate limits per real client, across both instances (round robin spreads these four).
        # One CSRF token for all four, so that the four POSTs follow each other in the round robin.
        first = Client("127.0.0.50", port)
        first.change("GET", "/api/footprint")
        visitors = [Client(first.ip, port, cookies=dict(first.cookies), csrf=first.csrf) for _ in range(4)]
        greedy = [v.change("POST", "/api/footprint") for v in visitors]
        assert [r.status for r in greedy] == [201, 201, 201, 429], [(r.status, r.body) for r in greedy]
        spoofed = Client("127.0.0.50", port).change("POST", "/api/footprint", **{"X-Forwarded-For": "10.9.9.9"})
        assert spoofed.status == 429, "a client escaped its bucket with its own X-Forwarded-For"
        assert Client("127.0.0.51", port).change("POST", "/api/footprint").status == 201

        plans: list[tuple[float, Reply]] = []
        isos: list[Reply] = []
        acked: dict[str, set[str]] = {}
        writers = [Client(f"127.0.1.{i}", port) for i in range(1, 5)]
        for w in writers:
            assert w.change("POST", "/api/footprint").status == 201
            acked[w.ip] = set()
        lock = threading.Lock()
        start = time.monotonic()
        stop = start + LOAD_S

        def plan_loop(ip: str) -> None:
            c, k = Client(ip, port), 0
            while time.monotonic() < stop:
                t = time.monotonic()
                r = c.request("GET", PLANS[k % len(PLANS)], timeout=10)
                k += 1
                with lock:
                    plans.append((t, r))

        def iso_loop(ip: str) -> None:
            c = Client(ip, port)
            while time.monotonic() < stop:
                r = c.request("GET", ISO, timeout=10)
                with lock:
                    isos.append(r)

        def write_loop(w: Client) -> None:
            while time.monotonic() < stop:
                r = w.change("POST", "/api/footprint/trips", body={"option": walk_option(), "factors": FACTORS})
                if r.status == 201:
                    with lock:
                        acked[w.ip].add(r.body["trip"]["id"])

        threads = [threading.Thread(target=plan_loop, args=(f"127.0.2.{i}",)) for i in range(1, 4)]
        threads.append(threading.Thread(target=iso_loop, args=("127.0.3.1",)))
        threads += [threading.Thread(target=write_loop, args=(w,)) for w in writers]
        for t in threads:
            t.start()
        time.sleep(KILL_AT_S)
        killed_at = time.monotonic()
        _kill_instance(two)
        for t in threads:
            t.join(timeout=LOAD_S + 30)

        after = [r for t, r in plans if t >= killed_at + NOTICE_S]
        failed = [r for r in after if r.status != 200]
        before = [r for t, r in plans if t < killed_at]
        written = sum(len(v) for v in acked.values())
        lost = 0
        for w in writers:
            listed = w.request("GET", "/api/footprint/trips?limit=1000")
            assert listed.status == 200, listed.body
            lost += len(acked[w.ip] - {t["id"] for t in listed.body["trips"]})
        print(
            f"\ntwo instances: {len(plans)} plans ({len(before)} before the kill, {len(after)} after the proxy "
            f"noticed, {len(failed)} of those failed), {len(isos)} isochrones "
            f"({sum(r.status == 200 for r in isos)} answered), {written} acknowledged writes, {lost} lost"
        )
        assert lost == 0, f"{lost} acknowledged footprint writes are missing"
        assert written >= 20, f"only {written} writes were acknowledged"
        assert len(after) >= 20, f"only {len(after)} plans after the kill"
        assert len(failed) < 0.01 * len(after), [(r.status, r.body) for r in failed[:5]]
        assert one.get("/api/health").status == 200
