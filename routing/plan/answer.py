"""Typed pieces of a plan answer that travel between the planner's parts as values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from routing.core.errors import GreenrouteError


@dataclass(frozen=True)
class ModeResult:
    """What one mode gives a plan: its options and notices, and the error when it found none.

    The notices stand even when the mode failed (a stale feed explains why no journey ran), so
    they travel here beside the error instead of on it.
    """

    options: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    error: GreenrouteError | None = None
