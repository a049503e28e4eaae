"""A failed `greenroute build` leaves nothing in ``graphs/``: no half-written city, no lock file.

(10 failed builds used to leave 9 ``graphs/.lock-<name>`` files behind.)
"""

from __future__ import annotations

import multiprocessing
import shutil
import time
from pathlib import Path

import pytest

from routing.build.pipeline import _build_lock
from tests.selfhost.helpers import cli, graphs_leftovers, rezip

TZ = "America/Los_Angeles"


def _seeded(home: Path, name: str, osm: Path) -> None:
    """A hand-written city.toml (the CLI's checks of --osm/--gtfs do not run for it)."""
    city = home / "seeds" / name
    city.mkdir(parents=True)
    shutil.copy(osm, city / "city.osm.pbf")
    (city / "city.toml").write_text(f'timezone = "{TZ}"\n[files]\nosm = "city.osm.pbf"\n')


def test_ten_failed_builds_leave_nothing(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    osm = str(inputs / "beatty.osm")
    late = rezip(inputs / "sample-feed.zip", inputs / "gtfs-late.zip", replace={"routes.txt": "route_id\nAB\n"})
    for i in range(9):
        # Fails reading OSM, inside the build (a zip named .osm.pbf, seeded by hand): lock taken, then refused.
        _seeded(home, f"hand{i}", inputs / "sample-feed.zip")
        rc, _, err = cli(capsys, "build", "--quiet", f"hand{i}")
        assert rc == 2 and "not a readable OSM file" in err, err
    # Fails late, in the timetable, after the street graphs were compiled into the temporary folder.
    rc, _, err = cli(capsys, "build", "--quiet", "--name", "town", "--osm", osm, "--gtfs", str(late), "--timezone", TZ)
    assert rc == 2 and "late: routes.txt has no column route_type" in err, err
    assert graphs_leftovers(home) == []


def test_successful_build_leaves_only_the_city(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    osm, feed = str(inputs / "beatty.osm"), str(inputs / "sample-feed.zip")
    rc, _, err = cli(capsys, "build", "--quiet", "--name", "town", "--osm", osm, "--gtfs", feed, "--timezone", TZ)
    assert rc == 0, err
    (only,) = graphs_leftovers(home)
    assert only.startswith("town-")


def _count_under_lock(root: str, counter: str, rounds: int) -> None:
    """Read, wait, write back one more: two holders at once would lose an increment."""
    for _ in range(rounds):
        with _build_lock(Path(root), "city"):
            n = int(Path(counter).read_text())
            time.sleep(0.002)
            Path(counter).write_text(str(n + 1))


def test_lock_still_excludes_when_its_file_is_removed(tmp_path: Path) -> None:
    """Each holder deletes the lock file on release; waiters that locked the old file must start over."""
    counter = tmp_path / "counter"
    counter.write_text("0")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_count_under_lock, args=(str(tmp_path), str(counter), 40)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert counter.read_text() == "160"
    assert not (tmp_path / ".lock-city").exists()
