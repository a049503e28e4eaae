"""The answer's realtime fields: each transit leg's ``realtime`` and ``alerts``, and the
``realtime_canceled`` notices."""

from __future__ import annotations

import datetime as dt

from routing.core.answer import Leg, Notice, Option, Realtime, TransitLeg, each_ride, evolve
from routing.realtime.alerts import leg_alerts
from routing.realtime.service import LiveSnapshot
from routing.transit.query import Journey, RideLeg
from routing.transit.timetable import Timetable


def _at(base: dt.datetime, seconds: int, tz: dt.tzinfo | None) -> dt.datetime:
    return (base + dt.timedelta(seconds=seconds)).astimezone(tz)


def _realtime(live: LiveSnapshot, tt: Timetable, journey: Journey, ride: RideLeg) -> Realtime | None:
    """The status, delay and scheduled times of one ride, or None when no fresh trip updates
    cover its feed."""
    if tt.feed_of_trip(ride.trip) not in live.covered or live.view is None:
        return None
    info = live.view.info
    tz = journey.departure.tzinfo
    if ride.trip < info.n_static:  # the feed says nothing about this trip: its timetable
        dep, arr = _at(journey.base, ride.departure_s, tz), _at(journey.base, ride.arrival_s, tz)
        return Realtime(status="scheduled", delay_s=0, scheduled_departure=dep, scheduled_arrival=arr)
    s = int(info.scheduled[ride.trip])
    if s < 0:  # added or duplicated: no timetable to compare with
        return Realtime(status="added", delay_s=None, scheduled_departure=None, scheduled_arrival=None)
    # The new trip runs on the same service day as the one it replaces: the same day offset.
    o_new, o_old, shift = int(tt.trip_times[ride.trip]), int(tt.trip_times[s]), int(tt.trip_shift[s])
    off = ride.departure_s - int(tt.st_dep[o_new + ride.board])
    s_dep = int(tt.st_dep[o_old + ride.board]) + shift + off
    s_arr = int(tt.st_arr[o_old + ride.alight]) + shift + off
    return Realtime(
        status="updated",
        delay_s=ride.arrival_s - s_arr,
        departure_delay_s=ride.departure_s - s_dep,
        scheduled_departure=_at(journey.base, s_dep, tz),
        scheduled_arrival=_at(journey.base, s_arr, tz),
    )


def annotate_rides(
    live: LiveSnapshot, tt: Timetable, journey: Journey, legs: list[Leg | TransitLeg]
) -> list[Leg | TransitLeg]:
    """``legs`` (``journey_legs`` of ``journey`` on ``tt``, walks between them included) with each
    ride's ``realtime`` and ``alerts``: new legs, ``legs`` unchanged."""

    def change(leg: TransitLeg, ride: RideLeg) -> TransitLeg:
        rt = _realtime(live, tt, journey, ride)
        alerts = (
            tuple(leg_alerts(live.alerts, tt, journey, ride, stops=(leg.stops[0], leg.stops[-1])))
            if live.alerts
            else None
        )
        return evolve(leg, realtime=rt, alerts=alerts)

    return each_ride(legs, journey.rides, change)


def canceled_notices(live: LiveSnapshot, options: list[Option], at: dt.datetime) -> list[Notice]:
    """A ``realtime_canceled`` notice per cancelled trip that would have left a boarding stop of
    an option between ``at`` and that option's own departure there (the trip a rider might have
    expected to take)."""
    if live.view is None or not live.view.info.canceled:
        return []
    tt = live.view
    tz = at.tzinfo
    boards: dict[str, tuple[dt.datetime, dt.datetime]] = {}  # stop id → (earliest, latest) to look
    boarded_by: dict[str, list[tuple[str, dt.datetime]]] = {}  # stop id → (option id, its departure there)
    for opt in options:
        for leg in opt.rides:
            sid = leg.timetable.stop_id(leg.stops[0])
            dep = leg.departure.replace(microsecond=0)  # the time as the answer shows it
            lo, hi = boards.get(sid, (at, dep))
            boards[sid] = (min(lo, at), max(hi, dep))
            boarded_by.setdefault(sid, []).append((opt.id, dep))
    from routing.transit.dates import service_base

    out: list[Notice] = []
    for t, day in sorted(live.view.info.canceled, key=lambda x: (x[1], x[0])):
        p = int(tt.trip_pattern[t])
        base = service_base(day, tz)  # type: ignore[arg-type]
        o, shift = int(tt.trip_times[t]), int(tt.trip_shift[t])
        for pos, s in enumerate(tt.pattern_slice(p).tolist()):
            window = boards.get(tt.stop_id(int(s)))
            if window is None:
                continue
            when = base + dt.timedelta(seconds=int(tt.st_dep[o + pos]) + shift)
            if window[0] <= when <= window[1]:
                route = tt.route_info(int(tt.trip_route[t]))
                name = route["short_name"] or route["long_name"]
                sid = tt.stop_id(int(s))
                out.append(
                    Notice(
                        code="realtime_canceled",
                        message=f"{name} to {tt.trip_headsign(t) or route['long_name']} at "
                        f"{when.astimezone(tz).strftime('%H:%M')} from {tt.stop_name(int(s))} is cancelled",
                        details=(
                            ("trip_id", tt.trip_id(t)),
                            ("stop_id", sid),
                            ("scheduled_departure", when.astimezone(tz).isoformat(timespec="seconds")),
                            # the parts of the message, for a page that says it in its own language
                            ("route", name),
                            ("headsign", tt.trip_headsign(t) or route["long_name"]),
                            ("stop_name", tt.stop_name(int(s))),
                            # the options leaving that stop after it: the ones a rider would take instead
                            ("options", [o for o, dep in boarded_by[sid] if at <= when <= dep]),
                        ),
                    )
                )
                break
    return out
