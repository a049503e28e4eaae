"""When a transit option starts: the wait from the requested time and a note when it is another day.

"Leave now" at 05:48 answered by a bus at 11:55, or a Sunday query answered by Monday's first
journey, must say so: each option carries ``wait_s`` and, on another calendar day than the one
asked for, ``later_day`` (depart-at) or ``earlier_day`` (arrive-by) with the date and a sentence.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

# English names, not the process locale's: the answer must not depend on how the server runs.
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(d: date) -> str:
    """``Monday 28 Nov``."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"


def add_timing(option: dict[str, Any], at: datetime, *, arrive_by: bool) -> dict[str, Any] | None:
    """Set ``option["wait_s"]`` (and the other-day note); return that note, or None.

    Depart-at: ``wait_s`` is from ``at`` to leaving the origin, and the note comes when the
    departure's local date is not ``at``'s. Arrive-by: from reaching the destination to ``at``,
    judged by the arrival's date. Dates are in ``at``'s time zone (the city's).
    """
    tz = at.tzinfo
    departure = datetime.fromisoformat(option["departure"]).astimezone(tz)
    arrival = datetime.fromisoformat(option["arrival"]).astimezone(tz)
    wait = (at - arrival) if arrive_by else (departure - at)
    option["wait_s"] = max(0, round(wait.total_seconds()))
    when = arrival if arrive_by else departure
    if when.date() == at.date():
        return None
    key, first = ("earlier_day", "last") if arrive_by else ("later_day", "first")
    note = {
        "code": key,
        "date": when.date().isoformat(),
        "message": f"{first} journey on {day_label(when.date())}",
    }
    option[key] = note
    return note


def timing_notices(options: list[dict[str, Any]], at: datetime, *, arrive_by: bool) -> list[dict[str, Any]]:
    """:func:`add_timing` on every option; the answer-level notice of the first other-day option.

    Options are in departure order, so the first note is the earliest such journey (the latest
    for arrive-by).
    """
    notes = [n for n in (add_timing(o, at, arrive_by=arrive_by) for o in options) if n is not None]
    if not notes:
        return []
    pick = notes[-1] if arrive_by else notes[0]
    return [{"code": pick["code"], "message": pick["message"]}]
