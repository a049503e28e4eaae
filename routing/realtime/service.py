"""The realtime poller of one server process and the snapshot a request reads.

One daemon thread per process fetches every configured source in turn (each at its own
``poll_seconds``), parses it and, when the trip updates changed, builds a new realtime view of the
timetable. The request threads never wait for it: each makes its :class:`LiveSnapshot` from what
the poller last published, the fetched data and the view built from it, replaced whole (one
attribute assignment), so a request sees one consistent view from start to end and names only the
data that view applies. A failed fetch keeps the last good data; data older than ``max_age_seconds`` is not used
and the answer says so with a ``realtime_stale`` notice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from routing.core.realtime_config import RealtimeSource
from routing.realtime.fetch import fetch_bytes
from routing.transit.realtime_feed import Alert, RealtimeFeed, RealtimeFeedError, parse_feed
from routing.transit.realtime_view import RealtimeTimetable, realtime_view
from routing.transit.timetable import Timetable

log = logging.getLogger("greenroute.realtime")
#: How often the poller wakes to see whether a source is due or a feed went stale.
_TICK_S = 1.0
_KINDS = ("trip_updates", "alerts")


@dataclass(frozen=True)
class _Got:
    fetched_at: float  # POSIX seconds of the fetch
    feed: RealtimeFeed


@dataclass(frozen=True)
class _Published:
    """What the poller last published, in one object: the fetched data and the view built from it.

    Published by one assignment once the view is built, so a request never reports a fetch (its
    ``data`` block) whose trip updates its timetable does not yet apply: stored apart, a request
    landing in the view's build (13 ms for the test city) did.
    """

    got: dict[tuple[int, str], _Got] = field(default_factory=dict)  # (source index, kind) → last good data
    view: RealtimeTimetable | None = None
    key: tuple[Any, ...] = ()  # (source index, id of its feed) of the trip updates ``view`` applies


@dataclass(frozen=True)
class LiveSnapshot:
    """What one request uses: the timetable to search and the data blocks to report."""

    timetable: Timetable
    view: RealtimeTimetable | None  # the timetable when trip updates are applied
    covered: frozenset[int]  # feed indices whose trip updates ``timetable`` applies
    alerts: tuple[tuple[int, Alert], ...]  # (feed index, alert) of fresh alert feeds
    data: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, str]] = field(default_factory=list)


class RealtimeService:
    """Polls ``sources`` for the timetable ``tt`` and serves :class:`LiveSnapshot` objects.

    Parameters
    ----------
    tt
        The compiled timetable (never changed: views are new objects).
    sources
        The city's ``[[realtime]]`` entries; one naming no feed of ``tt`` is logged and skipped.
    clock
        Seconds since the epoch (tests give a fake one).
    fetch
        Reads one location into bytes (tests may replace it).
    background
        Poll in a thread started by the first :meth:`snapshot`; without it only :meth:`poll`
        fetches (tests drive it step by step).
    """

    def __init__(
        self,
        tt: Timetable,
        sources: tuple[RealtimeSource, ...],
        *,
        clock: Callable[[], float] = time.time,
        fetch: Callable[[str], bytes] = fetch_bytes,
        background: bool = True,
    ) -> None:
        self.background = background
        self.tt = tt
        names = {str(f["name"]): i for i, f in enumerate(tt.feeds)}
        self.sources: list[tuple[int, RealtimeSource]] = []
        for src in sources:
            if src.feed not in names:
                log.warning("realtime source for unknown feed %r ignored (feeds: %s)", src.feed, sorted(names))
                continue
            self.sources.append((names[src.feed], src))
        self._clock = clock
        self._fetch = fetch
        self._published = _Published()
        self._due: dict[int, float] = {}
        self._lock = threading.Lock()  # one poll at a time (the thread, or a test calling poll)
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stop = threading.Event()
        self._pin = threading.local()  # the snapshot a request in this thread has pinned
        # gunicorn forks workers from a master that loaded the planner: the child starts its own
        # poller, and must not inherit a lock that the parent's poller held at the fork.
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._thread = None

    # -- the poller ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start this process's poller thread if it is not running (after a fork it is not)."""
        if not self.background:
            return
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._stop.clear()
            self._due.clear()  # a forked copy polls at once rather than trusting the parent's clock
            self._thread = threading.Thread(target=self._run, name="greenroute-realtime", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception:  # noqa: BLE001 - the poller must outlive any bad feed
                log.exception("realtime poll failed")
            self._stop.wait(_TICK_S)

    def poll(self, *, force: bool = False) -> None:
        """Fetch every source that is due (all with ``force``) and rebuild the view if needed."""
        with self._lock:
            now = self._clock()
            got = dict(self._published.got)  # filled here, published with the view built from it
            for i, (_, src) in enumerate(self.sources):
                if not force and self._due.get(i, 0.0) > now:
                    continue
                self._due[i] = now + src.poll_seconds
                for kind in _KINDS:
                    location = getattr(src, kind)
                    if location is not None:
                        self._fetch_one(i, src, kind, location, into=got)
            self._rebuild(got, self._clock())

    def _fetch_one(
        self, i: int, src: RealtimeSource, kind: str, location: str, *, into: dict[tuple[int, str], _Got]
    ) -> None:
        try:
            feed = parse_feed(self._fetch(location))
        except RealtimeFeedError as exc:
            log.warning("realtime %s of feed %s refused (%s); last good data kept", kind, src.feed, exc)
            return
        into[(i, kind)] = _Got(self._clock(), feed)

    def _fresh(self, got: dict[tuple[int, str], _Got], now: float) -> dict[tuple[int, str], _Got]:
        return {key: one for key, one in got.items() if now - one.fetched_at <= self.sources[key[0]][1].max_age_seconds}

    def _rebuild(self, got: dict[tuple[int, str], _Got], now: float) -> None:
        """Publish ``got`` with the view of its fresh trip updates (the last view when they are the same)."""
        fresh = self._fresh(got, now)
        used = sorted((i, id(one.feed)) for (i, kind), one in fresh.items() if kind == "trip_updates")
        key = tuple(used)
        last = self._published
        if key == last.key:
            self._published = _Published(got, last.view, last.key)
            return
        view = None
        if used:
            updates: dict[int, tuple[Any, ...]] = {}
            for (i, kind), one in sorted(fresh.items()):
                if kind == "trip_updates":
                    fi = self.sources[i][0]
                    updates[fi] = updates.get(fi, ()) + one.feed.trip_updates
            t0 = time.perf_counter()
            view = realtime_view(self.tt, updates, now=dt.datetime.fromtimestamp(now, dt.UTC))
            log.info(
                "realtime view: %d trip updates applied, %d ignored %s, in %.0f ms",
                view.info.applied,
                sum(view.info.ignored.values()),
                view.info.ignored,
                (time.perf_counter() - t0) * 1000,
            )
        self._published = _Published(got, view, key)  # one assignment: requests never see half

    # -- what a request reads ------------------------------------------------------------------
    @contextmanager
    def pinned(self) -> Iterator[LiveSnapshot]:
        """Within the block, :meth:`snapshot` in this thread returns the same snapshot, so every
        part of one answer reads the same data even if a poll lands meanwhile."""
        live = self.snapshot()
        self._pin.live = live
        try:
            yield live
        finally:
            self._pin.live = None

    def snapshot(self) -> LiveSnapshot:
        """The data to answer one request with (starts the poller on first use in a process)."""
        pinned: LiveSnapshot | None = getattr(self._pin, "live", None)
        if pinned is not None:
            return pinned
        self.start()
        now = self._clock()
        published = self._published  # read once: the data and the view it was built from
        view, key = published.view, published.key
        fresh = self._fresh(published.got, now)
        in_view = {i for i, _ in key}
        fresh_tu = {i for (i, kind) in fresh if kind == "trip_updates"}
        if not in_view <= fresh_tu:  # the poller has not yet dropped a feed that went stale
            view, in_view = None, set()
        data: list[dict[str, Any]] = []
        notices: list[dict[str, str]] = []
        for i, (_, src) in enumerate(self.sources):
            for kind in _KINDS:
                if getattr(src, kind) is None:
                    continue
                got = published.got.get((i, kind))
                if got is not None and (i, kind) in fresh:
                    data.append(
                        {
                            "feed": src.feed,
                            "kind": kind,
                            "fetched_at": dt.datetime.fromtimestamp(got.fetched_at, dt.UTC).isoformat(
                                timespec="seconds"
                            ),
                            "age_s": round(now - got.fetched_at, 1),
                            "entities": got.feed.entities,
                        }
                    )
                    continue
                age = "no data received yet" if got is None else f"last good data {now - got.fetched_at:.0f} s old"
                shown = "timetable times shown" if kind == "trip_updates" else "no alerts shown"
                what = kind.replace("_", " ")
                notices.append(
                    {
                        "code": "realtime_stale",
                        "message": f"{src.feed}: realtime {what} not used ({age}, limit "
                        f"{src.max_age_seconds:.0f} s): {shown}",
                    }
                )
        alerts = tuple(
            (self.sources[i][0], alert)
            for (i, kind), got in sorted(fresh.items())
            if kind == "alerts"
            for alert in got.feed.alerts
        )
        covered = frozenset(self.sources[i][0] for i in in_view)
        return LiveSnapshot(view if view is not None else self.tt, view, covered, alerts, data, notices)
