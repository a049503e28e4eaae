"""Service days and the stale-feed fallback: which date's timetable each feed uses."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from routing.transit.timetable import Timetable


def service_base(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant (in UTC) GTFS times of ``day`` count from: noon minus 12 h, which differs
    from midnight on daylight-saving days.

    UTC on purpose: Python adds a timedelta to an aware local datetime on the wall clock, which
    would be an hour off across a clock change.
    """
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=tz)
    return noon.astimezone(dt.UTC) - dt.timedelta(hours=12)


def nearest_same_weekday(day: dt.date, start: dt.date, end: dt.date) -> dt.date:
    """``day`` if inside ``[start, end]``, else the closest date inside with its weekday (or the
    nearer end of a period shorter than a week)."""
    if start <= day <= end:
        return day
    if day > end:
        candidate = end - dt.timedelta(days=(end.weekday() - day.weekday()) % 7)
        return candidate if candidate >= start else end
    candidate = start + dt.timedelta(days=(day.weekday() - start.weekday()) % 7)
    return candidate if candidate <= end else start


def choose_feed_dates(
    tt: Timetable, day: dt.date, *, strict: bool
) -> tuple[tuple[int, ...], dict[str, str | None], list[dict[str, str]]]:
    """Per feed, the day index of the timetable to use for ``day``, and the notices to show.

    Each feed is judged on its own validity: with two feeds of different periods, one may use
    the requested date and the other its nearest same-weekday date.
    """
    days: list[int] = []
    used: dict[str, str | None] = {}
    notices: list[dict[str, str]] = []
    for feed in tt.feeds:
        name = feed["name"]
        if not feed.get("start") or not feed.get("end"):
            days.append(-1)
            used[name] = None
            continue
        start, end = dt.date.fromisoformat(feed["start"]), dt.date.fromisoformat(feed["end"])
        inside = start <= day <= end
        if inside:
            chosen: dt.date | None = day
        elif strict:
            chosen = None
            notices.append(
                {
                    "code": "outside_feed_dates",
                    "message": f"{name}: no timetable for {day.isoformat()}: the feed covers "
                    f"{start.isoformat()} to {end.isoformat()} (strict dates)",
                }
            )
        else:
            chosen = nearest_same_weekday(day, start, end)
            notices.append(
                {
                    "code": "stale_feed",
                    "message": f"{name}: timetable of {chosen.isoformat()} used: the feed covers "
                    f"{start.isoformat()} to {end.isoformat()}",
                }
            )
        used[name] = chosen.isoformat() if chosen else None
        days.append((chosen - tt.day0).days if chosen else -1)
    return tuple(days), used, notices
