"""Reading one realtime feed body, bounded in size and time, from an http(s) URL or a file."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from routing.transit.realtime_feed import MAX_FEED_BYTES, RealtimeFeedError

#: The longest wait for one fetch: a slow server must not hold the poller past the next poll.
FETCH_TIMEOUT_S = 10.0


def fetch_bytes(location: str, *, timeout_s: float = FETCH_TIMEOUT_S, limit: int = MAX_FEED_BYTES) -> bytes:
    """The body at ``location``; never more than ``limit`` bytes are read.

    Raises
    ------
    RealtimeFeedError
        If the fetch fails, times out or the body is larger than ``limit``.
    """
    try:
        if location.startswith(("http://", "https://")):
            req = urllib.request.Request(location, headers={"Accept": "application/x-protobuf"})
            with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - http(s) only
                data = resp.read(limit + 1)
        else:
            with Path(location).open("rb") as fh:
                data = fh.read(limit + 1)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        raise RealtimeFeedError(f"fetch failed: {exc}") from exc
    if len(data) > limit:
        raise RealtimeFeedError(f"feed larger than the {limit}-byte limit: not read further")
    return data
