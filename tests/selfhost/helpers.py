"""Helpers for the self-hosting tests: run the CLI, make broken inputs, list compiled files."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cli.main import main

REPO = Path(__file__).resolve().parents[2]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``greenroute ARGS`` in this process; return (exit status, stdout, stderr)."""
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def cli_subprocess(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cli.main ARGS`` in a fresh process using this checkout and ``home``."""
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=home,
        env=subprocess_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def subprocess_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROUTE_")}
    env["GREENROUTE_HOME"] = str(home)
    env["GREENROUTE_INSTANCE"] = str(home / "instance")  # the footprint database stays in the temporary home
    # The checkout under test, whatever `pip install -e` points at.
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def compiled_files(folder: Path) -> dict[str, bytes]:
    """Every file of a compiled city by relative path, contents included."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def graphs_leftovers(home: Path) -> list[str]:
    """What a failed build left in ``graphs/``: every name there, hidden ones (locks, temporary folders) too."""
    graphs = home / "graphs"
    if not graphs.is_dir():
        return []
    return sorted(p.name for p in graphs.iterdir())


def rezip(src: Path, dst: Path, *, drop: str | None = None, replace: dict[str, str] | None = None) -> Path:
    """Copy a GTFS zip, leaving out the file ``drop`` and replacing the contents named in ``replace``."""
    replace = replace or {}
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = replace[info.filename].encode() if info.filename in replace else zin.read(info)
            zout.writestr(info.filename, data)
    dst.write_bytes(buf.getvalue())
    return dst


def geotiff(path: Path, *, epsg_key: int, epsg: int) -> Path:
    """A 4x4 GeoTIFF whose GeoKeyDirectory names ``epsg`` under ``epsg_key`` (2048 geographic, 3072 projected)."""
    import numpy as np
    import tifffile

    geokeys = (1, 1, 0, 2, 1024, 0, 1, 1 if epsg_key == 2048 else 2, epsg_key, 0, 1, epsg)
    tifffile.imwrite(
        path,
        np.arange(16, dtype=np.float32).reshape(4, 4),
        extratags=[
            (33550, "d", 3, (0.1, 0.1, 0.0), False),  # ModelPixelScaleTag
            (33922, "d", 6, (0.0, 0.0, 0.0, -116.9, 37.0, 0.0), False),  # ModelTiepointTag
            (34735, "H", len(geokeys), geokeys, False),  # GeoKeyDirectoryTag
        ],
    )
    return path
