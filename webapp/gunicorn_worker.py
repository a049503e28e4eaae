"""The gunicorn worker of ``greenroute serve``: whole requests to threads, JSON error pages.

Slow clients. Stock gthread hands a connection to a thread as soon as a byte arrives, and the
thread then blocks reading the rest, so a few clients sending their headers a byte at a time
(slowloris) hold every thread. This worker reads each request in its event loop, without
blocking, and submits it to the thread pool only once it is complete
(:func:`webapp.request_buffer.readiness`); a request not complete within
``REQUEST_READ_TIMEOUT_S`` of its first chance to arrive is dropped. A slow client then costs a
socket, not a thread (``worker_connections`` bounds the sockets).

Load shedding. A plan or isochrone request that arrives while every query slot of the process is
taken is answered ``503 overloaded`` from the event loop itself (:meth:`JsonErrorWorker._refuse_in_loop`),
without a thread; such refusals are not in the request log.

Arrival time. The moment the request was complete is handed to the app in the WSGI environ
(:data:`webapp.limits.ARRIVED_KEY`), so a query's time budget also counts the time it queued for
a thread.

Error pages. Gunicorn answers requests it cannot parse before the app sees them, with an HTML
page. The API promises one error shape everywhere, so this worker replaces gunicorn's page writer
with one that sends ``{"error", "message"}``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import selectors
import socket
import threading
import time
from collections import OrderedDict
from functools import partial
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import TConn, ThreadWorker

from webapp.limits import ARRIVED_KEY, OVERLOADED_MESSAGE, RETRY_AFTER_S, InflightLimit, guarded_target, limit_of
from webapp.request_buffer import Readiness, readiness

_RECV_BYTES = 64 * 1024
_CODES = {
    400: "bad_request",
    403: "forbidden",
    414: "uri_too_long",
    417: "expectation_failed",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
}
_HINTS = {
    414: "the request line is too long: send fewer or shorter query parameters",
    431: "the request headers are too large",
}
_local = threading.local()
# Enough of the buffer to hold a request line gunicorn accepts (its limit_request_line is 4094).
_REQUEST_LINE_BYTES = 8192
_OVERLOADED_BODY = json.dumps(
    {"error": "overloaded", "message": OVERLOADED_MESSAGE, "retry_after_s": RETRY_AFTER_S}
).encode()
_OVERLOADED = (
    f"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\n"
    f"Retry-After: {RETRY_AFTER_S}\r\nCache-Control: no-store\r\nContent-Length: {len(_OVERLOADED_BODY)}\r\n\r\n"
).encode("latin-1") + _OVERLOADED_BODY


def _write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    body = json.dumps(
        {
            "error": _CODES.get(status_int, "bad_request"),
            "message": _HINTS.get(status_int) or f"{reason.lower()}: {mesg}"[:300],
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    util.write_nonblock(sock, head + body)


class _Stamped:
    """WSGI middleware: the time the thread's current request was complete, in the environ."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        environ[ARRIVED_KEY] = getattr(_local, "arrived", None) or time.perf_counter()
        return self.app(environ, start_response)


class JsonErrorWorker(ThreadWorker):
    """gthread worker that buffers whole requests before a thread sees them (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Connections still receiving their request, oldest first (all share one timeout).
        self.reading: OrderedDict[TConn, float] = OrderedDict()
        # Both from the app's typed config once it is loaded (load_wsgi).
        self.read_timeout_s = 0.0
        self.max_body = 0
        self.limit: InflightLimit | None = None

    def init_process(self) -> None:
        util.write_error = _write_json_error
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        app: Any = self.wsgi  # type: ignore[has-type]  # gunicorn is untyped; set by load_wsgi
        self.read_timeout_s = float(app.config["REQUEST_READ_TIMEOUT_S"])
        self.max_body = int(app.config["MAX_CONTENT_LENGTH"])
        self.limit = limit_of(app)
        self.wsgi = _Stamped(app)

    def accept(self, listener: socket.socket) -> None:
        try:
            client_sock, client_addr = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._read_request(TConn(self.cfg, client_sock, client_addr, listener.getsockname()))

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        # A kept-alive connection's next request: read it in the loop too.
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._read_request(conn)
        self._on_readable(conn, client)

    def _read_request(self, conn: TConn) -> None:
        conn.greenroute_buf = bytearray()
        conn.sock.setblocking(False)
        self.reading[conn] = time.monotonic() + self.read_timeout_s
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: TConn, _client: Any) -> None:
        if conn not in self.reading:
            return
        try:
            data = conn.sock.recv(_RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client closed (or reset) before its request was complete
            self._drop(conn)
            return
        conn.greenroute_buf += data
        state = readiness(bytes(conn.greenroute_buf), max_body=self.max_body)
        if state is Readiness.WAIT:
            return
        self._stop_reading(conn)
        if state is Readiness.TOO_LARGE:
            with contextlib.suppress(OSError):  # a client that reset: nothing to tell it
                _write_json_error(conn.sock, 431, "Request Header Fields Too Large", "")
            self.nr_conns -= 1
            conn.close()
            return
        if self._refuse_in_loop(conn):
            return
        conn.greenroute_arrived = time.perf_counter()
        conn.data_ready = True
        self.enqueue_req(conn)

    def _refuse_in_loop(self, conn: TConn) -> bool:
        """Answer ``503 overloaded`` from the loop when a computing request finds every slot taken.

        The app would refuse it too, but only once a thread is free and after the whole Flask
        dispatch, which under a flood of such requests (each sharing the GIL with the query that
        is computing) took most of a second per refusal. Here it costs one write and no thread.
        The per-client cap is left to the app, which knows the client address behind a proxy.
        """
        line = bytes(conn.greenroute_buf[:_REQUEST_LINE_BYTES]).split(b"\r\n", 1)[0].split(b" ")
        if len(line) != 3 or not guarded_target(line[1]) or self.limit is None:
            return False
        if self.limit.running < self.limit.capacity:
            return False
        self.limit.refused += 1
        with contextlib.suppress(OSError):  # a client that reset: nothing to tell it
            util.write_nonblock(conn.sock, _OVERLOADED)
        self.nr_conns -= 1
        conn.close()
        return True

    def _stop_reading(self, conn: TConn) -> None:
        self.reading.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):  # already gone from the poller
            self.poller.unregister(conn.sock)

    def _drop(self, conn: TConn) -> None:
        self._stop_reading(conn)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        # Called once per event-loop turn: also close connections whose request is overdue.
        super().murder_pending()
        now = time.monotonic()
        while self.reading:
            conn, deadline = next(iter(self.reading.items()))
            if deadline > now:
                break
            self._drop(conn)

    def handle(self, conn: TConn) -> Any:
        buffered = conn.__dict__.pop("greenroute_buf", None)
        _local.arrived = conn.__dict__.pop("greenroute_arrived", None)
        if buffered:
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(bytes(buffered))
        try:
            return super().handle(conn)
        finally:
            _local.arrived = None

    def handle_error(self, req: Any, client: Any, addr: Any, exc: Exception) -> None:
        # Gunicorn logs the client address of invalid requests; ours keep no addresses.
        super().handle_error(req, client, ("", -1), exc)
