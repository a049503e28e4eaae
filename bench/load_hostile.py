"""The hostile cases of ``bench/load.py --hostile``: slow clients, overload, a huge log.

Each starts its own ``greenroute serve`` (1 worker x 4 threads, the defaults) on loopback and prints
what a client saw. Loops are bounded in count and time; all traffic stays on 127.0.0.1.

- slowloris: ``--slow`` connections send their request a byte every 0.5 s for ``--slow-seconds``
  (one the server closes after its read timeout is opened again at once, so ``--slow`` stay open)
  while a probe asks ``/api/health`` (and a walking plan) every 0.1 s: probe statuses, p50/p99/max.
- overload: ``--overload`` transit isochrones (20 and 40 minutes) at once, then as many drive ones
  (10, 20, 30 minutes), health probed meanwhile: answers and 503s, the slowest answer, probes
  answered.
- huge log: one log filled to ``FOOTPRINT_MAX_ENTRIES`` (50,000) by imports; time and size of
  ``GET /log`` and ``GET /api/footprint/trips``, the worker's memory, and the answer to one more entry.
"""

from __future__ import annotations

import http.client
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
from trips import free_port

from tests.footprint.helpers import FACTORS, walk_option
from tests.hostile.front import Client
from tests.hostile.hostile_clients import percentile, probe, slowloris

A = "-30.0277,-51.2287"
ISO = f"/api/isochrone?from={A}&mode=transit&minutes=20,40&at=2019-05-14T08:00"
ISO_DRIVE = f"/api/isochrone?from={A}&mode=drive&minutes=10,20,30"
PLAN = f"/api/plan?from={A}&to=-30.0346,-51.2177&modes=walk"
MAX_ENTRIES = 50_000
_IMPORT_CHUNK = 10_000
_HOURS_APART = 2


