"""Full ``/api/plan`` benchmark on Porto Alegre: latency percentiles, their split, and cold start.

1000 seeded random trips (points in the walkable area, weekday departures 06:00-22:00 on days the
timetables cover), every mode, warm planner. Each trip is timed twice:

* in process, as the view does it: query parsing, ``Planner.plan`` with its ``timings`` (each mode,
  emissions), the app's JSON encoding (orjson); snapping is timed apart (it is inside each street mode's time);
* through the Flask app (``test_client``): the whole request as the server runs it, minus sockets.

Cold start is the time from starting ``greenroute serve`` to its first ``/api/plan`` answer, with the
bytecode and numba's cache written (as an installed server has them; a first start compiles the kernels).
``--cold`` measures only that; with ``--baseline REV`` that revision's server is started in turn with
this one's, so a slow spell of the machine falls on both, and the ratio of the medians is printed.

``--live`` measures what issue 19 asks instead: the whole default plan (walk, bike, transit,
bike+transit, park+ride, drive) through a live ``greenroute serve --workers 1`` over HTTP, for
300 seeded trips at 08:00 (target p50 <= 25 ms, p99 <= 100 ms).

``--baseline REV`` serves that git revision alongside (same graphs), asks each trip of both in
turn, and prints the ratios and how many answers differ.

Run: ``python bench/plan.py [--trips N] [--cold-runs N]``, ``python bench/plan.py --live [--baseline REV]``
or ``python bench/plan.py --cold [--cold-runs N] [--baseline REV]``.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl

from flask import Flask
from trips import ROOT, Trip, feed_days, free_port, random_trips
from werkzeug.datastructures import MultiDict

from routing.core.city import load_city
from routing.core.errors import GreenrouteError, OutsideArea
from routing.core.graphs import find_build
from routing.plan.answer_json import answer_json
from routing.plan.planner import Planner
from routing.plan.request import DEFAULT_MODES, STREET_MODES
from routing.street.route import snap
from routing.transit import Timetable
from tests.support import live_server
from webapp.jsonfast import OrjsonProvider
from webapp.params import plan_request

P50_TARGET_MS = 25.0
P99_TARGET_MS = 100.0
COLD_TARGET_S = 2.0
SEED = 20261122
BUDGET_S = 5.0


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _ms(x: float) -> str:
    return f"{x * 1000:7.2f} ms"


def _snap_s(planner: Planner, trip: Trip) -> float:
    t0 = time.perf_counter()
    for mode in STREET_MODES:
        g = planner.graphs[mode]
        for point, arg in ((trip.origin, "from"), (trip.destination, "to")):
            with contextlib.suppress(OutsideArea):
                snap(g, *point, argument=arg)
    return time.perf_counter() - t0


def _in_process(planner: Planner, trips: list[Trip]) -> None:
    encoder = OrjsonProvider(Flask("bench"))  # as the app encodes (webapp/__init__.py)
    parts: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []
    failed = 0
    sizes: list[int] = []
    for trip in trips:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        req = plan_request(MultiDict(parse_qsl(trip.query())), tz=planner.tz)
        t1 = time.perf_counter()
        try:
            answer = planner.plan(req, deadline=t1 + BUDGET_S, timings=timings)
        except GreenrouteError:
            failed += 1
            totals.append(time.perf_counter() - t0)
            continue
        t2 = time.perf_counter()
        body = encoder.dumps(answer_json(answer))  # the JSON edge counts as encoding
        t3 = time.perf_counter()
        totals.append(t3 - t0)
        sizes.append(len(body))
        parts["parse"].append(t1 - t0)
        for key, value in timings.items():
            parts[key].append(value)
        parts["json"].append(t3 - t2)
        parts["snapping (inside the street modes)"].append(_snap_s(planner, trip))
    print(f"\nin process: {len(trips)} trips, {failed} answered with an error (every mode failed)")
    print(
        f"  total       p50 {_ms(_pct(totals, 50))}   p99 {_ms(_pct(totals, 99))}"
        f"   mean {_ms(statistics.fmean(totals))}"
    )
    print("  split (per trip)       p50          p99         mean")
    for key in ("parse", "walk", "bike", "transit", "drive", "emissions", "json", "snapping (inside the street modes)"):
        xs = parts.get(key)
        if xs:
            print(f"  {key:<20} {_ms(_pct(xs, 50))}  {_ms(_pct(xs, 99))}  {_ms(statistics.fmean(xs))}")
    print(f"  answer size: median {statistics.median(sizes) / 1024:.0f} KiB, max {max(sizes) / 1024:.0f} KiB")


def _through_flask(trips: list[Trip]) -> tuple[float, float]:
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"CITY": "porto-alegre", "DATABASE_URL": f"sqlite:///{tmp}/fp.sqlite"})
        client = app.test_client()
        for trip in trips[:20]:
            client.get("/api/plan?" + trip.query())
        totals: list[float] = []
        cpu: list[float] = []
        statuses: dict[int, int] = defaultdict(int)
        for trip in trips:
            t0, c0 = time.perf_counter(), time.thread_time()
            resp = client.get("/api/plan?" + trip.query())
            resp.get_data()
            totals.append(time.perf_counter() - t0)
            cpu.append(time.thread_time() - c0)
            statuses[resp.status_code] += 1
    p50, p99 = _pct(totals, 50), _pct(totals, 99)
    print(f"\nthrough Flask (test client, no sockets): statuses {dict(statuses)}")
    print(f"  wall time   p50 {_ms(p50)}   p99 {_ms(p99)}   mean {_ms(statistics.fmean(totals))}")
    # CPU time of this thread: what the request costs, without the waits other processes on a
    # shared machine add to the wall time.
    print(f"  CPU time    p50 {_ms(_pct(cpu, 50))}   p99 {_ms(_pct(cpu, 99))}   mean {_ms(statistics.fmean(cpu))}")
    return p50, p99


def cold_start_s(query: str, *, workers: int = 1, code: Path | None = None, limit_s: float = 60.0) -> float:
    """Seconds from starting ``greenroute serve`` (of ``code``, a baseline copy; None: this checkout)
    to its first 200 answer to ``/api/plan?query``."""
    t0 = time.perf_counter()
    proc = live_server.start(
        port=free_port(), workers=workers, code=code, ready_path=f"/api/plan?{query}", limit_s=limit_s
    )
    took = time.perf_counter() - t0
    live_server.stop(proc)
    return took


def _cold(query: str, *, runs: int, baseline: str | None) -> None:
    """Cold starts of this checkout (and of ``baseline``, in turn), their medians and ratio."""
    with tempfile.TemporaryDirectory(prefix="cold-baseline-") as tmp:
        codes: dict[str, Path | None] = {"this": None}
        if baseline is not None:
            codes[baseline] = live_server.source_copy(baseline, Path(tmp))
        for code in codes.values():
            # An installed server has its bytecode (pip writes it) and, after its first start, numba's
            # cache: write both, whatever PYTHONDONTWRITEBYTECODE says, before timing anything.
            for package in ("cli", "routing", "webapp"):
                compileall.compile_dir(str((code or ROOT) / package), quiet=1)
            cold_start_s(query, code=code, limit_s=300.0)
        times: dict[str, list[float]] = {name: [] for name in codes}
        for _ in range(runs):
            for name, code in codes.items():
                times[name].append(cold_start_s(query, code=code))
    print("cold start (greenroute serve --workers 1, process start to first /api/plan answer):")
    for name, xs in times.items():
        print(f"  {name:<9} " + ", ".join(f"{x:.2f}" for x in xs) + f" s; median {statistics.median(xs):.2f} s")
    best = statistics.median(times["this"])
    print(f"  target <= {COLD_TARGET_S:.0f} s: {'met' if best <= COLD_TARGET_S else 'MISSED'}")
    if baseline is not None:
        print(f"  ratio this / {baseline}: {best / statistics.median(times[baseline]):.2f}")


def _start_server(*, code: Path | None = None, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """A ``greenroute serve`` and its base URL, once ``/api/health`` answers.

    ``code`` is another copy of the source to serve (a baseline revision) on this checkout's
    graphs and cities; None serves this checkout.
    """
    port = free_port()
    proc = live_server.start(port=port, workers=workers, code=code, limit_s=180.0)
    return proc, f"http://127.0.0.1:{port}"


def _get(url: str) -> tuple[int, float, bytes]:
    """Status, wall seconds and body of one GET."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, time.perf_counter() - t0, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, time.perf_counter() - t0, exc.read()


