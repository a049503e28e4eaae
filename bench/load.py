"""Throughput of ``greenroute serve --workers 2`` under wrk on loopback, with random trips.

Starts the server on 127.0.0.1 (an ephemeral port), waits for ``/api/health``, writes a wrk Lua
script that cycles through 1000 seeded random Porto Alegre trips (every mode), runs
``wrk --latency`` for a bounded time, and prints plans/s, latency percentiles, errors (non-2xx
answers and socket errors) and the CPU time used by the server and by wrk on this machine.
The load generator is Debian's wrk (``apt-get install wrk``). Run:
``python bench/load.py [--duration 60] [--connections 16] [--workers 2] [--threads 4]``.

``--hostile`` runs the hostile cases instead (:mod:`load_hostile`: 50 slowloris connections held
60 s, 200 isochrones at once, a log at its 50,000-entry cap) and prints what clients saw;
``bench/footprint.py`` times that log before and after against a baseline revision, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
from trips import feed_days, free_port, random_trips

from routing.core.city import load_city
from routing.core.graphs import find_build
from tests.support import live_server

TARGET_PLANS_S = 200.0
SEED = 20261122
MAX_DURATION_S = 600
_MARK = "GREENROUTE-WRK "

_LUA_TAIL = r"""
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 337)
  table.insert(threads, thread)
end
function init(args)
  i = offset or 0
  codes = {}
end
function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("codes")) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do table.insert(parts, string.format('"%d": %d', k, v)) end
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "p999_us": %d, ' ..
    '"max_us": %d, "mean_us": %f, "codes": {%s}}\n',
    "GREENROUTE-WRK ", summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean, table.concat(parts, ", ")))