def _figures(label: str, answers: list[tuple[int, float]]) -> str:
    times = [t for _, t in answers]
    codes: dict[int, int] = {}
    for s, _ in answers:
        codes[s] = codes.get(s, 0) + 1
    return (
        f"{label}: {len(answers)} probes, statuses {codes}, p50 {percentile(times, 50) * 1000:.0f} ms, "
        f"p99 {percentile(times, 99) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )


def slow_clients(start: Any, stop: Any, *, count: int, seconds: float) -> None:
    """``count`` slowloris connections for ``seconds`` against the default server."""
    port = free_port()
    proc = start(port=port, log=Path(tempfile.mkdtemp(prefix="greenroute-slow-")) / "server.log")
    try:
        client = Client("127.0.0.1", port)
        with slowloris(port, count=count, byte_every_s=0.5, reconnect=True) as slow:
            health = probe(lambda: client.request("GET", "/api/health", timeout=5).status, seconds=seconds, every_s=0.1)
            plans = probe(lambda: client.request("GET", PLAN, timeout=5).status, seconds=min(5.0, seconds), every_s=0.2)
            dropped = slow.closed_by_server
        print(f"\nslowloris: {count} connections trickling a byte every 0.5 s for {seconds:.0f} s")
        print("  " + _figures("/api/health", health))
        print("  " + _figures("walking /api/plan", plans))
        print(f"  slow connections closed by the server (request read timeout) and reopened: {dropped}")
        p99 = percentile([t for _, t in health], 99)
        print(f"  probe p99 < 1 s: {'met' if p99 < 1.0 and {s for s, _ in health} == {200} else 'MISSED'}")
    finally:
        stop(proc)


def overload(start: Any, stop: Any, *, count: int, query: str = ISO, label: str = "transit") -> None:
    """``count`` isochrones (``query``) at once; every client must get an answer or a 503 within 2 s."""
    port = free_port()
    proc = start(port=port, log=Path(tempfile.mkdtemp(prefix="greenroute-over-")) / "server.log")
    try:
        client = Client("127.0.0.1", port)
        client.request("GET", query)  # warm up
        results: list[tuple[int, float]] = []
        lock = threading.Lock()
        go = threading.Event()

        def one(i: int) -> None:
            c = Client(f"127.0.{4 + i // 250}.{1 + i % 250}", port)  # each its own address
            go.wait()
            r = c.request("GET", query, timeout=30)
            with lock:
                results.append((r.status, r.seconds))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        go.set()
        health = probe(lambda: client.request("GET", "/api/health", timeout=10).status, seconds=3.0, every_s=0.1)
        for t in threads:
            t.join(timeout=60)
        print(f"\noverload: {count} {label} isochrones at once, each from its own address")
        print("  " + _figures("isochrone clients", results))
        print("  " + _figures("/api/health during", health))
        slowest = max(t for _, t in results)
        ok = slowest < 2.0 and {s for s, _ in results} <= {200, 503} and {s for s, _ in health} == {200}
        print(f"  every client answered or refused within 2 s, health always answered: {'met' if ok else 'MISSED'}")
    finally:
        stop(proc)


def huge_log(start: Any, stop: Any) -> None:
    """A log at its 50,000-entry cap: the page, the API, the memory, and one entry more."""
    port = free_port()
    settings = {"GREENROUTE_FOOTPRINT_IMPORT_MAX_BYTES": str(64 * 1024 * 1024)}
    settings["GREENROUTE_MAX_CONTENT_LENGTH"] = settings["GREENROUTE_FOOTPRINT_IMPORT_MAX_BYTES"]
    settings["GREENROUTE_FOOTPRINT_RATE_WRITES"] = "1000/second"
    proc = start(port=port, log=Path(tempfile.mkdtemp(prefix="greenroute-log-")) / "server.log", env=settings)
    try:
        person = Client("127.0.0.1", port)
        t0 = time.perf_counter()
        fill_log(person, MAX_ENTRIES)
        imported_s = time.perf_counter() - t0
        worker = psutil.Process(proc.pid).children()[0]
        rss0 = worker.memory_info().rss
        page_status, page_bytes, page_s = raw_get(port, person, "/log")
        listed = person.request("GET", "/api/footprint/trips")
        summary = person.request("GET", "/api/footprint/summary")
        rss1 = worker.memory_info().rss
        more = person.change("POST", "/api/footprint/trips", {"option": walk_option(), "factors": FACTORS})
        imports = MAX_ENTRIES // _IMPORT_CHUNK
        print(f"\nhuge log: {MAX_ENTRIES} entries imported in {imported_s:.1f} s ({imports} imports)")
        print(f"  GET /log: {page_status} in {page_s:.2f} s, {page_bytes / 1e6:.2f} MB")
        trips = listed.body["trips"]
        print(f"  GET /api/footprint/trips: {listed.status} in {listed.seconds:.2f} s, {len(trips)} entries")
        print(f"  GET /api/footprint/summary: {summary.status} in {summary.seconds:.2f} s")
        print(f"  worker RSS {rss0 / 2**20:.0f} MiB before these reads, {rss1 / 2**20:.0f} MiB after")
        print(f"  one more entry: {more.status} {more.body.get('error') if more.body else ''}")
    finally:
        stop(proc)


def fill_log(person: Client, count: int) -> None:
    """Turn ``person``'s log on and import ``count`` entries (copies of one logged walk) into it.

    The server must accept imports of ``_IMPORT_CHUNK`` entries (``FOOTPRINT_IMPORT_MAX_BYTES``)
    and that many writes (``FOOTPRINT_RATE_WRITES``).
    """
    assert person.change("POST", "/api/footprint").status == 201
    # The export format: what 'Download JSON' writes and the import reads.
    template = person.change("POST", "/api/footprint/trips", {"option": walk_option(), "factors": FACTORS})
    export = person.request("GET", "/api/footprint/export.json").body["entries"][0]
    person.change("DELETE", f"/api/footprint/trips/{template.body['trip']['id']}")
    # Spread over the years a long-kept log spans, so the totals have hundreds of periods.
    first = datetime.fromisoformat(export["started_at"]) - timedelta(hours=_HOURS_APART * count)
    entries = [
        {
            **export,
            "id": str(uuid.UUID(int=i + 1, version=4)),
            "started_at": (first + timedelta(hours=_HOURS_APART * i)).isoformat(),
        }
        for i in range(count)
    ]
    for i in range(0, count, _IMPORT_CHUNK):
        doc = {"format": "greenroute-footprint", "version": 1, "entries": entries[i : i + _IMPORT_CHUNK]}
        r = person.change("POST", "/api/footprint/import", doc, timeout=300)
        assert r.status == 200, r.body


def raw_get(port: int, person: Client, path: str) -> tuple[int, int, float]:
    """GET an HTML page as ``person``: status, bytes, seconds."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = "; ".join(f"{k}={v}" for k, v in person.cookies.items())
    conn.request("GET", path, headers={"Cookie": cookie})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, len(body), time.perf_counter() - t0
