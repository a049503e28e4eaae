"""GTFS-Realtime feeds read into plain records: trip updates and service alerts.

The protobuf is parsed with ``gtfs-realtime-bindings``; what the search needs is copied out into
small frozen dataclasses, so nothing downstream depends on the protobuf classes. A feed that is
not a ``FeedMessage`` raises :class:`RealtimeFeedError` with the reason, which the poller logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf.message import DecodeError
from google.transit import gtfs_realtime_pb2 as rt

#: The largest feed body read (bytes): a city's full TripUpdates are a few MiB; more is refused.
MAX_FEED_BYTES = 32 * 1024 * 1024


class RealtimeFeedError(ValueError):
    """A realtime feed that cannot be used; the message says why."""


@dataclass(frozen=True)
class StopUpdate:
    """One ``StopTimeUpdate``: times are POSIX seconds (``*_time``) or delays (``*_delay``)."""

    stop_id: str
    stop_sequence: int | None
    arrival_time: int | None
    arrival_delay: int | None
    departure_time: int | None
    departure_delay: int | None
    skipped: bool
    no_data: bool


@dataclass(frozen=True)
class TripUpdate:
    """One ``TripUpdate`` entity (ids without the feed prefix)."""

    trip_id: str
    route_id: str
    start_date: str  # YYYYMMDD, "" when the feed does not say
    start_time: str  # HH:MM:SS, "" when the feed does not say
    relationship: str  # SCHEDULED, CANCELED, ADDED, DUPLICATED, ...
    delay: int | None  # the trip-level delay, used when no stop says more
    stops: tuple[StopUpdate, ...] = ()
    new_start_date: str = ""  # DUPLICATED: trip_properties.start_date
    new_start_time: str = ""  # DUPLICATED: trip_properties.start_time


@dataclass(frozen=True)
class InformedEntity:
    agency_id: str = ""
    route_id: str = ""
    route_type: int | None = None
    stop_id: str = ""
    trip_id: str = ""


@dataclass(frozen=True)
class Alert:
    """One service alert; texts are ``{language: text}`` (``""`` for an untagged translation)."""

    entities: tuple[InformedEntity, ...]
    periods: tuple[tuple[int, int], ...]  # (start, end) POSIX seconds; 0 = open
    header: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    url: dict[str, str] = field(default_factory=dict)
    effect: str = "UNKNOWN_EFFECT"
    cause: str = "UNKNOWN_CAUSE"


@dataclass(frozen=True)
class RealtimeFeed:
    """What one fetch of a feed held."""

    timestamp: int  # header.timestamp (POSIX seconds), 0 if absent
    trip_updates: tuple[TripUpdate, ...] = ()
    alerts: tuple[Alert, ...] = ()

    @property
    def entities(self) -> int:
        return len(self.trip_updates) + len(self.alerts)


def parse_feed(data: bytes) -> RealtimeFeed:
    """Parse a serialized ``FeedMessage``.

    Raises
    ------
    RealtimeFeedError
        If the bytes are too many, not a protobuf ``FeedMessage``, or lack its header.
    """
    if len(data) > MAX_FEED_BYTES:
        raise RealtimeFeedError(f"feed of {len(data)} bytes is larger than the {MAX_FEED_BYTES}-byte limit")
    msg = rt.FeedMessage()
    try:
        msg.ParseFromString(data)
    except (DecodeError, RuntimeWarning, ValueError) as exc:
        raise RealtimeFeedError(f"not a GTFS-Realtime FeedMessage ({exc})") from exc
    if not msg.HasField("header") or not msg.header.gtfs_realtime_version:
        raise RealtimeFeedError("not a GTFS-Realtime FeedMessage (no header with gtfs_realtime_version)")
    updates: list[TripUpdate] = []
    alerts: list[Alert] = []
    for ent in msg.entity:
        if ent.is_deleted:
            continue
        if ent.HasField("trip_update"):
            updates.append(_trip_update(ent.trip_update))
        if ent.HasField("alert"):
            alerts.append(_alert(ent.alert))
    return RealtimeFeed(int(msg.header.timestamp), tuple(updates), tuple(alerts))


def _enum(enum: object, value: int) -> str:
    return str(enum.Name(value))  # type: ignore[attr-defined]


def _trip_update(tu: rt.TripUpdate) -> TripUpdate:
    trip = tu.trip
    stops = []
    for stu in tu.stop_time_update:
        rel = _enum(rt.TripUpdate.StopTimeUpdate.ScheduleRelationship, stu.schedule_relationship)
        arr, dep = stu.arrival, stu.departure
        stops.append(
            StopUpdate(
                stop_id=stu.stop_id,
                stop_sequence=stu.stop_sequence if stu.HasField("stop_sequence") else None,
                arrival_time=arr.time if stu.HasField("arrival") and arr.HasField("time") else None,
                arrival_delay=arr.delay if stu.HasField("arrival") and arr.HasField("delay") else None,
                departure_time=dep.time if stu.HasField("departure") and dep.HasField("time") else None,
                departure_delay=dep.delay if stu.HasField("departure") and dep.HasField("delay") else None,
                skipped=rel == "SKIPPED",
                no_data=rel == "NO_DATA",
            )
        )
    props = tu.trip_properties if tu.HasField("trip_properties") else None
    return TripUpdate(
        trip_id=trip.trip_id,
        route_id=trip.route_id,
        start_date=trip.start_date,
        start_time=trip.start_time,
        relationship=_enum(rt.TripDescriptor.ScheduleRelationship, trip.schedule_relationship),
        delay=tu.delay if tu.HasField("delay") else None,
        stops=tuple(stops),
        new_start_date=props.start_date if props is not None else "",
        new_start_time=props.start_time if props is not None else "",
    )


def _texts(ts: rt.TranslatedString) -> dict[str, str]:
    return {t.language: t.text for t in ts.translation}


def _alert(a: rt.Alert) -> Alert:
    entities = tuple(
        InformedEntity(
            agency_id=e.agency_id,
            route_id=e.route_id,
            route_type=e.route_type if e.HasField("route_type") else None,
            stop_id=e.stop_id,
            trip_id=e.trip.trip_id if e.HasField("trip") else "",
        )
        for e in a.informed_entity
    )
    return Alert(
        entities=entities,
        periods=tuple((int(p.start), int(p.end)) for p in a.active_period),
        header=_texts(a.header_text),
        description=_texts(a.description_text),
        url=_texts(a.url),
        effect=_enum(rt.Alert.Effect, a.effect),
        cause=_enum(rt.Alert.Cause, a.cause),
    )
