"""Memory of a ``greenroute serve`` process tree, and of the loaded city, measured with psutil.

Run ``python -m tests.selfhost.memory CITY`` (with ``GREENROUTE_HOME`` set as usual) to print the
table in the README: USS/PSS/RSS of the master and of each worker for 1, 2 and 4 workers, after
some requests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from tests.selfhost.helpers import REPO, free_port, subprocess_env

MiB = 1024 * 1024
_LOAD_SCRIPT = """
import json, psutil
from webapp import create_app
p = psutil.Process()
import flask, numpy, numba, routing.plan.planner  # the interpreter and libraries, before the city
before = p.memory_full_info().uss
create_app({"CITY": %r, "LOAD_CITY": True})
print(json.dumps({"city_mib": (p.memory_full_info().uss - before) / 2**20}))
"""


def city_load_mib(home: Path, city: str) -> float:
    """How much a process's unique memory grows when it loads ``city`` (planner warmed up)."""
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT % city],
        cwd=home,
        env=subprocess_env(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    return float(json.loads(out.strip().splitlines()[-1])["city_mib"])


def start_server(home: Path, city: str, *, workers: int, port: int | None = None) -> tuple[subprocess.Popen[str], str]:
    """Start ``greenroute serve`` and wait until it answers; return the process and its base URL."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--city", city, "--port", str(port), "--workers", str(workers)],
        cwd=home,
        env=subprocess_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=5) as r:
                if r.status == 200 and len(psutil.Process(proc.pid).children()) >= workers:
                    return proc, base
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("serve did not answer within 120 s")


def stop_server(proc: subprocess.Popen[str]) -> str:
    """Stop the server (SIGTERM, gunicorn's graceful stop) and return what it wrote to stderr."""
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


def tree_memory(pid: int) -> dict[str, list[dict[str, float]]]:
    """USS, PSS and RSS in MiB of the master ``pid`` and of each of its worker processes."""

    def one(p: psutil.Process) -> dict[str, float]:
        m = p.memory_full_info()
        return {"pid": p.pid, "uss": m.uss / MiB, "pss": m.pss / MiB, "rss": m.rss / MiB}

    master = psutil.Process(pid)
    return {"master": [one(master)], "workers": [one(w) for w in master.children()]}


def exercise(base: str, n: int = 40) -> int:
    """Plan ``n`` trips so every worker has routed and holds its per-thread query objects.

    Returns how many were answered with a plan (points off the street network get a 4xx answer).
    """
    health = json.load(urllib.request.urlopen(base + "/api/health", timeout=30))
    s, w, no, e = health["bbox"]
    planned = 0
    for i in range(n):
        f = (i % 7 + 1) / 9
        g = ((i * 3) % 7 + 1) / 9
        q = f"from={s + (no - s) * f:.5f},{w + (e - w) * g:.5f}&to={s + (no - s) * g:.5f},{w + (e - w) * f:.5f}"
        try:
            with urllib.request.urlopen(f"{base}/api/plan?{q}", timeout=60) as r:
                r.read()
                planned += 1
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                raise
    return planned


def main(argv: list[str]) -> int:
    city = argv[0] if argv else "porto-alegre"
    home = Path.cwd()
    print(f"{city}: loading the city adds {city_load_mib(home, city):.0f} MiB to one process")
    for workers in (1, 2, 4):
        proc, base = start_server(home, city, workers=workers)
        try:
            exercise(base, n=20 * workers)
            mem = tree_memory(proc.pid)
        finally:
            stop_server(proc)
        m = mem["master"][0]
        ws = mem["workers"]
        print(
            f"--workers {workers}: master USS {m['uss']:.0f} PSS {m['pss']:.0f} RSS {m['rss']:.0f} MiB; workers "
            + "; ".join(f"USS {w['uss']:.0f} PSS {w['pss']:.0f} RSS {w['rss']:.0f}" for w in ws)
            + f" MiB; total PSS {m['pss'] + sum(w['pss'] for w in ws):.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main(sys.argv[1:]))
