"""OSRM and Valhalla, built and queried from the same ``.osm.pbf`` as greenroute (for bench/peers.py).

Neither engine is a dependency of greenroute: their PyPI wheels are downloaded (``pip download``)
and unpacked into a cache folder outside the repository the first time, under a file lock, and
every build of an extract goes to ``<cache>/<engine>/<extract>/``, reused while complete.

- OSRM (``osrm-bindings`` 26.10.0, a cp312 wheel): its command-line tools run on any Python;
  ``osrm-extract``/``osrm-partition``/``osrm-customize`` (MLD) per profile, then ``osrm-routed``
  on loopback, queried over one kept-alive HTTP connection.
- Valhalla: ``pyvalhalla`` 3.9.1 ships ``valhalla_build_tiles``; routing is in-process through the
  3.2.0 cp311 wheel's ``valhalla.Actor`` on those tiles (see ../shared/reference/peer-engines.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import json
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trips import free_port  # also puts this checkout first on sys.path

OSRM_VERSION = "26.10.0"
VALHALLA_BUILD_VERSION = "3.9.1"
VALHALLA_ROUTE_VERSION = "3.2.0"  # the last pyvalhalla with a cp311 wheel (greenroute runs on 3.11)
OSRM_PROFILE = {"drive": "car", "walk": "foot", "bike": "bicycle"}
VALHALLA_COSTING = {"drive": "auto", "walk": "pedestrian", "bike": "bicycle"}
_DONE = ".complete"  # written last: a folder without it is an interrupted download or build


@dataclass(frozen=True)
class Answer:
    """One engine's answer to one pair: None distance when it finds no route."""

    distance_m: float | None
    duration_s: float | None
    seconds: float  # wall time of the query


@contextlib.contextmanager
def _locked(cache: Path) -> Iterator[None]:
    """Hold ``<cache>/.lock`` (others benchmarking on this machine share the folder)."""
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _download_wheel(folder: Path, spec: str, python: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    found = sorted(folder.glob("*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:"]
            + ["--python-version", python, "-d", str(folder), spec],
            check=True,
        )
        found = sorted(folder.glob("*.whl"))
    return found[0]


def _unpacked(cache: Path, name: str, spec: str, python: str) -> Path:
    """``<cache>/<name>``: the wheel ``spec`` for ``python`` unpacked (downloaded first if missing)."""
    target = cache / name
    if (target / _DONE).is_file():
        return target
    wheel = _download_wheel(cache / f"{name}-wheel", spec, python)
    shutil.rmtree(target, ignore_errors=True)
    with zipfile.ZipFile(wheel) as z:
        z.extractall(target)
    for binary in target.glob("*/bin/*"):
        binary.chmod(0o755)  # zip files do not keep the executable bit
    (target / _DONE).touch()
    return target


def _run(cmd: list[str], *, cwd: Path, log: Path) -> None:
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, check=True)


def sorted_extract(osm: Path, cache: Path) -> Path:
    """``osm`` itself when its objects are sorted by type and id, else a sorted copy in the cache.

    Valhalla's tile builder refuses unsorted input (Columbus's extract is), so every engine is
    given the same sorted file.
    """
    import osmium  # greenroute's own OSM reader

    last: dict[str, int] = {}
    for obj in osmium.FileProcessor(str(osm)):
        kind = obj.type_str()
        if obj.id < last.get(kind, -(2**62)):
            break
        last[kind] = obj.id
    else:
        return osm
    target = cache / "sorted" / osm.name
    with _locked(cache):
        if (target.parent / f"{osm.name}{_DONE}").is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        nodes: list[tuple[int, float, float, dict[str, str]]] = []
        ways: list[tuple[int, list[int], dict[str, str]]] = []
        relations: list[tuple[int, list[tuple[str, int, str]], dict[str, str]]] = []
        for obj in osmium.FileProcessor(str(osm)):
            tags = {t.k: t.v for t in obj.tags}
            if obj.is_node():
                nodes.append((obj.id, obj.location.lon, obj.location.lat, tags))
            elif obj.is_way():
                ways.append((obj.id, [n.ref for n in obj.nodes], tags))
            elif obj.is_relation():
                relations.append((obj.id, [(m.type, m.ref, m.role) for m in obj.members], tags))
        writer = osmium.SimpleWriter(str(target))
        try:
            for i, lon, lat, tags in sorted(nodes, key=lambda x: x[0]):
                writer.add_node(osmium.osm.mutable.Node(id=i, location=(lon, lat), tags=tags, version=1))
            for i, refs, tags in sorted(ways, key=lambda x: x[0]):
                writer.add_way(osmium.osm.mutable.Way(id=i, nodes=refs, tags=tags, version=1))
            for i, members, tags in sorted(relations, key=lambda x: x[0]):
                writer.add_relation(osmium.osm.mutable.Relation(id=i, members=members, tags=tags, version=1))
        finally:
            writer.close()
        (target.parent / f"{osm.name}{_DONE}").touch()
    return target


