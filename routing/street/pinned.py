"""Per-thread routing objects that are never dropped on another thread.

``routingkit_cch``'s query objects are "unsendable": they must be used and freed by the thread that
made them. Thread-local storage is freed by whichever thread clears it (at interpreter exit, the
main thread), which the binding reports as an error. So each object gets one extra reference and
lives as long as the process; there is one per thread and graph, so this is bounded.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class PinnedPerThread:
    """``get(key, make)`` returns this thread's object for ``key``, making it on first use."""

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self, key: str, make: Callable[[], T]) -> T:
        objs: dict[str, object] | None = getattr(self._local, "objs", None)
        if objs is None:
            objs = self._local.objs = {}
        obj = objs.get(key)
        if obj is None:
            obj = objs[key] = make()
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))
        return obj  # type: ignore[return-value]
