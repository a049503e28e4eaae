"""``greenroute build``: compile a seeded city, or create a city's seeds from files first."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import tomli_w

from routing.build import build_city
from routing.city import city_from_toml, load_city, validate_city_name, validate_timezone
from routing.errors import BuildError
from routing.home import seeds_dir
from routing.street.osm import check_osm_file


def run_build(args: argparse.Namespace) -> int:
    if args.name or args.osm:
        city = _create_seeds(args)
    else:
        from webapp.runtime import default_city_name

        city = load_city(args.city or default_city_name())
    folder = build_city(city, force=args.force, progress=not args.quiet)
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    _print_report(report, folder)
    return 0


def _create_seeds(args: argparse.Namespace) -> object:
    """Write ``seeds/<name>/`` (copies of the inputs and a city.toml), or reuse an existing one."""
    if not args.name:
        raise BuildError("--name is required with --osm: name the new city, e.g. --name sao-paulo", argument="name")
    name = validate_city_name(args.name)
    folder = seeds_dir() / name
    if (folder / "city.toml").is_file() and not args.osm:
        return load_city(name)
    if not args.osm:
        raise BuildError(f"--osm is required to create city {name!r}", argument="osm")
    if not args.timezone:
        raise BuildError(
            "--timezone is required for a new city, e.g. --timezone America/Sao_Paulo", argument="timezone"
        )
    validate_timezone(args.timezone)
    osm = Path(args.osm)
    check_osm_file(osm)
    gtfs = [Path(g) for g in args.gtfs]
    for g in gtfs:
        _check_zip(g)
    dem = Path(args.dem) if args.dem else None
    if dem is not None and not dem.is_file():
        raise BuildError(f"DEM file {dem} does not exist", argument="dem")
    tmp = folder.with_name(f".{name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        files: dict[str, object] = {"osm": _copy(osm, tmp), "gtfs": [_copy(g, tmp) for g in gtfs]}
        if dem is not None:
            files["dem"] = _copy(dem, tmp)
        doc = {
            "name": name,
            "title": name.replace("-", " ").title(),
            "timezone": args.timezone,
            "factors": args.factors or "desnz-2025",
            "files": files,
        }
        (tmp / "city.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
        (tmp / "SOURCES.md").write_text(
            f"# {name} seeds\n\nCreated by `greenroute build --name {name}`. The OSM data is © OpenStreetMap "
            "contributors, ODbL 1.0. Add each GTFS feed's publisher and licence here.\n",
            encoding="utf-8",
        )
        config = city_from_toml(tmp / "city.toml")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return load_city(config.name)


def _check_zip(path: Path) -> None:
    import zipfile

    if not path.is_file():
        raise BuildError(f"GTFS file {path} does not exist", argument="gtfs")
    if not zipfile.is_zipfile(path):
        raise BuildError(f"{path.name}: not a zip file (a GTFS feed is a .zip of .txt files)", argument="gtfs")


def _copy(src: Path, folder: Path) -> str:
    shutil.copy2(src, folder / src.name)
    return src.name


def _print_report(report: dict[str, object], folder: Path) -> None:
    out = sys.stdout
    print(f"built {report['city']} in {folder}", file=out)
    counts = report.get("counts", {})
    assert isinstance(counts, dict)
    for key in sorted(counts):
        print(f"  {key}: {counts[key]}", file=out)
    skipped = report.get("skipped", {})
    assert isinstance(skipped, dict)
    for reason, n in skipped.items():
        print(f"  skipped {n}: {reason}", file=out)
    steps = report.get("steps_s", {})
    assert isinstance(steps, dict)
    print("  time per step: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()), file=out)
    print(f"  peak memory: {report.get('peak_memory_mib')} MiB; report saved as {folder / 'report.json'}", file=out)
