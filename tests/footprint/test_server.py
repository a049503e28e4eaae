"""Against a real server process (waitress): concurrent writers, and a kill mid-write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.footprint.helpers import FACTORS, sample_option

ROOT = Path(__file__).resolve().parents[2]
SERVE = Path(__file__).with_name("serve_app.py")


class Server:
    """``serve_app.py`` in a subprocess on an ephemeral loopback port."""

    def __init__(self, db_url: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVE), db_url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r}")
        self.base = f"http://127.0.0.1:{line}"

    def session(self, key: str | None = None) -> requests.Session:
        """A browser-like session: CSRF token fetched, Origin set, log opened with ``key``."""
        s = requests.Session()
        token = s.get(f"{self.base}/api/footprint/csrf", timeout=30).json()["csrf_token"]
        s.headers.update({"Origin": self.base, "X-CSRF-Token": token})
        if key is not None:
            resp = s.post(f"{self.base}/api/footprint/device", json={"key": key}, timeout=30)
            assert resp.status_code == 200, resp.text
        return s

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=30)


@pytest.fixture()
def start_server() -> Iterator[Any]:
    servers: list[Server] = []

    def start(db_url: str) -> Server:
        server = Server(db_url)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _log_body(n: int) -> dict[str, Any]:
    return {"option": sample_option(distance_m=1000.0 + n), "factors": FACTORS}


def test_fifty_concurrent_writers_log_exactly_a_thousand_trips(db_url: str, start_server: Any) -> None:
    server = start_server(db_url)
    owner = server.session()
    key = owner.post(f"{server.base}/api/footprint", timeout=30).json()["key"]
    writers, per_writer = 50, 20
    sessions = [server.session(key) for _ in range(writers)]
    barrier = threading.Barrier(writers)
    ids: list[list[str]] = [[] for _ in range(writers)]
    errors: list[str] = []

    def write(i: int) -> None:
        barrier.wait()
        for j in range(per_writer):
            resp = sessions[i].post(
                f"{server.base}/api/footprint/trips", json=_log_body(i * per_writer + j), timeout=60
            )
            if resp.status_code != 201:
                errors.append(f"{resp.status_code} {resp.text}")
                continue
            ids[i].append(resp.json()["trip"]["id"])

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    acked = {x for chunk in ids for x in chunk}
    assert len(acked) == writers * per_writer
    listed = owner.get(f"{server.base}/api/footprint/trips?limit=1000", timeout=30).json()
    assert listed["total"] == 1000
    assert {t["id"] for t in listed["trips"]} == acked
    # Every distance was written once: the sum proves no entry was duplicated or mixed up.
    assert sum(t["distance_m"] for t in listed["trips"]) == sum(1000.0 + n for n in range(1000))


def test_killed_mid_write_keeps_every_acknowledged_entry(db_url: str, start_server: Any) -> None:
    server = start_server(db_url)
    key = server.session().post(f"{server.base}/api/footprint", timeout=30).json()["key"]
    acked: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()
    sessions = [server.session(key) for _ in range(8)]

    def write(s: requests.Session) -> None:
        n = 0
        while True:
            try:
                resp = s.post(f"{server.base}/api/footprint/trips", json=_log_body(n), timeout=30)
            except requests.RequestException:
                return  # the server is gone
            n += 1
            if resp.status_code == 201:
                with lock:
                    acked.append(resp.json()["trip"]["id"])
                    if len(acked) >= 200:
                        enough.set()

    threads = [threading.Thread(target=write, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    assert enough.wait(timeout=120)
    server.stop(signal.SIGKILL)  # no shutdown, no flush: whatever was committed must be there
    for t in threads:
        t.join(timeout=60)
    assert server.proc.returncode == -signal.SIGKILL

    restarted = start_server(db_url)
    listed = restarted.session(key).get(f"{restarted.base}/api/footprint/trips?limit=1000", timeout=30).json()
    stored = {t["id"]: t for t in listed["trips"]}
    assert set(acked) <= set(stored)
    # At most the requests in flight at the kill were written without an answer.
    assert len(stored) - len(acked) <= len(sessions)
    for trip in stored.values():  # and nothing is half-written
        assert trip["modes"] == ["walk", "transit", "walk"] and len(trip["legs"]) == 3
        assert trip["by_mode"]["transit"]["distance_m"] == 5000.0
