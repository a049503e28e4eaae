"""End to end: build São Paulo from seeds-style inputs through the CLI, serve it with gunicorn, ride a bus.

One temporary GREENROUTE_HOME for the module: the build (a subprocess, as a user would run it) is
shared by the serving, memory, determinism and reload tests.
"""

from __future__ import annotations

import json
import shutil
import signal
import time
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from routing.build.pipeline import build_city
from routing.core.city import city_from_toml
from tests.selfhost.helpers import REPO, cli_subprocess, compiled_files, rezip
from tests.selfhost.memory import city_load_mib, exercise, start_server, stop_server, tree_memory

pytestmark = pytest.mark.slow

# Found by trying stop pairs of the compiled city: a trip across Luz/Bom Retiro whose transit option rides a bus.
ORIGIN, DESTINATION = "-23.52540,-46.62920", "-23.53223,-46.60283"
MONDAY_8AM = "2019-05-06T08:00"  # the SPTrans feed runs 2008-01-01 to 2020-05-01
BUS = {3, *range(700, 800)}


@dataclass
class Built:
    home: Path
    folder: Path
    stdout: str
    stderr: str
    originals: Path  # an untouched copy of the inputs' seeds folder, for the determinism test


@pytest.fixture(scope="module")
def sao_paulo(tmp_path_factory: pytest.TempPathFactory) -> Built:
    home = tmp_path_factory.mktemp("sp-home")
    shutil.copytree(REPO / "seeds" / "factors", home / "seeds" / "factors")
    downloads = home.parent / "downloads"
    downloads.mkdir(exist_ok=True)
    for f in ("sao-paulo.osm.pbf", "gtfs-sptrans.zip"):
        shutil.copy2(REPO / "seeds" / "sao-paulo" / f, downloads / f)
    proc = cli_subprocess(
        home,
        "build",
        "--name",
        "sao-paulo",
        "--osm",
        str(downloads / "sao-paulo.osm.pbf"),
        "--gtfs",
        str(downloads / "gtfs-sptrans.zip"),
        "--timezone",
        "America/Sao_Paulo",
    )
    assert proc.returncode == 0, proc.stderr
    (folder,) = (home / "graphs").glob("sao-paulo-*")
    originals = home.parent / "original-seeds"
    shutil.copytree(home / "seeds" / "sao-paulo", originals)
    return Built(home, folder, proc.stdout, proc.stderr, originals)


def test_build_prints_progress_and_a_complete_report(sao_paulo: Built) -> None:
    for step in ("reading OSM", "walk graph", "bike graph", "drive graph", "timetable", "place index", "base map"):
        assert f"sao-paulo: {step}" in sao_paulo.stderr
    assert "footpaths" in sao_paulo.stderr  # shown on the timetable's line while it runs
    out = sao_paulo.stdout
    assert "street nodes: walk " in out and "edges: walk " in out
    assert "feed sptrans: valid 2008-01-01 to 2020-05-01" in out and "outside the street area" in out
    assert "time per step: reading OSM" in out and "peak memory" in out
    report = json.loads((sao_paulo.folder / "report.json").read_text())
    counts = report["counts"]
    assert counts["transit_trips"] > 1000 and counts["transit_stops"] > 100  # frequencies expanded into trips
    assert 0 < counts["transit_stops_outside_streets"] < counts["transit_stops"]
    assert counts["transit_sptrans_valid_from"] == "2008-01-01"
    assert report["peak_memory_mib"] > 0 and report["steps_s"]["footpaths"] >= 0
    assert "skipped" in report and isinstance(report["skipped"], dict)


