"""GTFS-Realtime test feeds made with gtfs-realtime-bindings, and a loopback HTTP server for them."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from google.transit import gtfs_realtime_pb2 as rt


def message(at: dt.datetime) -> rt.FeedMessage:
    m = rt.FeedMessage()
    m.header.gtfs_realtime_version = "2.0"
    m.header.timestamp = int(at.timestamp())
    return m


def trip_update(
    m: rt.FeedMessage,
    trip_id: str,
    *,
    date: str = "20261201",
    stops: tuple[tuple[str, dict[str, int]], ...] = (),
    canceled: bool = False,
    skipped: tuple[str, ...] = (),
    added_route: str = "",
) -> rt.TripUpdate:
    """Add a TripUpdate; ``stops`` holds (stop_id, {"arrival_delay"/"departure_delay"/
    "arrival_time"/"departure_time": value}) pairs."""
    e = m.entity.add()
    e.id = f"tu-{len(m.entity)}"
    tu = e.trip_update
    tu.trip.trip_id = trip_id
    tu.trip.start_date = date
    if canceled:
        tu.trip.schedule_relationship = rt.TripDescriptor.CANCELED
    if added_route:
        tu.trip.schedule_relationship = rt.TripDescriptor.ADDED
        tu.trip.route_id = added_route
    for stop_id, values in stops:
        stu = tu.stop_time_update.add()
        stu.stop_id = stop_id
        for key, value in values.items():
            event, what = key.split("_")
            setattr(getattr(stu, event), what, value)
    for stop_id in skipped:
        stu = tu.stop_time_update.add()
        stu.stop_id = stop_id
        stu.schedule_relationship = rt.TripUpdate.StopTimeUpdate.SKIPPED
    return tu


def alert(m: rt.FeedMessage, *, route_id: str = "", stop_id: str = "", texts: dict[str, str] | None = None) -> None:
    e = m.entity.add()
    e.id = f"al-{len(m.entity)}"
    a = e.alert
    ie = a.informed_entity.add()
    if route_id:
        ie.route_id = route_id
    if stop_id:
        ie.stop_id = stop_id
    for lang, text in (texts or {"en": "Detour on route " + route_id}).items():
        tr = a.header_text.translation.add()
        tr.text = text
        tr.language = lang
    a.effect = rt.Alert.DETOUR
    a.cause = rt.Alert.CONSTRUCTION


class FeedServer:
    """Bodies by path, changed by the test while the server runs; ``delay_s`` slows every answer."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.delay_s = 0.0
        self.hits = 0
        self.url = ""


@contextmanager
def serve_feeds() -> Iterator[FeedServer]:
    feeds = FeedServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            feeds.hits += 1
            time.sleep(feeds.delay_s)
            body = feeds.bodies.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that gave up on a slow answer (the timeout test) is expected

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    feeds.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield feeds
    finally:
        server.shutdown()
        server.server_close()
