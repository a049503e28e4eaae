"""Rebuilds: unchanged inputs are a no-op, a changed feed rebuilds only what reads it; builds are deterministic."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from routing.build.pipeline import build_city
from routing.core.city import load_city
from tests.selfhost.helpers import cli, compiled_files, geotiff, rezip

TZ = "America/Los_Angeles"


def _build_beatty(capsys: pytest.CaptureFixture[str], inputs: Path, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "build", "--quiet", "--name", "beatty", "--timezone", TZ, *extra)


def _only_build(home: Path) -> Path:
    (folder,) = [p for p in (home / "graphs").iterdir() if p.name.startswith("beatty-")]
    return folder


def test_unchanged_inputs_are_a_no_op(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    osm, feed = str(inputs / "beatty.osm"), str(inputs / "sample-feed.zip")
    rc, out, err = _build_beatty(capsys, inputs, "--osm", osm, "--gtfs", feed)
    assert rc == 0, err
    folder = _only_build(home)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    rc, out, err = cli(capsys, "build", "beatty")
    assert rc == 0 and "beatty is up to date" in out and err == ""
    # Giving the same files again through --name is a no-op too: same content, same build.
    rc, out, _ = _build_beatty(capsys, inputs, "--osm", osm, "--gtfs", feed)
    assert rc == 0 and "beatty is up to date" in out
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    assert _only_build(home) == folder


def test_changed_feed_rebuilds_only_what_reads_it(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _build_beatty(
        capsys, inputs, "--osm", str(inputs / "beatty.osm"), "--gtfs", str(inputs / "sample-feed.zip")
    )
    assert rc == 0, err
    first = _only_build(home)
    first_report = json.loads((first / "report.json").read_text())

    with zipfile.ZipFile(inputs / "sample-feed.zip") as z:
        stops = z.read("stops.txt").decode().replace("Nye County Airport (Demo)", "Nye County Airport")
    (inputs / "new").mkdir()
    new_feed = rezip(inputs / "sample-feed.zip", inputs / "new" / "sample-feed.zip", replace={"stops.txt": stops})
    rc, out, err = _build_beatty(capsys, inputs, "--gtfs", str(new_feed))
    assert rc == 0, err
    second = next(p for p in (home / "graphs").iterdir() if p.name.startswith("beatty-") and p != first)
    report = json.loads((second / "report.json").read_text())

    assert any(n.startswith("street: inputs unchanged, reused from " + first.name) for n in report["notes"])
    assert not any(n.startswith(("transit:", "places:", "basemap:")) and "reused" in n for n in report["notes"])
    # The street graph is the very same files (hard links), the timetable was written anew.
    for f in (second / "street").rglob("*.npy"):
        assert f.stat().st_ino == (first / f.relative_to(second)).stat().st_ino
    assert (second / "transit" / "meta.json").stat().st_ino != (first / "transit" / "meta.json").stat().st_ino
    assert "Nye County Airport (Demo)" not in (second / "transit" / "meta.json").read_text()
    # A reused part's counts are carried into the new report, so the report is complete.
    for key in ("osm_nodes", "street_walk_nodes", "street_drive_edges"):
        assert report["counts"][key] == first_report["counts"][key]
    assert "reading OSM" not in report["steps_s"] and "streets" in report["steps_s"]
    assert "street nodes: walk " in out

    rc, out, _ = cli(capsys, "cities")
    sha = hashlib.sha256(new_feed.read_bytes()).hexdigest()[:12]
    assert rc == 0
    assert "beatty: built " in out and f"in {second.name}" in out
    assert f"gtfs sample-feed.zip sha256 {sha}, valid 2007-01-01 to 2010-12-31" in out
    assert "osm beatty.osm sha256 " in out


def test_cities_lists_unbuilt_and_stale(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(Path(__file__).resolve().parents[2] / "seeds" / "beatty", home / "seeds" / "beatty")
    rc, out, _ = cli(capsys, "cities")
    assert rc == 0 and out.strip() == "beatty: not built (run `greenroute build beatty`)"
    assert cli(capsys, "build", "--quiet", "beatty")[0] == 0
    (home / "seeds" / "beatty" / "beatty.osm").write_text(
        (home / "seeds" / "beatty" / "beatty.osm").read_text().replace("Beatty", "Beaty")
    )
    rc, out, _ = cli(capsys, "cities")
    assert "beatty: stale (inputs changed; rebuild)" in out


def _same_except_timings(a: Path, b: Path) -> None:
    fa, fb = compiled_files(a), compiled_files(b)
    assert sorted(fa) == sorted(fb)
    differing = sorted(k for k in fa if fa[k] != fb[k])
    # Only the build time (to the second) and the timings may differ.
    assert set(differing) <= {"manifest.json", "report.json"}, differing
    ma, mb = json.loads(fa["manifest.json"]), json.loads(fb["manifest.json"])
    ma.pop("built_at"), mb.pop("built_at")
    assert ma == mb
    ra, rb = json.loads(fa["report.json"]), json.loads(fb["report.json"])
    assert ra["counts"] | {"build_seconds": 0} == rb["counts"] | {"build_seconds": 0}
    assert ra["skipped"] == rb["skipped"] and ra["notes"] == rb["notes"]


def test_two_builds_are_byte_identical(home: Path, inputs: Path, tmp_path: Path) -> None:
    """Beatty with a DEM (so elevations are not all zero), built twice into two graphs folders."""
    city_dir = home / "seeds" / "beatty"
    shutil.copytree(Path(__file__).resolve().parents[2] / "seeds" / "beatty", city_dir)
    geotiff(city_dir / "dem.tif", epsg_key=2048, epsg=4326)
    toml = (
        (city_dir / "city.toml")
        .read_text()
        .replace('gtfs = ["sample-feed.zip"]', 'gtfs = ["sample-feed.zip"]\ndem = "dem.tif"')
    )
    (city_dir / "city.toml").write_text(toml)
    city = load_city("beatty")
    a = build_city(city, root=tmp_path / "a", progress=False)
    b = build_city(city, root=tmp_path / "b", progress=False)
    assert a.name == b.name
    _same_except_timings(a, b)
    assert np.load(a / "street" / "walk" / "node_elev.npy").any()
