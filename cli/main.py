"""The ``greenroute`` command: build, serve, plan, cities, factors."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from routing.core.errors import GreenrouteError


def _add_city(p: argparse.ArgumentParser) -> None:
    p.add_argument("--city", default=os.environ.get("GREENROUTE_CITY"), help="city name (default: porto-alegre)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="greenroute", description="Compare walking, cycling, transit and driving.")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="compile a city from its seeds (or from files, creating its seeds)")
    b.add_argument("city", nargs="?", help="a seeded city (seeds/<city>/city.toml)")
    b.add_argument("--name", help="name of a new city to create from --osm/--gtfs")
    b.add_argument("--osm", help="OSM extract (.osm.pbf, .osm or .osm.bz2)")
    b.add_argument("--gtfs", action="append", default=[], help="a GTFS zip (repeat for several feeds)")
    b.add_argument("--dem", help="elevation GeoTIFF in EPSG:4326")
    b.add_argument("--factors", help="default emission-factor pack (e.g. desnz-2025)")
    b.add_argument(
        "--timezone", help="IANA time zone, e.g. America/Sao_Paulo (default: the agency_timezone the feeds state)"
    )
    b.add_argument("--force", action="store_true", help="rebuild even when the inputs did not change")
    b.add_argument("--quiet", action="store_true", help="no progress bars")

    s = sub.add_parser("serve", help="serve the web app and API with a production WSGI server")
    _add_city(s)
    # Defaults come from GREENROUTE_HOST/PORT/WORKERS/THREADS or instance/config.py (see webapp.serve).
    s.add_argument("--host", help="bind address (default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default 8000)")
    s.add_argument("--workers", type=int, help="worker processes (default 1); the city is loaded before they fork")
    s.add_argument("--threads", type=int, help="threads per worker (default 4)")

    pl = sub.add_parser("plan", help="plan one trip and print every mode side by side")
    _add_city(pl)
    pl.add_argument("--from", dest="origin", required=True, help="LAT,LON")
    pl.add_argument("--to", dest="destination", required=True, help="LAT,LON")
    pl.add_argument("--modes", help="comma-separated: walk,bike,transit,drive (default all)")
    pl.add_argument("--at", help="ISO-8601 local date-time (default now)")
    pl.add_argument("--arrive-by", action="store_true", help="--at is the arrival time")
    pl.add_argument("--window", help="range query: minutes of departures after --at")
    pl.add_argument("--max-walk-m", help="longest walk to, from and between stops")
    pl.add_argument("--exclude-route-types", help="GTFS route types not to ride, e.g. 3 for buses")
    pl.add_argument("--car", help="FUEL-SIZE, e.g. diesel-large or electric")
    pl.add_argument("--occupancy", help="people in the car (1-9)")
    pl.add_argument("--pack", help="emission-factor pack")
    pl.add_argument(
        "--wheelchair",
        action="store_true",
        help="step-free journeys: no steps, raised kerbs or slopes over 1:12; no trip or stop stated inaccessible",
    )
    pl.add_argument("--json", action="store_true", help="print the same JSON answer as /api/plan")

    sub.add_parser("cities", help="list the seeded cities and their builds")
    f = sub.add_parser("factors", help="list the emission-factor packs and their sources")
    f.add_argument("--json", action="store_true")
    return parser


def _glue_coordinates(argv: list[str]) -> list[str]:
    """``--from -30.1,-51.2`` → ``--from=-30.1,-51.2``: argparse takes a leading '-' for an option."""
    out: list[str] = []
    it = iter(range(len(argv)))
    for i in it:
        if argv[i] in ("--from", "--to") and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            out.append(f"{argv[i]}={argv[i + 1]}")
            next(it, None)
        else:
            out.append(argv[i])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(_glue_coordinates(list(sys.argv[1:] if argv is None else argv)))
    from webapp.settings import SettingError, check_paths, from_env, validate

    try:
        check_paths()
        validate(from_env())  # a bad GREENROUTE_* value stops every command, not only serve
    except SettingError as exc:
        print(f"greenroute {args.command}: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "build":
            from cli.build import run_build

            return run_build(args)
        if args.command == "serve":
            from webapp.serve import serve

            return serve(city=args.city, host=args.host, port=args.port, workers=args.workers, threads=args.threads)
        if args.command == "plan":
            return _plan(args)
        if args.command == "cities":
            return _cities()
        if args.command == "factors":
            return _factors(json_out=args.json)
    except GreenrouteError as exc:
        print(f"greenroute {args.command}: {exc.message}", file=sys.stderr)
        return 2
    except SettingError as exc:  # a bad value in instance/config.py, found when the app is created
        print(f"greenroute {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 1


def _plan(args: argparse.Namespace) -> int:
    from routing.plan.answer_json import answer_json
    from routing.plan.planner import Planner
    from webapp.jsonfast import plain_default
    from webapp.plan_cursor import page_cursors
    from webapp.plan_text import plan_request_from_text
    from webapp.runtime import default_city_name, ensure_built

    city = ensure_built(args.city or default_city_name())
    planner = Planner(city.folder, city.config)
    texts = {
        "modes": args.modes,
        "at": args.at,
        "window": args.window,
        "max_walk_m": args.max_walk_m,
        "exclude_route_types": args.exclude_route_types,
        "car": args.car,
        "occupancy": args.occupancy,
        "pack": args.pack,
        "wheelchair": "true" if args.wheelchair else None,
    }
    req = plan_request_from_text(
        origin=args.origin, destination=args.destination, tz=planner.tz, arrive_by=args.arrive_by, **texts
    )
    answer = answer_json(planner.plan(req))
    # The cursors hold the request as /api/plan's query string would give it.
    query = {"from": args.origin, "to": args.destination, **texts, "arrive_by": "true" if args.arrive_by else None}
    page = page_cursors(answer, {k: v for k, v in query.items() if v is not None})
    if page is not None:
        answer["page"] = page  # as /api/plan gives it
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=2, default=plain_default))
    else:
        print(format_answer(answer))
    return 0


def _fmt_duration(seconds: float) -> str:
    m = int(round(seconds / 60))
    return f"{m // 60} h {m % 60:02d} min" if m >= 60 else f"{m} min"


def _fmt_time(iso: str, asked: str) -> str:
    """``HH:MM``, with the day in front when it is not the day asked for (``Mon 28 Nov 07:49``)."""
    from datetime import datetime

    from routing.plan.transit_when import day_label

    when = datetime.fromisoformat(iso)
    if iso[:10] == asked[:10]:
        return iso[11:16]
    day, num, month = day_label(when.date()).split()
    return f"{day[:3]} {num} {month} {iso[11:16]}"


def format_answer(answer: dict[str, Any]) -> str:
    """The plan as a table, one row per option, in the answer's fixed mode order.

    Transit options show their wait from the requested time (``wait_s``); a time on another day
    than the one asked for carries its date.
    """
    header = ("option", "duration", "depart", "wait", "arrive", "distance", "climb", "CO2e", "transfers")
    rows = [header]
    asked = str(answer.get("request", {}).get("at", ""))
    for o in answer["options"]:
        co2 = "n/a" if o.get("co2e_g") is None else f"{o['co2e_g']:.0f} g"
        rows.append(
            (
                o["id"],
                _fmt_duration(o["duration_s"]),
                _fmt_time(o["departure"], asked),
                _fmt_duration(o["wait_s"]) if "wait_s" in o else "",
                _fmt_time(o["arrival"], asked),
                f"{o['distance_m'] / 1000:.2f} km",
                f"{o.get('elevation_gain_m', 0):.0f} m",
                co2,
                str(o.get("transfers", 0)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    for mode, err in answer.get("errors", {}).items():
        lines.append(f"{mode}: {err['message']}")
    for n in answer.get("notices", []):
        lines.append(f"note: {n['message']}")
    for o in answer["options"]:  # per leg: a ride whose accessibility the operator does not state
        for leg in o["legs"]:
            for n in leg.get("notices", []):
                lines.append(f"{o['id']}: {leg.get('route', {}).get('short_name') or leg['mode']}: {n['message']}")
    f = answer["data"].get("factors", {})
    lines.append(f"CO2e from factor pack {f.get('pack')} ({f.get('scope')}); OSM {answer['data']['osm']['file']}")
    return "\n".join(lines)


def _cities() -> int:
    """Print every seeded city, its current (or latest, stale) build and that build's data versions."""
    from routing.core.city import list_cities, load_city
    from routing.core.graphs import find_build, latest_build

    names = list_cities()
    if not names:
        print("no seeded city: create one with `greenroute build --name NAME --osm FILE --gtfs FILE [--timezone TZ]`")
    for name in names:
        try:
            cfg = load_city(name)
        except GreenrouteError as exc:
            print(f"{name}: invalid city.toml: {exc.message}")
            continue
        current = find_build(cfg)
        latest = current or latest_build(name)
        if latest is None:
            print(f"{name}: not built (run `greenroute build {name}`)")
            continue
        manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
        state = "built" if current else "stale (inputs changed; rebuild)"
        inputs = manifest["inputs"]
        print(f"{name}: {state} {manifest['built_at']} in {latest.name}")
        print(f"  osm {inputs['osm']['file']} sha256 {inputs['osm']['sha256'][:12]}")
        valid = _feed_dates(latest)
        for g in inputs["gtfs"]:
            print(f"  gtfs {g['file']} sha256 {g['sha256'][:12]}{valid.get(g['file'], '')}")
        if inputs.get("dem"):
            print(f"  dem {inputs['dem']['file']} sha256 {inputs['dem']['sha256'][:12]}")
    return 0


def _feed_dates(folder: Any) -> dict[str, str]:
    """Each feed file's validity dates, from the compiled timetable (empty when there is none)."""
    path = folder / "transit" / "meta.json"
    if not path.is_file():
        return {}
    feeds = json.loads(path.read_text(encoding="utf-8")).get("feeds", [])
    return {f["file"]: f", valid {f.get('start')} to {f.get('end')}" for f in feeds}


def _factors(*, json_out: bool) -> int:
    from routing.emissions import list_packs

    packs = list_packs()
    if json_out:
        print(json.dumps({"packs": packs}, ensure_ascii=False, indent=2))
        return 0
    for p in packs:
        print(f"{p['name']} ({p.get('version', '')}): {p.get('title', '')}")
        print(f"  scope {p.get('scope')}, region {p.get('region')}, year {p.get('year')}")
        for src in p.get("sources", []):
            print(f"  source: {src if isinstance(src, str) else json.dumps(src, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