class Osrm:
    """OSRM MLD per profile, built under ``<cache>/osrm/<extract>/<profile>/``."""

    def __init__(self, cache: Path) -> None:
        with _locked(cache):
            self.pkg = _unpacked(cache / "osrm", "pkg", f"osrm-bindings=={OSRM_VERSION}", "3.12")
        self.cache = cache
        self.bin = self.pkg / "osrm" / "bin"

    def build(self, osm: Path, extract: str, mode: str) -> tuple[Path, float]:
        """The ``.osrm`` base path of ``extract`` for ``mode`` and the build's seconds (0 if reused)."""
        profile = OSRM_PROFILE[mode]
        folder = self.cache / "osrm" / extract / profile
        base = folder / f"{extract}.osrm"
        with _locked(self.cache):
            if (folder / _DONE).is_file():
                return base, 0.0
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            pbf = folder / f"{extract}.osm.pbf"
            shutil.copyfile(osm, pbf)
            t0 = time.perf_counter()
            log = folder / "build.log"
            lua = self.pkg / "osrm" / "share" / "profiles" / f"{profile}.lua"
            _run([str(self.bin / "osrm-extract"), "-t", "1", "-p", str(lua), pbf.name], cwd=folder, log=log)
            _run([str(self.bin / "osrm-partition"), "-t", "1", base.name], cwd=folder, log=log)
            _run([str(self.bin / "osrm-customize"), "-t", "1", base.name], cwd=folder, log=log)
            pbf.unlink()
            (folder / _DONE).touch()
            return base, time.perf_counter() - t0

    @contextlib.contextmanager
    def serve(self, base: Path) -> Iterator[OsrmClient]:
        """``osrm-routed`` on loopback for one profile's files, stopped on exit."""
        port = free_port()
        cmd = [str(self.bin / "osrm-routed"), "--algorithm", "mld", "--ip", "127.0.0.1", "--port", str(port)]
        log = (base.parent / "routed.log").open("w")
        proc = subprocess.Popen([*cmd, "--threads", "1", base.name], cwd=base.parent, stdout=log, stderr=log)
        try:
            client = OsrmClient(port)
            client.wait_ready(proc)
            yield client
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()


