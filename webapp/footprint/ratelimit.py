"""In-process token buckets per client address.

Each worker process keeps its own buckets, so with N workers a client may get up to N times the
configured rate; the limits are there to stop floods, not to meter anyone exactly.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
_RATE = re.compile(r" *(\d+) */ *(second|minute|hour|day) *")
# Beyond this many tracked addresses, buckets that have refilled completely are forgotten.
_MAX_TRACKED = 10_000


def parse_rate(text: str) -> tuple[int, float]:
    """Parse ``"N/period"`` (period: second, minute, hour, day) into (burst, tokens per second).

    Raises
    ------
    ValueError
        When ``text`` is not of that form or ``N`` is 0.
    """
    match = _RATE.fullmatch(str(text))
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"rate {text!r} is not of the form 'N/second|minute|hour|day' with N > 0")
    count = int(match.group(1))
    return count, count / _PERIODS[match.group(2)]


@dataclass
class TokenBucket:
    """``capacity`` tokens per address, refilled at ``per_second``; one request takes one."""

    capacity: int
    per_second: float
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_rate(cls, text: str) -> TokenBucket:
        """A bucket for a rate written as ``"N/period"``."""
        capacity, per_second = parse_rate(text)
        return cls(capacity=capacity, per_second=per_second)

    def take(self, address: str, *, now: float | None = None) -> float:
        """Take a token for ``address``.

        Returns
        -------
        float
            0 when the request may go ahead, else the seconds until a token is available.
        """
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(address, (float(self.capacity), now))
            tokens = min(float(self.capacity), tokens + (now - last) * self.per_second)
            if tokens < 1.0:
                self._buckets[address] = (tokens, now)
                return (1.0 - tokens) / self.per_second
            self._buckets[address] = (tokens - 1.0, now)
            if len(self._buckets) > _MAX_TRACKED:
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        full = [
            addr
            for addr, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * self.per_second >= self.capacity
        ]
        for addr in full:
            del self._buckets[addr]
