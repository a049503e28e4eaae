"""``greenroute build``: compile a seeded city, or create (or update) a city's seeds from files first.

Bad input ends with a readable message and exit status 2, never a traceback, and leaves nothing
behind: the compiled city is written to a temporary folder first (see :mod:`routing.build.pipeline`), and
seeds this command created for a city whose build then failed are removed again, and seeds it
updated are put back as they were.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from cli.inputs import check_dem, check_gtfs, check_osm
from routing.build.pipeline import build_city
from routing.core.city import CityConfig, city_from_toml, load_city, validate_city_name, validate_timezone
from routing.core.errors import BuildError, GreenrouteError
from routing.core.graphs import REPORT, find_build
from routing.core.home import seeds_dir
from routing.transit.feed_timezone import timezone_from_feeds


def run_build(args: argparse.Namespace) -> int:
    """Run ``greenroute build``; return the exit status."""
    undo = _Undo()
    notes: list[str] = []
    try:
        if args.name or args.osm or args.gtfs or args.dem:
            city = _seeds_from_args(args, undo, notes)
            for note in notes:
                if not args.quiet:
                    print(note, file=sys.stderr)
        else:
            from webapp.runtime import default_city_name

            city = load_city(args.city or default_city_name())
        existing = find_build(city)
        if existing is not None and not args.force:
            undo.forget()
            print(f"{city.name} is up to date: {existing} (inputs unchanged; --force rebuilds)")
            return 0
        folder = build_city(city, force=args.force, progress=not args.quiet, notes=notes)
        undo.forget()
    except GreenrouteError as exc:
        undo.run()
        print(f"greenroute build: {exc.message}", file=sys.stderr)
        for note in getattr(exc, "__notes__", []):
            print(f"  {note}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        undo.run()
        raise
    except Exception as exc:  # noqa: BLE001 - a build must end with a message, not a traceback
        undo.run()
        if os.environ.get("GREENROUTE_DEBUG"):
            raise
        print(
            f"greenroute build: failed ({type(exc).__name__}: {exc}); nothing was written. "
            "Set GREENROUTE_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return 1
    report = json.loads((folder / REPORT).read_text(encoding="utf-8"))
    print(format_report(report, folder))
    return 0


class _Undo:
    """What to do to the seeds if the build fails: remove a new city, or put back the previous seeds."""

    def __init__(self) -> None:
        self.created: Path | None = None
        self.previous: tuple[Path, Path] | None = None  # (seeds folder, its previous content)

    def run(self) -> None:
        if self.created is not None:
            shutil.rmtree(self.created, ignore_errors=True)
        if self.previous is not None:
            folder, backup = self.previous
            shutil.rmtree(folder, ignore_errors=True)
            backup.rename(folder)
        self.created = self.previous = None

    def forget(self) -> None:
        if self.previous is not None:
            shutil.rmtree(self.previous[1], ignore_errors=True)
        self.created = self.previous = None


def _seeds_from_args(args: argparse.Namespace, undo: _Undo, notes: list[str]) -> CityConfig:
    """Write or update ``seeds/<name>/`` from the given files (recording in ``undo`` how to revert).

    ``notes`` receives what the build report should say about choices made here (the time zone
    taken from the feeds).
    """
    if not args.name:
        raise BuildError(
            "--name is required with --osm/--gtfs/--dem: name the city, e.g. --name sao-paulo", argument="name"
        )
    if args.city:
        raise BuildError("give either a seeded city or --name, not both", argument="name")
    name = validate_city_name(args.name)
    folder = seeds_dir() / name
    toml_path = folder / "city.toml"
    doc: dict[str, Any] = {}
    if toml_path.is_file():
        city_from_toml(toml_path)  # an existing city.toml must be valid before we change it
        doc = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    elif not args.osm:
        raise BuildError(f"--osm is required to create city {name!r} (no {toml_path})", argument="osm")
    if args.timezone is not None:
        doc["timezone"] = validate_timezone(args.timezone)
    if args.factors:
        _check_factors(args.factors)
        doc["factors"] = args.factors
    osm = Path(args.osm) if args.osm else None
    gtfs = [Path(g) for g in args.gtfs]
    dem = Path(args.dem) if args.dem else None
    if osm is not None:
        check_osm(osm)
    for g in gtfs:
        check_gtfs(g)
    if dem is not None:
        check_dem(dem)
    if "timezone" not in doc:
        # Every GTFS feed states its agencies' time zone; a new city takes it unless told otherwise.
        doc["timezone"], source = timezone_from_feeds(gtfs)
        notes.append(f"time zone {doc['timezone']}, from {source} (--timezone sets another)")
    if toml_path.is_file() and osm is None and not gtfs and dem is None and not args.timezone and not args.factors:
        return load_city(name)
    new = not folder.exists()
    backup = _write_seeds(folder, doc, name=name, osm=osm, gtfs=gtfs, dem=dem)
    if new:
        undo.created = folder
    elif backup is not None:
        undo.previous = (folder, backup)
    return load_city(name)


def _write_seeds(
    folder: Path, doc: dict[str, Any], *, name: str, osm: Path | None, gtfs: list[Path], dem: Path | None
) -> Path | None:
    """Write the seeds in a temporary folder and swap it in; return where the previous seeds were moved."""
    tmp = folder.with_name(f".{name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        if folder.is_dir():
            shutil.copytree(folder, tmp)
        else:
            tmp.mkdir(parents=True)
        old_files: dict[str, Any] = dict(doc.get("files") or {})
        files = dict(old_files)
        if osm is not None:
            files["osm"] = _copy(osm, tmp)
        if gtfs:
            files["gtfs"] = [_copy(g, tmp) for g in gtfs]
        if dem is not None:
            files["dem"] = _copy(dem, tmp)
        doc = {"name": name, "title": name.replace("-", " ").title(), "factors": "desnz-2025", **doc, "files": files}
        _drop_unlisted(tmp, old=old_files, new=files)
        (tmp / "city.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
        if not (tmp / "SOURCES.md").is_file():
            (tmp / "SOURCES.md").write_text(
                f"# {name} seeds\n\nCreated by `greenroute build --name {name}`. The OSM data is © OpenStreetMap "
                "contributors, ODbL 1.0. Add each GTFS feed's publisher and licence here.\n",
                encoding="utf-8",
            )
        city_from_toml(tmp / "city.toml")
        old = folder.with_name(f".{name}.previous-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        had_old = folder.exists()
        if had_old:
            folder.rename(old)
        tmp.rename(folder)
        return old if had_old else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _drop_unlisted(folder: Path, *, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Delete the input files the previous city.toml listed and the new one no longer does."""

    def listed(files: dict[str, Any]) -> set[str]:
        out: set[str] = set()
        for value in files.values():
            out.update([value] if isinstance(value, str) else [str(v) for v in value])
        return out

    for stale in listed(old) - listed(new):
        (folder / stale).unlink(missing_ok=True)


