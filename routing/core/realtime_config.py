"""``[[realtime]]`` tables of ``city.toml``: where a feed's GTFS-Realtime data comes from.

Read when the server starts, never by the build: realtime sources do not change the build's hash.

Example::

    [[realtime]]
    feed = "eptc"                                   # the GTFS feed it updates (its id prefix)
    trip_updates = "https://example.org/eptc/trip-updates.pb"
    alerts = "https://example.org/eptc/alerts.pb"   # either may be left out
    poll_seconds = 30                               # default 30
    max_age_seconds = 300                           # default 300: older data is not used
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routing.core.errors import BuildError

DEFAULT_POLL_S = 30.0
DEFAULT_MAX_AGE_S = 300.0
#: Polling faster than this only loads the operator's server: feeds refresh every 15–30 s.
MIN_POLL_S = 1.0
_KEYS = {"feed", "trip_updates", "alerts", "poll_seconds", "max_age_seconds"}


@dataclass(frozen=True)
class RealtimeSource:
    """One ``[[realtime]]`` entry; ``trip_updates``/``alerts`` are URLs or absolute paths."""

    feed: str
    trip_updates: str | None = None
    alerts: str | None = None
    poll_seconds: float = DEFAULT_POLL_S
    max_age_seconds: float = DEFAULT_MAX_AGE_S


def _location(value: Any, folder: Path, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BuildError(f"{where} must be an http(s) URL or a file path", argument="realtime")
    if value.startswith(("http://", "https://")):
        return value
    if "://" in value:
        raise BuildError(f"{where}: only http(s) URLs and file paths are read, not {value!r}", argument="realtime")
    return str((folder / value).resolve())


def _seconds(value: Any, default: float, where: str, *, least: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= least:
        raise BuildError(f"{where} must be a number of seconds ≥ {least:g}", argument="realtime")
    return float(value)


def parse_realtime(entries: Any, *, path: Path) -> tuple[RealtimeSource, ...]:
    """The validated ``[[realtime]]`` entries of the ``city.toml`` at ``path``.

    Raises
    ------
    BuildError
        If an entry is not a table, lacks ``feed``, has an unknown key or a bad value.
    """
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise BuildError(f"{path}: realtime must be a list of [[realtime]] tables", argument="realtime")
    out = []
    for i, row in enumerate(entries, start=1):
        where = f"{path}: realtime entry {i}"
        if not isinstance(row, dict):
            raise BuildError(f"{where} is not a table", argument="realtime")
        unknown = sorted(set(row) - _KEYS)
        if unknown:
            known = ", ".join(sorted(_KEYS))
            raise BuildError(f"{where}: unknown key {unknown[0]!r} (known: {known})", argument="realtime")
        feed = row.get("feed")
        if not isinstance(feed, str) or not feed:
            raise BuildError(f"{where}: feed (the GTFS feed's name) is missing", argument="realtime")
        out.append(
            RealtimeSource(
                feed=feed,
                trip_updates=_location(row.get("trip_updates"), path.parent, f"{where}: trip_updates"),
                alerts=_location(row.get("alerts"), path.parent, f"{where}: alerts"),
                poll_seconds=_seconds(
                    row.get("poll_seconds"), DEFAULT_POLL_S, f"{where}: poll_seconds", least=MIN_POLL_S
                ),
                max_age_seconds=_seconds(
                    row.get("max_age_seconds"), DEFAULT_MAX_AGE_S, f"{where}: max_age_seconds", least=MIN_POLL_S
                ),
            )
        )
    return tuple(out)
