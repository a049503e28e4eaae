"""A gunicorn worker whose own error pages (request line too long, bad headers...) are JSON.

Gunicorn answers requests it cannot parse before the app sees them, with an HTML page. The API
promises one error shape everywhere, so this worker replaces gunicorn's page writer with one that
sends ``{"error", "message"}``.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

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


class JsonErrorWorker(ThreadWorker):
    """gthread worker with JSON error pages for requests gunicorn rejects itself."""

    def init_process(self) -> None:
        util.write_error = _write_json_error
        super().init_process()

    def handle_error(self, req: Any, client: Any, addr: Any, exc: Exception) -> None:
        # Gunicorn logs the client address of invalid requests; ours keep no addresses.
        super().handle_error(req, client, ("", -1), exc)