def test_serve_plans_a_bus_trip_with_two_workers_sharing_the_city(sao_paulo: Built) -> None:
    proc, base = start_server(sao_paulo.home, "sao-paulo", workers=2)
    try:
        q = urllib.parse.urlencode({"from": ORIGIN, "to": DESTINATION, "modes": "transit", "at": MONDAY_8AM})
        answer = json.load(urllib.request.urlopen(f"{base}/api/plan?{q}", timeout=60))
        transit = [o for o in answer["options"] if o["id"].startswith("transit")]
        assert transit, answer.get("errors")
        ridden = {leg["route"]["type"] for o in transit for leg in o["legs"] if leg["mode"] == "transit"}
        assert ridden & BUS, ridden
        assert answer["data"]["city"] == "sao-paulo" and answer["data"]["gtfs"][0]["file"] == "gtfs-sptrans.zip"

        assert exercise(base, n=40) >= 20
        mem = tree_memory(proc.pid)
    finally:
        err = stop_server(proc)
    assert len(mem["workers"]) == 2
    city_mib = city_load_mib(sao_paulo.home, "sao-paulo")
    # Measured: loading São Paulo adds ~70-170 MiB to a process (less since loading became lazier); each
    # worker's unique memory is ~15-25 MiB. A worker holding its own copy would need at least the whole city.
    for w in mem["workers"]:
        assert w["uss"] < 0.5 * city_mib, (w, city_mib)
    _check_request_log(err)


def _check_request_log(stderr: str) -> None:
    lines = [json.loads(ln) for ln in stderr.splitlines() if ln.startswith("{")]
    requests = [r for r in lines if r.get("event") == "request"]
    plans = [r for r in requests if r["path"] == "/api/plan"]
    assert len(plans) >= 41
    assert set(plans[0]) == {"time", "level", "logger", "event", "method", "path", "status", "duration_ms", "city"}
    assert all(r["status"] in (200, 422) and r["city"] == "sao-paulo" and r["duration_ms"] >= 0 for r in plans)
    text = "\n".join(json.dumps(r) for r in requests)
    for secret in ("-23.5", "-46.6", "from=", "127.0.0.1", "?"):
        assert secret not in text


def test_same_inputs_build_byte_identical_files(sao_paulo: Built, tmp_path: Path) -> None:
    again = build_city(city_from_toml(sao_paulo.originals / "city.toml"), root=tmp_path, progress=False)
    assert again.name == sao_paulo.folder.name
    a, b = compiled_files(sao_paulo.folder), compiled_files(again)
    assert sorted(a) == sorted(b) and len(a) > 100
    assert {k for k in a if a[k] != b[k]} <= {"manifest.json", "report.json"}


def test_new_feed_then_hup_switches_without_dropping_requests(sao_paulo: Built) -> None:
    proc, base = start_server(sao_paulo.home, "sao-paulo", workers=2)
    try:
        before = json.load(urllib.request.urlopen(base + "/api/health", timeout=30))["data"]["build"]
        with zipfile.ZipFile(sao_paulo.home / "seeds" / "sao-paulo" / "gtfs-sptrans.zip") as z:
            agency = z.read("agency.txt").decode() + "\n"
        fresh = sao_paulo.home.parent / "fresh"
        fresh.mkdir(exist_ok=True)
        feed = rezip(
            sao_paulo.home / "seeds" / "sao-paulo" / "gtfs-sptrans.zip",
            fresh / "gtfs-sptrans.zip",
            replace={"agency.txt": agency},
        )
        built = cli_subprocess(sao_paulo.home, "build", "--quiet", "--name", "sao-paulo", "--gtfs", str(feed))
        assert built.returncode == 0, built.stderr
        assert "sao-paulo" in built.stdout
        proc.send_signal(signal.SIGHUP)
        after, failures, deadline = before, 0, time.monotonic() + 60
        while after == before and time.monotonic() < deadline:
            try:
                after = json.load(urllib.request.urlopen(base + "/api/health", timeout=30))["data"]["build"]
            except OSError:
                failures += 1
            time.sleep(0.05)
    finally:
        stop_server(proc)
    assert after != before, "the server still serves the old build 60 s after HUP"
    assert failures == 0
    assert (sao_paulo.home / "graphs" / f"sao-paulo-{before}").is_dir()  # the old build is left for a rollback