end
"""


def _lua_script(paths: list[str]) -> str:
    lines = ",\n".join(json.dumps(p) for p in paths)  # JSON strings of ASCII are valid Lua strings
    return "paths = {\n" + lines + "\n}\n" + _LUA_TAIL


def _cpu_s(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def run_wrk(*, port: int, paths: list[str], duration_s: int, connections: int, threads: int = 2) -> dict[str, Any]:
    """Run wrk against 127.0.0.1:``port`` cycling through ``paths``; its summary as a dict."""
    duration_s = max(1, min(duration_s, MAX_DURATION_S))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "trips.lua"
        script.write_text(_lua_script(paths), encoding="ascii")
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--timeout", "10s", "--latency"]
        cmd += ["-s", str(script), f"http://127.0.0.1:{port}"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60, check=True).stdout
    for line in out.splitlines():
        if line.startswith(_MARK):
            result: dict[str, Any] = json.loads(line[len(_MARK) :])
            result["wrk_output"] = out
            return result
    raise RuntimeError(f"wrk printed no summary:\n{out}")


def _start_py_spy(pid: int, *, seconds: int, out: Path) -> tuple[subprocess.Popen[bytes], Path]:
    path = out / "worker.collapsed"
    cmd = ["py-spy", "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "200"]
    cmd += ["--format", "raw", "--output", str(path), "--nonblocking"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), path


def _frame_name(frame: str) -> str:
    """``func (path/file.py:123)`` → ``func (file.py)``: one entry per function, not per line."""
    func, _, where = frame.partition(" (")
    return f"{func} ({where.rsplit('/', 1)[-1].split(':')[0]})" if where else func


def _print_profile(spy: tuple[subprocess.Popen[bytes], Path], top: int = 24) -> None:
    """Where one worker's request-handling samples went (inclusive share), from py-spy's collapsed stacks."""
    proc, path = spy
    proc.wait(timeout=120)
    inclusive: dict[str, int] = {}
    total = busy = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        if "wsgi_app" not in stack:  # gunicorn's own loop, idle threads waiting for a slot
            continue
        busy += n
        names = {_frame_name(f) for f in stack.split(";")}
        for name in names:
            inclusive[name] = inclusive.get(name, 0) + n
    print(f"\n  py-spy, one worker: {total} samples, {busy} inside Flask; inclusive share of those:")
    for name, n in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {100 * n / max(1, busy):5.1f}%  {name}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=int, default=60, help=f"seconds of load (at most {MAX_DURATION_S})")
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4, help="threads per worker")
    ap.add_argument("--trips", type=int, default=1000)
    ap.add_argument("--profile", action="store_true", help="sample one worker with py-spy (pip install py-spy)")
    ap.add_argument("--hostile", action="store_true", help="run the hostile cases (bench/load_hostile.py) instead")
    ap.add_argument("--slow", type=int, default=50, help="slowloris connections (--hostile)")
    ap.add_argument("--slow-seconds", type=float, default=60.0, help="how long they are held, at most 300 (--hostile)")
    ap.add_argument("--overload", type=int, default=200, help="isochrones sent at once, at most 1000 (--hostile)")
    args = ap.parse_args()

    folder = find_build(load_city("porto-alegre"))
    if folder is None:
        print("Porto Alegre is not built: run `greenroute build porto-alegre`", file=sys.stderr)
        return 2
    if args.hostile:
        return _hostile(args)
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="greenroute-load-")) / "server.log"
    proc = live_server.start(port=port, workers=args.workers, threads=args.threads, log=log)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as resp:
            feeds = json.load(resp)["data"]["gtfs"]
        trips = random_trips(folder, n=args.trips, seed=SEED, days=feed_days(feeds))
        paths = ["/api/plan?" + t.query() for t in trips]
        server = psutil.Process(proc.pid)
        deadline = time.monotonic() + 60
        while len(server.children()) < args.workers and time.monotonic() < deadline:
            time.sleep(0.05)  # /api/health may be answered by the first worker before the others fork
        procs = [server, *server.children(recursive=True)]
        print(
            f"greenroute serve --workers {args.workers} --threads {args.threads} on 127.0.0.1:{port}: pids "
            + ", ".join(str(p.pid) for p in procs)
        )
        run_wrk(port=port, paths=paths[:200], duration_s=3, connections=args.connections)  # warm up
        spy = _start_py_spy(procs[-1].pid, seconds=max(1, args.duration - 5), out=log.parent) if args.profile else None
        cpu0, wall0 = _cpu_s(procs), time.perf_counter()
        res = run_wrk(port=port, paths=paths, duration_s=args.duration, connections=args.connections)
        cpu_server, wall = _cpu_s(procs) - cpu0, time.perf_counter() - wall0
        alive = [p.pid for p in procs if p.is_running()]
    finally:
        live_server.stop(proc)
    secs = res["duration_us"] / 1e6
    rate = res["requests"] / secs
    errors = res["status"] + res["connect"] + res["read"] + res["write"] + res["timeout"]
    print(f"\nwrk -t2 -c{args.connections} -d{args.duration}s, {len(paths)} random trips (every mode), loopback")
    print(f"  requests {res['requests']} in {secs:.1f} s: {rate:.1f} plans/s sustained")
    print(
        f"  latency p50 {res['p50_us'] / 1000:.1f} ms  p90 {res['p90_us'] / 1000:.1f} ms  "
        f"p99 {res['p99_us'] / 1000:.1f} ms  p99.9 {res['p999_us'] / 1000:.1f} ms  max {res['max_us'] / 1000:.1f} ms"
    )
    print(
        f"  errors {errors} (non-2xx {res['status']}, connect {res['connect']}, read {res['read']}, "
        f"write {res['write']}, timeout {res['timeout']}); statuses {res['codes']}"
    )
    print(
        f"  server CPU {cpu_server:.1f} s over {wall:.1f} s wall = {cpu_server / wall:.2f} cores "
        f"({cpu_server / max(1, res['requests']) * 1000:.1f} ms CPU per plan); "
        f"machine has {psutil.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"  server processes alive at the end: {len(alive)}/{len(procs)}; server log {log}")
    if spy is not None:
        _print_profile(spy)
    if errors:
        print("  last lines of the server log:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:]))
    print(
        f"  target >= {TARGET_PLANS_S:.0f} plans/s: {'met' if rate >= TARGET_PLANS_S else 'MISSED'}; "
        f"zero errors: {'met' if errors == 0 else 'MISSED'}"
    )
    return 0


def _hostile(args: argparse.Namespace) -> int:
    """Slow clients, overload and a huge log, each against its own default server (1 worker x 4 threads)."""
    import load_hostile

    def start(*, port: int, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        return live_server.start(port=port, workers=1, threads=4, log=log, env=env)

    slow_s = min(args.slow_seconds, 300)
    load_hostile.slow_clients(start, live_server.stop, count=max(1, min(args.slow, 500)), seconds=slow_s)
    count = max(1, min(args.overload, 1000))
    load_hostile.overload(start, live_server.stop, count=count)
    load_hostile.overload(start, live_server.stop, count=count, query=load_hostile.ISO_DRIVE, label="drive")
    load_hostile.huge_log(start, live_server.stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
