"""The compiled city one server process answers for, loaded once per process.

Under gunicorn the city is loaded before the workers fork (``preload_app``), and its arrays are
memory-mapped, so workers share it instead of each holding a copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app

from routing.city import CityConfig

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
            return self._cache[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = loader(self.folder)
            return self._cache[key]  # type: ignore[no-any-return]


def current_city() -> LoadedCity:
    """The city of the app handling this request (set by ``webapp.api.init_city``)."""
    city: LoadedCity | None = current_app.extensions.get("greenroute_city")
    if city is None:
        from webapp.errors import ApiError

        raise ApiError(503, "no_city", "no city is loaded in this server")
    return city
