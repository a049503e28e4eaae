"""`greenroute build` refuses bad input with a readable message and exit status 2, leaving nothing behind."""

from __future__ import annotations

import bz2
import shutil
from pathlib import Path

import pytest

from tests.selfhost.helpers import REPO, cli, cli_subprocess, geotiff, graphs_leftovers, rezip

TZ = "America/Los_Angeles"


def _refused(home: Path, rc: int, err: str, *needles: str) -> None:
    assert rc == 2, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    assert graphs_leftovers(home) == []
    assert not (home / "seeds" / "town").exists(), "a failed first build must not leave seeds behind"


def test_zip_given_as_osm(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = shutil.copy(inputs / "sample-feed.zip", inputs / "town.osm.pbf")
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", str(fake), "--timezone", TZ)
    _refused(home, rc, err, "town.osm.pbf: not an OSM PBF file", "zip")


def test_text_given_as_osm_xml(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = inputs / "town.osm"
    fake.write_text("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", str(fake), "--timezone", TZ)
    _refused(home, rc, err, "town.osm: not OSM XML", "HTML page")


def test_unknown_osm_suffix(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", str(inputs / "sample-feed.zip"), "--timezone", TZ)
    _refused(home, rc, err, "not an OSM file (expected .osm.pbf, .osm or .osm.bz2)")


@pytest.mark.parametrize("content", ["", "<?xml version='1.0'?>\n<osm version='0.6' generator='test'>\n</osm>\n"])
def test_empty_extract(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    empty = inputs / "empty.osm"
    empty.write_text(content)
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", str(empty), "--timezone", TZ)
    expected = "the file is empty" if not content else "the extract holds no streets"
    _refused(home, rc, err, f"empty.osm: {expected}")


def test_gtfs_not_a_zip(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = inputs / "feed.zip"
    fake.write_text("stop_id,stop_name\n")
    rc, _, err = cli(
        capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--gtfs", str(fake), "--timezone", TZ
    )
    _refused(home, rc, err, "feed.zip: not a zip file", "a GTFS feed is a .zip of .txt files")


def test_zip_that_is_not_gtfs(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    fake = inputs / "photos.zip"
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("readme.md", "holiday pictures")
    rc, _, err = cli(
        capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--gtfs", str(fake), "--timezone", TZ
    )
    _refused(home, rc, err, "photos.zip has no stops.txt, which every GTFS feed needs")


def test_gtfs_missing_required_file(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = rezip(inputs / "sample-feed.zip", inputs / "no-times.zip", drop="stop_times.txt")
    rc, _, err = cli(
        capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--gtfs", str(feed), "--timezone", TZ
    )
    _refused(home, rc, err, "no-times.zip has no stop_times.txt")


def test_gtfs_missing_required_column(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routes = "route_id,route_short_name\nAB,10\n"
    feed = rezip(inputs / "sample-feed.zip", inputs / "gtfs-notype.zip", replace={"routes.txt": routes})
    rc, _, err = cli(
        capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--gtfs", str(feed), "--timezone", TZ
    )
    _refused(home, rc, err, "notype: routes.txt has no column route_type")


def test_gtfs_without_usable_rows_lists_the_skipped_rows(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """stop_lat may be absent for some stop kinds, so it is not a required column: every stop is skipped."""
    stops = "stop_id,stop_name,stop_lon\nA,Somewhere,-116.76\n"
    feed = rezip(inputs / "sample-feed.zip", inputs / "gtfs-nolat.zip", replace={"stops.txt": stops})
    rc, _, err = cli(
        capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--gtfs", str(feed), "--timezone", TZ
    )
    _refused(home, rc, err, "the GTFS feeds hold no usable trip", "  skipped ")


def test_feed_entirely_outside_the_extract(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sp = shutil.copy(REPO / "seeds" / "sao-paulo" / "sao-paulo.osm.pbf", inputs / "sp.osm.pbf")
    rc, _, err = cli(
        capsys, "build", "--name", "town", "--osm", str(sp), "--gtfs", str(inputs / "sample-feed.zip"), "--timezone", TZ
    )
    _refused(home, rc, err, "sample-feed.zip: none of its", "stops lies within reach of a street", "another city")


@pytest.mark.parametrize(
    ("key", "epsg", "named"),
    [(3072, 32723, "EPSG:32723 (WGS 84 / UTM zone 23S)"), (3072, 32767, "EPSG:32767"), (2048, 4269, "NAD83")],
)
def test_dem_in_another_projection(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str], key: int, epsg: int, named: str
) -> None:
    dem = geotiff(inputs / "dem.tif", epsg_key=key, epsg=epsg)
    osm = str(inputs / "beatty.osm")
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", osm, "--dem", str(dem), "--timezone", TZ)
    _refused(home, rc, err, "dem.tif: the DEM is in", named, "not geographic WGS84")


def test_dem_not_a_tiff(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dem = inputs / "dem.tif"
    dem.write_text("not an image")
    rc, _, err = cli(
        capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--dem", str(dem), "--timezone", TZ
    )
    _refused(home, rc, err, "dem.tif: not a readable GeoTIFF")


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "UTC+3", ""])
def test_time_zone_that_does_not_exist(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str], tz: str) -> None:
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--timezone", tz)
    _refused(home, rc, err, f"time zone {tz!r} does not exist")


def test_missing_file_and_bad_name(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", str(inputs / "nowhere.osm.pbf"), "--timezone", TZ)
    _refused(home, rc, err, "nowhere.osm.pbf does not exist")
    rc, _, err = cli(capsys, "build", "--name", "Town Centre", "--osm", str(inputs / "beatty.osm"), "--timezone", TZ)
    _refused(home, rc, err, "city name 'Town Centre' is not valid")


def test_bad_inputs_in_a_seeded_city_are_refused_by_the_build(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A city.toml written by hand skips the CLI's checks; the build itself must still refuse."""
    city = home / "seeds" / "hand"
    city.mkdir()
    shutil.copy(inputs / "sample-feed.zip", city / "hand.osm.pbf")
    (city / "city.toml").write_text(f'timezone = "{TZ}"\n[files]\nosm = "hand.osm.pbf"\n')
    rc, _, err = cli(capsys, "build", "hand")
    assert rc == 2 and "hand.osm.pbf: not a readable OSM file" in err, err
    assert graphs_leftovers(home) == []


def test_refusal_in_a_fresh_process_prints_no_traceback(home: Path, inputs: Path) -> None:
    fake = inputs / "feed.zip"
    fake.write_bytes(b"\x00" * 100)
    proc = cli_subprocess(
        home, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--gtfs", str(fake), "--timezone", TZ
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "greenroute build: feed.zip: not a zip file (unknown content); a GTFS feed is a .zip of .txt files"
    ]
    assert graphs_leftovers(home) == []


def test_osm_bz2_builds(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    packed = inputs / "beatty.osm.bz2"
    packed.write_bytes(bz2.compress((inputs / "beatty.osm").read_bytes()))
    rc, out, err = cli(
        capsys,
        "build",
        "--quiet",
        "--name",
        "beatty",
        "--osm",
        str(packed),
        "--gtfs",
        str(inputs / "sample-feed.zip"),
        "--timezone",
        TZ,
    )
    assert rc == 0, err
    assert err == ""  # --quiet: no progress lines
    assert "built beatty in" in out and "street nodes: walk " in out and "feed sample: valid" in out
    toml = (home / "seeds" / "beatty" / "city.toml").read_text()
    assert 'osm = "beatty.osm.bz2"' in toml and 'timezone = "America/Los_Angeles"' in toml


def test_failed_update_puts_the_previous_seeds_back(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    osm, feed = str(inputs / "beatty.osm"), str(inputs / "sample-feed.zip")
    assert cli(capsys, "build", "--quiet", "--name", "beatty", "--osm", osm, "--gtfs", feed, "--timezone", TZ)[0] == 0
    seeds = home / "seeds" / "beatty"
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}
    builds = sorted((home / "graphs").iterdir())
    bad = rezip(inputs / "sample-feed.zip", inputs / "gtfs-late.zip", replace={"routes.txt": "route_id\nAB\n"})
    rc, _, err = cli(capsys, "build", "--quiet", "--name", "beatty", "--gtfs", str(bad))
    assert rc == 2 and "late: routes.txt has no column route_type" in err, err
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == before
    assert sorted((home / "graphs").iterdir()) == builds
    assert not [p for p in (home / "seeds").iterdir() if p.name.startswith(".")]
