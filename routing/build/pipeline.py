"""``greenroute build``: compile a city's seeds into ``graphs/<city>-<hash>/``.

The folder name carries a hash of every input file and build option, so a rebuild happens only when
something changed. Each part (streets, transit, places, base map) records the hash of its own
inputs in ``manifest.json``; a rebuild copies the parts whose inputs did not change from the
previous build instead of recomputing them. A build is written to a temporary folder and renamed
into place at the end, so an interrupted or failed build never leaves a half-written city.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from routing.build.parts import parts, stop_positions_digest
from routing.build.progress import ProgressReport
from routing.core.city import CityConfig
from routing.core.errors import BuildError
from routing.core.graphs import BUILD_FORMAT, MANIFEST, REPORT, build_key, input_digests, latest_build, part_key
from routing.core.home import graphs_dir
from routing.transit import warm

_SKIPPED_IN_ERROR = 12
_WARM_LIMIT_S = 600.0  # a compile takes ~15 s of CPU; far past that something is wrong


def build_city(
    city: CityConfig,
    *,
    root: Path | None = None,
    force: bool = False,
    progress: bool = True,
    notes: Sequence[str] = (),
) -> Path:
    """Compile ``city`` unless a build of the same inputs exists; return the compiled folder.

    ``notes`` go into the build report first (e.g. where the time zone came from).

    Raises
    ------
    BuildError
        If an input is unusable; nothing is left in ``graphs/`` then.
    """
    root = root or graphs_dir()
    digests = input_digests(city)
    key = build_key(city, digests)
    final = root / f"{city.name}-{key}"
    if (final / MANIFEST).is_file() and not force:
        return final
    root.mkdir(parents=True, exist_ok=True)
    with _build_lock(root, city.name):
        if (final / MANIFEST).is_file() and not force:
            return final  # another process built it while we waited
        return _build(
            city, root=root, digests=digests, key=key, final=final, force=force, progress=progress, notes=notes
        )


@contextmanager
def _build_lock(root: Path, name: str) -> Iterator[None]:
    """One build of a city at a time (test workers, several servers starting at once).

    The lock file goes when the build ends, failed or not, so ``graphs/`` keeps nothing but compiled
    cities. It is removed while still locked; a process that was waiting on it then holds a lock on
    a file no longer at the path, sees so (the inode differs) and starts over on the new one.
    """
    path = root / f".lock-{name}"
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                continue
            mine = os.fstat(fd)
            if (current.st_dev, current.st_ino) != (mine.st_dev, mine.st_ino):
                continue
            try:
                yield
            finally:
                path.unlink(missing_ok=True)
            return
        finally:
            os.close(fd)  # also releases the lock


def _build(
    city: CityConfig,
    *,
    root: Path,
    digests: dict[str, Any],
    key: str,
    final: Path,
    force: bool,
    progress: bool,
    notes: Sequence[str],
) -> Path:
    previous = latest_build(city.name, root=root)
    prev_parts: dict[str, str] = {}
    prev_report: dict[str, Any] = {}
    if previous is not None:
        prev_parts = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))["parts"]
        with contextlib.suppress(OSError, ValueError):
            prev_report = json.loads((previous / REPORT).read_text(encoding="utf-8"))
    tmp = root / f".tmp-{city.name}-{key}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    report = ProgressReport(city=city.name, show=progress, stream=sys.stderr)
    report.count("timezone", city.timezone)
    for note in notes:
        report.note(note)
    part_keys: dict[str, str] = {}
    t0 = time.perf_counter()
    part_inputs = {**digests, "stops": stop_positions_digest(city)}  # what the street part reads of the feeds
    # On a fresh install the transit kernels compile in a second process while the city builds.
    warming = warm.start_in_background() if city.gtfs else None
    try:
        for part in parts():
            pkey = part_key(part.name, city, part_inputs)
            part_keys[part.name] = pkey
            report.part = part.name
            if previous is not None and prev_parts.get(part.name) == pkey and not force:
                with report.step(part.label):
                    report.mark(f"reused from {previous.name}")
                    _link_part(previous, tmp, part.name)
                _carry_counts(report, prev_report, part.name)
                report.note(f"{part.name}: inputs unchanged, reused from {previous.name}")
            else:
                part.run(city, tmp, report)
        report.part = None
        with report.step("finishing"):
            manifest = {
                "city": city.name,
                "title": city.title,
                "timezone": city.timezone,
                "format": BUILD_FORMAT,
                "key": key,
                "inputs": digests,
                "parts": part_keys,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            _write_json(tmp / MANIFEST, manifest)
        if warming is not None:
            with report.step("transit kernels (numba cache)"):
                _wait_for(warming)
        report.count("build_seconds", round(time.perf_counter() - t0, 2))
        report.save(tmp / REPORT)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    except BaseException as exc:
        if warming is not None and warming.poll() is None:
            warming.kill()
            warming.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, BuildError):
            # The report is not saved for a failed build, so its skipped rows travel with the error.
            for reason, n in report.skipped.most_common(_SKIPPED_IN_ERROR):
                exc.add_note(f"skipped {n}: {reason}")
        raise
    return final


def _wait_for(process: subprocess.Popen[bytes]) -> None:
    """Wait for the kernel warm-up; past the limit it is stopped (the first query then compiles)."""
    try:
        process.wait(timeout=_WARM_LIMIT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _carry_counts(report: ProgressReport, previous: dict[str, Any], part: str) -> None:
    """Put a reused part's counts and skipped rows from the previous report into this one."""
    for name, value in (previous.get("counts_by_part") or {}).get(part, {}).items():
        report.count(name, value)
    for reason, n in (previous.get("skipped_by_part") or {}).get(part, {}).items():
        report.skip(reason, int(n))


def _link_part(src: Path, dst: Path, part: str) -> None:
    """Hard-link (or copy, across file systems) the files one part wrote: its folder or files named after it.

    Compiled files are never modified in place (a build writes new files, the server maps them
    read-only), so two builds can share them; the inode shows that a part was reused.
    """
    found = False
    for p in sorted(src.iterdir()):
        if p.name.startswith(part):
            found = True
            if p.is_dir():
                shutil.copytree(p, dst / p.name, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(p), str(dst / p.name))
    if not found:
        raise BuildError(f"previous build {src.name} has no {part!r} part", argument="graphs")


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8")