def _report(name: str, totals: list[float], statuses: dict[int, int]) -> tuple[float, float]:
    p50, p99 = _pct(totals, 50), _pct(totals, 99)
    print(f"  {name:<9} statuses {dict(statuses)}")
    print(f"  {name:<9} wall time   p50 {_ms(p50)}   p99 {_ms(p99)}   mean {_ms(statistics.fmean(totals))}")
    return p50, p99


def _live(trips: list[Trip], *, baseline: str | None) -> tuple[float, float]:
    """The default plan of every trip at 08:00 through a live one-worker server: (p50, p99) seconds.

    With ``baseline`` (a git revision), a second server runs that revision's code on the same graphs
    and each trip is asked of both in turn, so the load other processes put on the machine falls on
    both alike; the ratios compare them, and the bodies must be identical.
    """
    modes = ",".join(DEFAULT_MODES)
    at8 = [Trip(t.origin, t.destination, t.at.replace(hour=8, minute=0)) for t in trips]
    with contextlib.ExitStack() as stack:
        servers = {"this": _start_server()}
        stack.callback(live_server.stop, servers["this"][0])
        if baseline is not None:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="plan-baseline-")))
            code = live_server.source_copy(baseline, tmp)
            servers["baseline"] = _start_server(code=code)
            stack.callback(live_server.stop, servers["baseline"][0])
        # First uses of lazy paths in each worker, on trips that are not measured (reversed), so
        # that nothing a server keeps from one request (drawn walks) favours a measured one.
        for trip in at8[:20]:
            for _, base in servers.values():
                _get(f"{base}/api/plan?{Trip(trip.destination, trip.origin, trip.at).query(modes=modes)}")
        totals: dict[str, list[float]] = defaultdict(list)
        statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        differ = 0
        for n, trip in enumerate(at8):
            bodies = []
            names = list(servers) if n % 2 == 0 else list(reversed(servers))  # neither always goes first
            for name in names:
                status, secs, body = _get(f"{servers[name][1]}/api/plan?{trip.query(modes=modes)}")
                totals[name].append(secs)
                statuses[name][status] += 1
                bodies.append(body)
            differ += len(set(bodies)) > 1
    print(f"\nlive server (greenroute serve --workers 1, HTTP), default modes {modes}, 08:00, {len(at8)} trips:")
    p50, p99 = _report("this", totals["this"], statuses["this"])
    if baseline is not None:
        b50, b99 = _report("baseline", totals["baseline"], statuses["baseline"])
        print(f"  baseline = {baseline}; ratio this/baseline: p50 {p50 / b50:.2f}, p99 {p99 / b99:.2f}")
        print(f"  answers that differ from the baseline's: {differ} of {len(at8)}")
    print(
        f"  target p50 <= {P50_TARGET_MS:.0f} ms: {'met' if p50 * 1000 <= P50_TARGET_MS else 'MISSED'};"
        f" p99 <= {P99_TARGET_MS:.0f} ms: {'met' if p99 * 1000 <= P99_TARGET_MS else 'MISSED'}"
    )
    return p50, p99


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trips", type=int, default=1000)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--live", action="store_true", help="only the default plan through a live server (issue 19)")
    ap.add_argument("--cold", action="store_true", help="only cold start (with --baseline, interleaved)")
    ap.add_argument("--baseline", help="with --live or --cold: a git revision served alongside, for ratios")
    args = ap.parse_args()

    config = load_city("porto-alegre")
    folder = find_build(config)
    if folder is None:
        print("Porto Alegre is not built: run `greenroute build porto-alegre`", file=sys.stderr)
        return 2
    if args.cold:
        feeds = [dict(f) for f in Timetable.load(Path(folder) / "transit").feeds]
        trip = random_trips(folder, n=1, seed=SEED, days=feed_days(feeds))[0]
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        _cold(trip.query(), runs=max(1, args.cold_runs), baseline=args.baseline)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return 0
    if args.live:
        feeds = [dict(f) for f in Timetable.load(Path(folder) / "transit").feeds]
        n = args.trips if args.trips != 1000 else 300
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        _live(random_trips(folder, n=n, seed=SEED, days=feed_days(feeds)), baseline=args.baseline)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return 0
    t0 = time.perf_counter()
    planner = Planner(Path(folder), config)
    planner.warm_up()
    print(f"Porto Alegre ({folder.name}): planner loaded and warmed in {time.perf_counter() - t0:.2f} s (this process)")
    days = feed_days(planner.data_versions()["gtfs"])
    trips = random_trips(folder, n=args.trips, seed=SEED, days=days)
    for trip in random_trips(folder, n=30, seed=SEED + 1, days=days):  # warm caches and JIT paths
        with contextlib.suppress(GreenrouteError):
            planner.plan(plan_request(MultiDict(parse_qsl(trip.query())), tz=planner.tz))
    print(
        f"{len(trips)} trips, seed {SEED}, weekdays {days[0]} to {days[1]}, 06:00-22:00, modes walk,bike,transit,drive"
    )

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other processes slow wall times)")
    _in_process(planner, trips)
    p50, p99 = _through_flask(trips)
    print(
        f"  target p50 <= {P50_TARGET_MS:.0f} ms: {'met' if p50 * 1000 <= P50_TARGET_MS else 'MISSED'};"
        f" p99 <= {P99_TARGET_MS:.0f} ms: {'met' if p99 * 1000 <= P99_TARGET_MS else 'MISSED'}"
    )

    print(f"load average: {os.getloadavg()[0]:.2f}")
    if args.cold_runs <= 0:
        return 0
    colds = [cold_start_s(trips[0].query()) for _ in range(args.cold_runs)]
    print(
        "\ncold start (greenroute serve --workers 1, process start to first /api/plan answer): "
        + ", ".join(f"{c:.2f} s" for c in colds)
    )
    best = statistics.median(colds)
    print(f"  median {best:.2f} s; target <= {COLD_TARGET_S:.0f} s: {'met' if best <= COLD_TARGET_S else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
