"""The time zone GTFS feeds state (``agency_timezone`` of ``agency.txt``), for a city given none."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from routing.core.city import validate_timezone
from routing.core.errors import BuildError
from routing.transit.gtfs import FeedFiles


def stated_timezones(path: Path) -> list[str]:
    """The distinct ``agency_timezone`` values of one feed, in the order ``agency.txt`` gives them."""
    found: list[str] = []
    for row in FeedFiles(path.stem, path).rows("agency.txt"):
        tz = row.get("agency_timezone", "")
        if tz and tz not in found:
            found.append(tz)
    return found


def timezone_from_feeds(paths: Sequence[Path]) -> tuple[str, str]:
    """The one time zone every feed that states one agrees on, and where it came from.

    Returns
    -------
    tuple
        ``(timezone, source)``, e.g. ``("America/Sao_Paulo", "agency.txt of eptc.zip, trensurb.zip")``.

    Raises
    ------
    BuildError
        If no feed states a time zone, if feeds (or agencies of one feed) state different ones, or
        if the one they state is not an IANA time zone.
    """
    if not paths:
        raise BuildError(
            "no time zone: give --timezone (e.g. --timezone America/Sao_Paulo) or a GTFS feed to take it from",
            argument="timezone",
        )
    by_zone: dict[str, list[str]] = {}
    for path in paths:
        for tz in stated_timezones(path):
            by_zone.setdefault(tz, []).append(path.name)
    if not by_zone:
        raise BuildError(
            f"no time zone: no agency_timezone in the agency.txt of {', '.join(p.name for p in paths)}; "
            "give one with --timezone, e.g. --timezone America/Sao_Paulo",
            argument="timezone",
        )
    if len(by_zone) > 1:
        stated = "; ".join(f"{tz} in {', '.join(files)}" for tz, files in by_zone.items())
        raise BuildError(
            f"the feeds state different time zones ({stated}): choose one with --timezone", argument="timezone"
        )
    ((tz, files),) = by_zone.items()
    try:
        validate_timezone(tz)
    except BuildError as exc:
        raise BuildError(f"agency.txt of {', '.join(files)}: {exc.message}", argument="timezone") from exc
    return tz, f"agency.txt of {', '.join(files)}"
