"""A zip bomb of a feed: a ~1 MB zip holding a 1 GiB ``stop_times.txt`` of zeros.

The build reads GTFS streaming, so it must refuse the file at its first line (exit 2, a message
naming the file and the line) without ever holding it: peak memory of the build process, measured
by the kernel (``wait4``), stays far below the 1 GiB the file would take (it used to reach 5.5 GB).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from routing.core.errors import BuildError
from routing.core.report import BuildReport
from routing.places.gtfs_source import read_stops
from tests.selfhost.helpers import cli, graphs_leftovers, subprocess_env

GIB = 1 << 30
#: The build of the tiny Beatty extract with the refusal costs about 150 MB; 2 GB is the ceiling the issue sets.
PEAK_LIMIT_BYTES = 2 * 10**9


def _bomb(src: Path, dst: Path, *, member: str, size: int, byte: bytes) -> Path:
    """Copy the GTFS zip ``src`` with ``member`` replaced by ``size`` bytes of ``byte``, written in blocks."""
    block = byte * (1 << 22)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info.filename, zin.read(info))
        with zout.open(member, "w", force_zip64=True) as f:
            for _ in range(size // len(block)):
                f.write(block)
    return dst


def _run_measured(home: Path, *args: str) -> tuple[int, str, int]:
    """Run ``greenroute ARGS`` in a fresh process; return (exit status, stderr, peak RSS in bytes)."""
    err_path = home.parent / "stderr.txt"
    with err_path.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", *args],
            cwd=home,
            env=subprocess_env(home),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err_path.read_text(), usage.ru_maxrss * 1024


def test_gib_of_nul_bytes_is_refused_in_bounded_memory(home: Path, inputs: Path) -> None:
    feed = _bomb(inputs / "sample-feed.zip", inputs / "gtfs-huge.zip", member="stop_times.txt", size=GIB, byte=b"\0")
    assert feed.stat().st_size < 2 * 10**6  # the zip is small; only its content is huge
    rc, err, peak = _run_measured(
        home, "build", "--quiet", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--gtfs", str(feed)
    )
    assert rc == 2, err
    assert err.strip().splitlines()[0] == (
        "greenroute build: gtfs-huge.zip: stop_times.txt, line 1: the file holds NUL bytes: it is not a GTFS text file"
    )
    assert "Traceback" not in err
    assert peak < PEAK_LIMIT_BYTES, f"peak RSS {peak / 2**20:.0f} MiB"
    print(f"peak RSS of the refused build: {peak / 2**20:.0f} MiB")
    assert graphs_leftovers(home) == []
    assert not (home / "seeds" / "town").exists()


def test_line_of_ascii_zeros_is_refused(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, dst = inputs / "sample-feed.zip", inputs / "gtfs-zeros.zip"
    feed = _bomb(src, dst, member="stop_times.txt", size=1 << 24, byte=b"0")
    osm = str(inputs / "beatty.osm")
    rc, _, err = cli(capsys, "build", "--quiet", "--name", "town", "--osm", osm, "--gtfs", str(feed))
    assert rc == 2, err
    assert "gtfs-zeros.zip: stop_times.txt, line 1: longer than 1048576 characters without a line break" in err
    assert graphs_leftovers(home) == []


def test_place_index_refuses_the_same_way(inputs: Path) -> None:
    """The place index reads stops.txt through the same reader: same refusal, same message."""
    feed = _bomb(inputs / "sample-feed.zip", inputs / "gtfs-nul.zip", member="stops.txt", size=1 << 22, byte=b"\0")
    with pytest.raises(BuildError) as caught:
        read_stops(feed, report=BuildReport("t"))
    assert caught.value.message == (
        "gtfs-nul.zip: stops.txt, line 1: the file holds NUL bytes: it is not a GTFS text file"
    )