def _check_factors(name: str) -> None:
    from routing.emissions import list_packs

    names = [str(p["name"]) for p in list_packs()]
    if name not in names:
        raise BuildError(f"no emission-factor pack {name!r} (available: {', '.join(names)})", argument="factors")


def _copy(src: Path, folder: Path) -> str:
    if (folder / src.name).resolve() != src.resolve():
        shutil.copy2(src, folder / src.name)
    return src.name


def _component_lines(counts: dict[str, Any]) -> list[str]:
    """Per mode: the street components kept (nodes, bounding box) and the islands dropped."""
    lines = []
    for mode in ("walk", "bike", "drive"):
        comps = counts.get(f"street_{mode}_components")
        if not isinstance(comps, dict):
            continue
        kept = comps.get("kept", [])
        shown = "; ".join(f"{c['nodes']} nodes in {c['bbox']}" for c in kept[:3])
        more = f" and {len(kept) - 3} more" if len(kept) > 3 else ""
        lines.append(
            f"  {mode} components: {len(kept)} kept ({shown}{more}), {comps.get('dropped_count', 0)} dropped "
            f"({comps.get('dropped_nodes', 0)} nodes)"
        )
    return lines


def format_report(report: dict[str, Any], folder: Path) -> str:
    """The build report as text: counts, skipped rows, feed dates, time per step, peak memory."""
    counts: dict[str, Any] = report.get("counts", {})
    lines = [f"built {report['city']} in {folder}"]
    nodes = ", ".join(f"{m} {counts.get(f'street_{m}_nodes', '?')}" for m in ("walk", "bike", "drive"))
    edges = ", ".join(f"{m} {counts.get(f'street_{m}_edges', '?')}" for m in ("walk", "bike", "drive"))
    lines.append(f"  OSM: {counts.get('osm_highway_ways', '?')} highway ways, {counts.get('osm_nodes', '?')} nodes")
    lines.append(f"  street nodes: {nodes}; edges: {edges}")
    lines += _component_lines(counts)
    if "transit_stops" in counts:
        lines.append(
            f"  transit: {counts['transit_stops']} stops ({counts.get('transit_stops_outside_streets', 0)} outside "
            f"the street area), {counts.get('transit_routes')} routes, {counts.get('transit_trips')} trips, "
            f"{counts.get('transit_footpaths')} footpaths"
        )
    for key in sorted(k for k in counts if k.endswith("_valid_from")):
        feed = key.removeprefix("transit_").removesuffix("_valid_from")
        encoding = counts.get(f"transit_{feed}_encoding")
        read_as = f", read as {encoding}" if encoding else ""
        lines.append(f"  feed {feed}: valid {counts[key]} to {counts.get(f'transit_{feed}_valid_until')}{read_as}")
    for key in ("places_streets", "places_stops", "basemap_gzip_bytes"):
        if key in counts:
            lines.append(f"  {key}: {counts[key]}")
    for reason, n in report.get("skipped", {}).items():
        lines.append(f"  skipped {n}: {reason}")
    for note in report.get("notes", []):
        lines.append(f"  note: {note}")
    steps: dict[str, float] = report.get("steps_s", {})
    order = [k for k in report.get("step_order", []) if k in steps] or list(steps)
    lines.append("  time per step: " + ", ".join(f"{k} {steps[k]:.1f} s" for k in order))
    lines.append(
        f"  total {counts.get('build_seconds')} s, peak memory {report.get('peak_memory_mib')} MiB; "
        f"full report: {folder / REPORT}"
    )
    return "\n".join(lines)
