"""The compiled city one server process answers for, loaded once per process.

Under gunicorn the city is loaded before the workers fork (``preload_app``), and its arrays are
memory-mapped, so workers share it instead of each holding a copy.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app

from routing.core.city import CityConfig

T = TypeVar("T")


@dataclass
class LoadedCity:
    """A compiled city: its configuration, its folder in ``graphs/``, and what was loaded from it."""

    config: CityConfig
    folder: Path
    _cache: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: str, loader: Callable[[Path], T]) -> T:
        """Return ``loader(self.folder)``, computed once per process and kept."""
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = loader(self.folder)
            return self._cache[key]


def current_city() -> LoadedCity:
    """The city of the app handling this request (set by :func:`init_city`)."""
    city: LoadedCity | None = current_app.extensions.get("greenroute_city")
    if city is None:
        from webapp.errors import ApiError

        raise ApiError(503, "no_city", "no city is loaded in this server")
    return city


def default_city_name() -> str:
    """The configured city, else Porto Alegre when seeded, else the only seeded city."""
    from routing.core.city import list_cities
    from routing.core.errors import CityNotFound

    cities = list_cities()
    if "porto-alegre" in cities:
        return "porto-alegre"
    if len(cities) == 1:
        return cities[0]
    raise CityNotFound(
        f"choose a city with --city or GREENROUTE_CITY (seeded: {', '.join(cities) or 'none'})", argument="city"
    )


def ensure_built(name: str, *, auto_build: bool = True, progress: bool = True) -> LoadedCity:
    """Load a city's compiled folder, building it first when missing or stale.

    The build runs as a child process (``greenroute build``): a server never imports the build code
    or osmium, and the compile's peak memory is returned to the system when the child exits instead of
    staying in the process that then forks the workers.
    """
    from routing.core.city import load_city
    from routing.core.errors import BuildError, CityNotFound
    from routing.core.graphs import find_build

    config = load_city(name)
    folder = find_build(config)
    if folder is None:
        if not auto_build:
            raise CityNotFound(f"{name} is not built: run `greenroute build {name}`", argument="city")
        _build_in_child(name, progress=progress)
        folder = find_build(config)
        if folder is None:
            raise BuildError(f"`greenroute build {name}` finished but left no build of the current inputs")
    with _LOADED_LOCK:
        # One LoadedCity per compiled folder and process: apps created in one process share it,
        # and the routing objects (pinned to the threads that made them) live as long as the process.
        if folder not in _LOADED:
            _LOADED[folder] = LoadedCity(config=config, folder=folder)
        return _LOADED[folder]


def _build_in_child(name: str, *, progress: bool) -> None:
    from routing.core.errors import BuildError

    args = [sys.executable, "-m", "cli.main", "build", name] + ([] if progress else ["--quiet"])
    # With progress the child writes its bars and any error straight to this terminal.
    pipe = None if progress else subprocess.PIPE
    done = subprocess.run(args, stdout=pipe, stderr=pipe, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit status {done.returncode} (its messages are above)"
        raise BuildError(f"building {name} failed: {why}", argument="city")


_LOADED: dict[Path, LoadedCity] = {}
_LOADED_LOCK = threading.Lock()


def init_city(app: Any) -> LoadedCity:
    """Load (building if needed) the app's city and its planner, once, before serving."""
    from routing.plan.planner import Planner

    name = app.config.get("CITY") or default_city_name()
    city = ensure_built(name, auto_build=bool(app.config.get("AUTO_BUILD", True)))
    planner = city.cached("planner", lambda folder: Planner(folder, city.config))
    planner.warm_up()
    app.extensions["greenroute_city"] = city
    return city