class OsrmClient:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def wait_ready(self, proc: subprocess.Popen[bytes]) -> None:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError(f"osrm-routed exited with status {proc.returncode}")
            try:
                self.conn.request("GET", "/nearest/v1/x/0,0")
                self.conn.getresponse().read()
                return
            except OSError:
                self.conn.close()
                time.sleep(0.1)
        raise RuntimeError("osrm-routed did not start within 60 s")

    def route(self, a: tuple[float, float], b: tuple[float, float], *, snap_m: float | None = None) -> Answer:
        path = f"/route/v1/x/{a[1]:.7f},{a[0]:.7f};{b[1]:.7f},{b[0]:.7f}?overview=false&steps=false"
        if snap_m is not None:  # without it OSRM snaps to the nearest large network at any distance
            path += f"&radiuses={snap_m:.0f};{snap_m:.0f}"
        try:
            t0 = time.perf_counter()
            self.conn.request("GET", path)
            body = json.loads(self.conn.getresponse().read())
        except (http.client.HTTPException, ConnectionError):
            # osrm-routed closes a kept-alive connection after a number of requests: reconnect
            # (untimed) and time the query again on the new connection
            self.conn.close()
            self.conn.connect()
            t0 = time.perf_counter()
            self.conn.request("GET", path)
            body = json.loads(self.conn.getresponse().read())
        seconds = time.perf_counter() - t0
        if body.get("code") != "Ok" or not body.get("routes"):
            return Answer(None, None, seconds)
        r = body["routes"][0]
        return Answer(float(r["distance"]), float(r["duration"]), seconds)


class Valhalla:
    """Valhalla tiles (all costings at once) under ``<cache>/valhalla/<extract>/``."""

    def __init__(self, cache: Path) -> None:
        with _locked(cache):
            self.build_pkg = _unpacked(cache / "valhalla", "pkg39", f"pyvalhalla=={VALHALLA_BUILD_VERSION}", "3.12")
            self.route_pkg = _unpacked(cache / "valhalla", "pkg32", f"pyvalhalla=={VALHALLA_ROUTE_VERSION}", "3.11")
        self.cache = cache

    def build(self, osm: Path, extract: str) -> tuple[Path, float]:
        """The config file of ``extract``'s tiles and the build's seconds (0 if reused)."""
        folder = self.cache / "valhalla" / extract
        config = folder / "valhalla.json"
        with _locked(self.cache):
            if (folder / _DONE).is_file():
                return config, 0.0
            shutil.rmtree(folder, ignore_errors=True)
            (folder / "tiles").mkdir(parents=True)
            t0 = time.perf_counter()
            log = folder / "build.log"
            script = self.build_pkg / "valhalla" / "valhalla_build_config.py"
            cfg = subprocess.run(
                [sys.executable, str(script), "--mjolnir-tile-dir", str(folder / "tiles")]
                + ["--mjolnir-tile-extract", str(folder / "tiles.tar"), "--mjolnir-concurrency", "1"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            config.write_text(cfg, encoding="utf-8")
            binary = self.build_pkg / "valhalla" / "bin" / "valhalla_build_tiles"
            _run([str(binary), "-c", str(config), str(osm)], cwd=folder, log=log)
            (folder / _DONE).touch()
            return config, time.perf_counter() - t0

    def actor(self, config: Path) -> Any:
        if str(self.route_pkg) not in sys.path:
            sys.path.insert(0, str(self.route_pkg))
        import valhalla  # the unpacked 3.2.0 wheel

        # 3.2's own defaults: 3.9's config names settings and actions 3.2 does not know
        data = valhalla.get_config(tile_extract=config.parent / "tiles.tar", tile_dir=config.parent / "tiles")
        return valhalla.Actor(data)  # the tile_extract tar does not exist, so it reads tile_dir


def valhalla_route(
    actor: Any, mode: str, a: tuple[float, float], b: tuple[float, float], *, snap_m: float | None = None
) -> Answer:
    cutoff = {} if snap_m is None else {"search_cutoff": snap_m}  # Valhalla's default: 35 km
    request = {
        "locations": [{"lat": a[0], "lon": a[1], **cutoff}, {"lat": b[0], "lon": b[1], **cutoff}],
        "costing": VALHALLA_COSTING[mode],
        "directions_type": "none",
        "units": "kilometers",
    }
    t0 = time.perf_counter()
    try:
        body = json.loads(actor.route(json.dumps(request)))
    except RuntimeError:  # Valhalla raises for "no path", "no suitable edges near location"...
        return Answer(None, None, time.perf_counter() - t0)
    seconds = time.perf_counter() - t0
    summary = body["trip"]["summary"]
    return Answer(float(summary["length"]) * 1000.0, float(summary["time"]), seconds)
