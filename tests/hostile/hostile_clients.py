"""Hostile clients for the live-server tests and ``bench/load.py``: slowloris sockets and probes.

Every loop here is bounded in count and time, and talks to loopback only.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

SLOW_HEAD = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
SLOW_POST = b"POST /api/footprint/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"


@dataclass
class SlowClients:
    """Sockets that send their request a byte at a time and never finish it (slowloris)."""

    closed_by_server: int = 0
    _socks: list[socket.socket] = field(default_factory=list)


def _open(port: int, i: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(SLOW_POST if i % 5 == 4 else SLOW_HEAD)
    return s


@contextlib.contextmanager
def slowloris(port: int, *, count: int, byte_every_s: float, reconnect: bool = False) -> Iterator[SlowClients]:
    """``count`` connections (one in five a slow POST body) trickling bytes until the block ends.

    With ``reconnect``, a connection the server closes is opened again at once, as an attacker
    would, so that ``count`` stay open for the whole block.
    """
    clients = SlowClients()
    stop = threading.Event()
    for i in range(count):
        clients._socks.append(_open(port, i))

    def trickle() -> None:
        while not stop.wait(byte_every_s):
            for i, s in enumerate(list(clients._socks)):
                try:
                    s.sendall(b"a")
                except OSError:
                    clients._socks.remove(s)
                    s.close()
                    clients.closed_by_server += 1
                    if reconnect and not stop.is_set():
                        with contextlib.suppress(OSError):
                            clients._socks.append(_open(port, i))

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    try:
        yield clients
    finally:
        stop.set()
        t.join(timeout=5)
        for s in clients._socks:
            s.close()


def probe(send: Callable[[], int], *, seconds: float, every_s: float) -> list[tuple[int, float]]:
    """Call ``send`` (returns an HTTP status) every ``every_s`` for ``seconds``: (status, seconds) each."""
    out: list[tuple[int, float]] = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        t0 = time.perf_counter()
        status = send()
        out.append((status, time.perf_counter() - t0))
        time.sleep(max(0.0, every_s - (time.perf_counter() - t0)))
    return out


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]
