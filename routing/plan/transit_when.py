"""When a transit option starts: the wait from the requested time and a note when it is another day.

"Leave now" at 05:48 answered by a bus at 11:55, or a Sunday query answered by Monday's first
journey, must say so: each option carries ``wait_s`` and, on another calendar day than the one
asked for, ``later_day`` (depart-at) or ``earlier_day`` (arrive-by) with the date and a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from routing.core.answer import DayNote, Notice, Option, Timing, evolve

# English names, not the process locale's: the answer must not depend on how the server runs.
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(d: date) -> str:
    """``Monday 28 Nov``."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]}"


def option_timing(option: Option, at: datetime, *, arrive_by: bool) -> Timing:
    """The ``wait_s`` of ``option`` and its other-day note (None on the day asked for).

    Depart-at: ``wait_s`` is from ``at`` to leaving the origin, and the note comes when the
    departure's local date is not ``at``'s. Arrive-by: from reaching the destination to ``at``,
    judged by the arrival's date. Dates are in ``at``'s time zone (the city's); times count to the
    second, as the answer shows them.
    """
    tz = at.tzinfo
    departure = option.departure.replace(microsecond=0).astimezone(tz)
    arrival = option.arrival.replace(microsecond=0).astimezone(tz)
    wait = (at - arrival) if arrive_by else (departure - at)
    wait_s = max(0, round(wait.total_seconds()))
    when = arrival if arrive_by else departure
    if when.date() == at.date():
        return Timing(wait_s=wait_s)
    key, first = ("earlier_day", "last") if arrive_by else ("later_day", "first")
    return Timing(
        wait_s=wait_s, note=DayNote(code=key, day=when.date(), message=f"{first} journey on {day_label(when.date())}")
    )


def with_timing(options: Sequence[Option], at: datetime, *, arrive_by: bool) -> tuple[list[Option], list[Notice]]:
    """Each option with its :func:`option_timing`, and the answer-level notice of the first other-day option.

    Options are in departure order, so the first note is the earliest such journey (the latest
    for arrive-by).
    """
    timed = [evolve(o, timing=option_timing(o, at, arrive_by=arrive_by)) for o in options]
    notes = [o.timing.note for o in timed if o.timing is not None and o.timing.note is not None]
    if not notes:
        return timed, []
    pick = notes[-1] if arrive_by else notes[0]
    return timed, [Notice(code=pick.code, message=pick.message)]
