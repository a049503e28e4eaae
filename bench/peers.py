"""Street routing side by side: greenroute, OSRM and Valhalla on the same extract and pairs.

Builds greenroute (``graphs/``), OSRM (MLD, per profile) and Valhalla (tiles) from one
``.osm.pbf``, draws ``--pairs`` seeded random origin/destination pairs per mode among the nodes of
every highway way greenroute reads for that mode (kept components and dropped islands alike, so the
draw does not favour greenroute), and sends each pair to the three engines. Prints per mode:

- latency p50/p99 (greenroute: snapping, search, geometry and steps in-process; OSRM: loopback HTTP
  to ``osrm-routed``; Valhalla: in-process ``Actor.route``);
- greenroute / peer distance and duration ratios (median, p10, p90) over the pairs both route;
- the referees against each other: OSRM / Valhalla distance, and of the pairs where greenroute
  drives over 1.05 × OSRM's distance, how many Valhalla drives within 2 % of greenroute's;
- the share of pairs one engine routes and another does not.

All three snap a point only to a street within ``--snap-m`` (default 500 m, greenroute's radius;
OSRM's ``radiuses``, Valhalla's ``search_cutoff``): unlimited, OSRM and Valhalla snap a point amid
an island of a few footways to a network kilometres away, which is a "route" greenroute refuses.
``--snap-m 0`` lifts the limit for the peers.

Usage::

    python bench/peers.py --osm ../shared/data/peers/liechtenstein.osm.pbf
    python bench/peers.py --city porto-alegre --pairs 500 --misses 5

Peer engines are downloaded and built under ``--cache`` (default ``/work/peer-cache``, outside the
repository), reused while complete; see bench/peer_engines.py.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from peer_engines import Answer, Osrm, Valhalla, sorted_extract, valhalla_route
from trips import ROOT

from routing.build.pipeline import build_city
from routing.core.city import load_city
from routing.core.errors import GreenrouteError
from routing.core.geo import haversine_m
from routing.core.graphs import BUILD_FORMAT, file_sha256
from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets
from routing.street.route import MAX_SNAP_M, route_points

MODES = ("drive", "walk", "bike")
DEFAULT_CACHE = Path("/work/peer-cache")
_DONE = ".complete"  # written once the street graphs are complete
Pair = tuple[tuple[float, float], tuple[float, float]]
# The referee split: the p90 bound on distance against OSRM, and a margin of agreement.
LONGER_THAN_OSRM = 1.05
NEAR_OURS = 0.02


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def _streets(args: argparse.Namespace) -> tuple[Path, Path, str]:
    """(OSM file, compiled folder holding ``street/``, extract name) of the city or extract asked for."""
    if args.city:
        city = load_city(args.city)
        return city.osm, build_city(city, progress=False), args.city
    name = args.name or Path(args.osm).name.split(".")[0].lower()
    osm = sorted_extract(Path(args.osm).resolve(), args.cache)
    # Only the street graphs (no DEM, as the peers have none): a whole city build also needs the
    # base map, whose reader refuses extracts whose ids are not sorted (Columbus's).
    folder = ROOT / "graphs" / f"peers-{name}-{file_sha256(osm)[:16]}-f{BUILD_FORMAT}"
    if not (folder / "street" / _DONE).is_file():
        compile_streets(read_streets(osm), folder, elevation=None)
        (folder / "street" / _DONE).touch()
    return osm, folder, name


def _pairs(g: StreetGraph, n: int, seed: int) -> list[Pair]:
    rng = random.Random(f"{seed}-{g.mode}")
    lat, lon = np.asarray(g.node_lat), np.asarray(g.node_lon)
    out: list[Pair] = []
    while len(out) < n:
        a, b = rng.randrange(g.node_count), rng.randrange(g.node_count)
        if a != b:
            out.append(((float(lat[a]), float(lon[a])), (float(lat[b]), float(lon[b]))))
    return out


def _greenroute(g: StreetGraph, a: tuple[float, float], b: tuple[float, float]) -> tuple[Answer, str]:
    t0 = time.perf_counter()
    try:
        r = route_points(g, a, b)
    except GreenrouteError as exc:
        return Answer(None, None, time.perf_counter() - t0), exc.code
    return Answer(r.distance_m, r.duration_s, time.perf_counter() - t0), ""


def _ratios(ours: list[Answer], theirs: list[Answer], field: str) -> str:
    vals = [
        getattr(o, field) / getattr(t, field)
        for o, t in zip(ours, theirs, strict=True)
        if o.distance_m is not None and t.distance_m is not None and getattr(t, field) > 0
    ]
    if not vals:
        return "–"
    return f"{statistics.median(vals):.3f} [{_pct(vals, 10):.3f}, {_pct(vals, 90):.3f}]"


def _split(ours: list[Answer], osrm: list[Answer], val: list[Answer]) -> str:
    """Of the pairs where greenroute drives over ``LONGER_THAN_OSRM`` × OSRM's distance, how many
    Valhalla drives within ``NEAR_OURS`` of greenroute's: where the two referees disagree with each
    other, not with us."""
    far = [
        (o.distance_m, v.distance_m)
        for o, r, v in zip(ours, osrm, val, strict=True)
        if o.distance_m and r.distance_m and v.distance_m and o.distance_m > LONGER_THAN_OSRM * r.distance_m
    ]
    near = sum(abs(v / o - 1.0) <= NEAR_OURS for o, v in far)
    return f"{near} of {len(far)}"


def _only(a: list[Answer], b: list[Answer]) -> float:
    """Share of pairs ``b`` routes and ``a`` does not, in %."""
    return 100.0 * sum(x.distance_m is None and y.distance_m is not None for x, y in zip(a, b, strict=True)) / len(a)


def _print_worst(
    mode: str, pairs: list[Pair], ours: list[Answer], osrm: list[Answer], val: list[Answer], n: int
) -> None:
    """Print the ``n`` pairs whose greenroute / OSRM distance ratio is highest (to trace detours)."""
    scored = [
        (o.distance_m / r.distance_m, i)
        for i, (o, r) in enumerate(zip(ours, osrm, strict=True))
        if o.distance_m is not None and r.distance_m
    ]
    for ratio, i in sorted(scored, reverse=True)[:n]:
        (a, b), v = pairs[i], val[i]
        print(
            f"  worst {mode}: {a[0]:.6f},{a[1]:.6f} -> {b[0]:.6f},{b[1]:.6f}: {ratio:.3f} "
            f"(greenroute {ours[i].distance_m:.0f} m, OSRM {osrm[i].distance_m:.0f} m, Valhalla {v.distance_m})"
        )


def _latency(xs: list[Answer]) -> str:
    ms = [x.seconds * 1000.0 for x in xs]
    return f"{statistics.median(ms):.2f} / {_pct(ms, 99):.2f}"


def _run_mode(
    mode: str,
    g: StreetGraph,
    pairs: list[Pair],
    osrm_route: Callable[[tuple[float, float], tuple[float, float]], Answer],
    valhalla: Callable[[tuple[float, float], tuple[float, float]], Answer],
    misses: int,
    worst: int = 0,
) -> dict[str, str]:
    ours: list[Answer] = []
    codes: list[str] = []
    for a, b in pairs:
        ans, code = _greenroute(g, a, b)
        ours.append(ans)
        codes.append(code)
    osrm = [osrm_route(a, b) for a, b in pairs]
    val = [valhalla(a, b) for a, b in pairs]
    shown = 0
    for (a, b), o, r, v, code in zip(pairs, ours, osrm, val, codes, strict=True):
        if shown < misses and o.distance_m is None and (r.distance_m is not None or v.distance_m is not None):
            straight = haversine_m(a[0], a[1], b[0], b[1])
            print(
                f"  miss {mode}: {a[0]:.6f},{a[1]:.6f} -> {b[0]:.6f},{b[1]:.6f} ({straight:.0f} m apart): "
                f"greenroute {code}; OSRM {r.distance_m}; Valhalla {v.distance_m}"
            )
            shown += 1
    _print_worst(mode, pairs, ours, osrm, val, worst)
    return {
        "mode": mode,
        "latency": f"{_latency(ours)} · {_latency(osrm)} · {_latency(val)}",
        "osrm": f"{_ratios(ours, osrm, 'distance_m')} · {_ratios(ours, osrm, 'duration_s')}",
        "valhalla": f"{_ratios(ours, val, 'distance_m')} · {_ratios(ours, val, 'duration_s')}",
        "peers": f"{_ratios(osrm, val, 'distance_m')} · {_split(ours, osrm, val)}",
        "missing": f"{_only(ours, osrm):.1f} % · {_only(ours, val):.1f} % · {_only(osrm, ours):.1f} % · "
        f"{_only(val, ours):.1f} %",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--city", help="a seeded city (seeds/<city>)")
    src.add_argument("--osm", help="an .osm.pbf extract")
    ap.add_argument("--name", help="extract name for the caches (default: the file name)")
    ap.add_argument("--pairs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--misses", type=int, default=0, help="print this many pairs per mode a peer routes and we do not")
    ap.add_argument("--worst", type=int, default=0, help="print this many pairs with the highest distance ratio")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--snap-m", type=float, default=MAX_SNAP_M, help="peers' snap radius (0: unlimited)")
    args = ap.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    if bad := [m for m in modes if m not in MODES]:
        ap.error(f"unknown mode(s) {', '.join(bad)}: use {', '.join(MODES)}")
    t0 = time.perf_counter()
    osm, folder, extract = _streets(args)
    print(f"{extract}: greenroute streets {time.perf_counter() - t0:.1f} s ({folder.name})")
    valhalla = Valhalla(args.cache)
    config, seconds = valhalla.build(osm, extract)
    print(f"{extract}: Valhalla {valhalla.build_pkg.name} tiles {seconds:.1f} s" + (" (reused)" if not seconds else ""))
    actor = valhalla.actor(config)
    osrm = Osrm(args.cache)
    rows = []
    for mode in modes:
        base, seconds = osrm.build(osm, extract, mode)
        print(f"{extract}: OSRM {mode} build {seconds:.1f} s" + (" (reused)" if not seconds else ""))
        g = StreetGraph.load(folder / "street", mode)
        pairs = _pairs(g, args.pairs, args.seed)
        _greenroute(g, *pairs[0])  # builds the snap index and warms the CCH: not a query's cost
        with osrm.serve(base) as client:
            snap_m = args.snap_m or None
            osrm_route = partial(client.route, snap_m=snap_m)
            val_route = partial(valhalla_route, actor, mode, snap_m=snap_m)
            rows.append(_run_mode(mode, g, pairs, osrm_route, val_route, args.misses, args.worst))
    radius = f"peers snap within {args.snap_m:.0f} m" if args.snap_m else "peers snap at any distance"
    print(f"\n{extract}, {args.pairs} pairs per mode (seed {args.seed}; {radius})")
    print(
        "| mode | latency p50 / p99 ms: greenroute · OSRM · Valhalla | vs OSRM: distance · duration |"
        " vs Valhalla: distance · duration | OSRM vs Valhalla: distance · of the pairs over"
        f" {LONGER_THAN_OSRM} × OSRM, Valhalla within {NEAR_OURS * 100:.0f} % of greenroute |"
        " missing: OSRM-only · Valhalla-only · greenroute-only vs OSRM ·"
        " vs Valhalla |"
    )
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['mode']} | {r['latency']} | {r['osrm']} | {r['valhalla']} | {r['peers']} | {r['missing']} |")


if __name__ == "__main__":
    main()
