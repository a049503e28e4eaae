"""The plan answer as values: each mode's result and the whole answer (JSON in :mod:`routing.plan.answer_json`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from routing.core.answer import ModeError, Notice, Option
from routing.core.errors import GreenrouteError
from routing.plan.request import PlanRequest


@dataclass(frozen=True)
class ModeResult:
    """What one mode gives a plan: its options and notices, and the error when it found none.

    The notices stand even when the mode failed (a stale feed explains why no journey ran), so
    they travel here beside the error instead of on it.
    """

    options: tuple[Option, ...] = ()
    notices: tuple[Notice, ...] = ()
    error: GreenrouteError | None = None


@dataclass(frozen=True)
class PlanAnswer:
    """One trip plan: the options in mode order, the request it answers, notices, errors, data versions.

    ``at`` is the time planned for (the request's, or now); ``data`` is JSON already (the build's
    manifest, the factor pack's citation, the realtime feeds used), served as it is.
    """

    options: tuple[Option, ...]
    request: PlanRequest
    at: datetime
    data: dict[str, Any]
    notices: tuple[Notice, ...] = ()
    errors: tuple[ModeError, ...] = ()
