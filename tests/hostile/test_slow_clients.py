"""Slow clients (slowloris) cannot starve ``greenroute serve``; overload is refused at once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.hostile.hostile_clients import percentile, probe, slowloris
from tests.robustness.live_server import Answer, live_server

pytestmark = pytest.mark.skipif(os.name != "posix", reason="greenroute serve runs gunicorn, which needs fork")
ISO = "/api/isochrone?from=-30.0277,-51.2287&mode=transit&minutes=20,40&at=2019-05-14T08:00"


def test_fifty_slow_connections_leave_the_server_answering(tmp_path: Path) -> None:
    # Four threads, as by default: stock gthread answered 0 of 34 probes behind four slow sockets.
    with live_server(tmp_path, workers=1, threads=4, REQUEST_READ_TIMEOUT_S="6") as server:
        port = int(server.base.rsplit(":", 1)[1])
        with slowloris(port, count=50, byte_every_s=0.5) as slow:
            answers = probe(lambda: server.get("/api/health", timeout=5).status, seconds=4.0, every_s=0.05)
            plan = server.get("/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&modes=walk", timeout=5)
            assert slow.closed_by_server == 0, "slow connections were dropped before their read timeout"
            time.sleep(4.0)  # past the 6 s read timeout of every slow request
            slow_dropped = slow.closed_by_server
        statuses = {s for s, _ in answers}
        p99 = percentile([t for _, t in answers], 99)
        assert statuses == {200}, statuses
        assert p99 < 1.0, f"probe p99 {p99:.2f} s behind 50 slow connections"
        assert plan.status == 200
        assert slow_dropped == 50, f"{slow_dropped} of 50 overdue slow requests were closed"
        assert server.get("/api/health").status == 200


def test_many_concurrent_isochrones_each_get_an_answer_or_a_quick_503(tmp_path: Path) -> None:
    with live_server(tmp_path, workers=1, threads=4) as server:
        results: list[Answer] = []
        lock = threading.Lock()
        go = threading.Event()

        def one() -> None:
            go.wait()
            answer = server.get(ISO, timeout=10)
            with lock:
                results.append(answer)

        threads = [threading.Thread(target=one) for _ in range(100)]
        for t in threads:
            t.start()
        go.set()
        probes = probe(lambda: server.get("/api/health", timeout=5).status, seconds=2.0, every_s=0.1)
        for t in threads:
            t.join(timeout=30)
        assert len(results) == 100
        statuses = {a.status for a in results}
        assert statuses <= {200, 503}, statuses
        slowest = max(a.seconds for a in results)
        assert slowest < 2.0, f"slowest isochrone answer (200 or 503) after {slowest:.2f} s"
        assert {s for s, _ in probes} == {200}, probes
        refused = [a for a in results if a.status == 503]
        assert refused and all(a.headers.get("Retry-After") == "1" for a in refused)
