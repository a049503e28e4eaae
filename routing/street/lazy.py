"""A per-instance attribute computed on first use, once, even when threads ask at the same time.

Loading a street graph only memory-maps its arrays; its contraction hierarchies and their
customised metrics (hundreds of milliseconds for a turn-expanded graph, and ``routingkit-cch``
cannot store them) are built when a search first needs them. ``functools.cached_property`` would
build twice when two request threads race (Python 3.12 dropped its lock), so each instance holds
one re-entrant lock (a metric's builder asks for the hierarchy under it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")

_LOCK_ATTR = "_lazy_lock"


class lazy(Generic[T]):  # noqa: N801 - used as a decorator, like functools.cached_property
    """Decorate a method ``f(self) -> T``: ``obj.f`` is ``f(obj)``, computed once and kept.

    Once computed the value sits in the instance's ``__dict__``, where attribute lookup finds it
    before this (non-data) descriptor, so later reads cost nothing; assigning the attribute
    replaces the value (a step-free view sets its own metrics).
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> lazy[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> T | lazy[T]:
        if obj is None:
            return self
        with lock_of(obj):
            found = obj.__dict__.get(self.name, _MISSING)
            if found is _MISSING:
                found = obj.__dict__[self.name] = self.func(obj)
            return found


_MISSING = object()
_LOCKS_LOCK = threading.Lock()


def lock_of(obj: object) -> threading.RLock:
    """The instance's build lock, made on first use (instances need not create it themselves)."""
    lock: threading.RLock | None = obj.__dict__.get(_LOCK_ATTR)
    if lock is None:
        with _LOCKS_LOCK:
            lock = obj.__dict__.setdefault(_LOCK_ATTR, threading.RLock())
    return lock
