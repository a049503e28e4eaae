"""When the bytes read so far on a connection hold a whole HTTP/1.x request.

The gunicorn worker (:mod:`webapp.gunicorn_worker`) reads each request in its event loop and hands
it to a thread only once it is complete, so a client that sends its request slowly (slowloris)
costs a socket, never a thread. This module decides "complete" from the bytes alone.
"""

from __future__ import annotations

import re
from enum import Enum

# Longer header blocks are refused (431) before a thread ever sees them; gunicorn's own limits
# (a 4 KiB request line, 8 KiB per field) are tighter per line, this bounds the whole block.
MAX_HEADER_BYTES = 64 * 1024
_HEADER_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d{1,18})[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A body of unknown length (chunked) or one the client sends only after "100 Continue": the
# thread reads it (gunicorn bounds that read), as waiting here could wait forever.
_HAND_OVER_AT_HEADERS = re.compile(rb"^(transfer-encoding|expect)[ \t]*:", re.IGNORECASE | re.MULTILINE)


class Readiness(Enum):
    """What the event loop does with a connection's bytes so far."""

    WAIT = "wait"  # read more
    READY = "ready"  # hand the request to a thread
    TOO_LARGE = "too_large"  # answer 431 and close


def readiness(data: bytes, *, max_body: int) -> Readiness:
    """Whether ``data`` (everything read so far) holds a whole request.

    Parameters
    ----------
    data
        The bytes received on the connection since the last request ended.
    max_body
        Bodies announced larger than this are handed over at once: the app refuses them (413)
        without reading them, so waiting for them would only hold memory.
    """
    end = data.find(_HEADER_END)
    if end < 0:
        return Readiness.TOO_LARGE if len(data) > MAX_HEADER_BYTES else Readiness.WAIT
    head = data[:end]
    if _HAND_OVER_AT_HEADERS.search(head):
        return Readiness.READY
    lengths = _CONTENT_LENGTH.findall(head.replace(b"\r\n", b"\n"))
    if not lengths:
        return Readiness.READY
    # Several or malformed Content-Length headers: gunicorn answers 400 itself.
    if len(set(lengths)) != 1:
        return Readiness.READY
    length = int(lengths[0])
    if length > max_body:
        return Readiness.READY
    return Readiness.READY if len(data) - (end + len(_HEADER_END)) >= length else Readiness.WAIT
