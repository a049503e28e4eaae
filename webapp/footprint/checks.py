"""Small validators that name the offending field in their 400 errors."""

from __future__ import annotations

import json
import math
import re
import uuid as uuidlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from webapp.errors import ApiError

# Matched with fullmatch: "$" would also accept a trailing newline ("walk\n").
MODE_RE = re.compile(r"[a-z][a-z0-9_+-]{0,31}")
# Factor packs and versions start with a letter or digit, which also keeps CSV cells from ever
# being read as spreadsheet formulas.
_LABEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+ -]{0,63}")
_MIN_YEAR, _MAX_YEAR = 1970, 2200


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads(data: bytes | str) -> Any:
    """Parse JSON as RFC 8259 defines it: ``NaN``, ``Infinity`` and ``-Infinity`` are refused.

    Raises
    ------
    ValueError
        When ``data`` is not JSON (or uses those constants); RecursionError when nested too deep.
    """
    return json.loads(data, parse_constant=_no_constant)


def bad(path: str, message: str, *, code: str = "invalid_field") -> ApiError:
    """A 400 error about ``path``."""
    return ApiError(400, code, f"{path}: {message}", field=path)


def obj(value: Any, path: str) -> dict[str, Any]:
    """``value`` if it is a JSON object."""
    if not isinstance(value, dict):
        raise bad(path, "must be a JSON object")
    return value


def array(value: Any, path: str, *, max_len: int) -> list[Any]:
    """``value`` if it is a JSON array of at most ``max_len`` items."""
    if not isinstance(value, list):
        raise bad(path, "must be a JSON array")
    if len(value) > max_len:
        raise bad(path, f"has {len(value)} items, at most {max_len} are accepted")
    return value


def number(value: Any, path: str, *, lo: float, hi: float) -> float:
    """``value`` as a float if it is a finite JSON number in [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad(path, "must be a number")
    try:
        out = float(value)
    except OverflowError:  # an integer beyond the float range
        raise bad(path, f"must be between {lo:g} and {hi:g}") from None
    if not math.isfinite(out) or not lo <= out <= hi:
        raise bad(path, f"must be between {lo:g} and {hi:g}")
    return out


def optional_number(value: Any, path: str, *, lo: float, hi: float) -> float | None:
    """Like :func:`number`, but ``null`` is accepted."""
    return None if value is None else number(value, path, lo=lo, hi=hi)


def mode(value: Any, path: str) -> str:
    """A travel mode name such as ``walk`` or ``bike+transit``."""
    if not isinstance(value, str) or not MODE_RE.fullmatch(value):
        raise bad(path, "must be a mode name: lowercase letters, digits, '+', '_' or '-' (≤ 32)")
    return value


def label(value: Any, path: str) -> str | None:
    """A factor pack or version label, or ``None``."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _LABEL_RE.fullmatch(value):
        raise bad(path, "must be null or a label of letters, digits and . _ : + - (≤ 64)")
    return value


def boolean(value: Any, path: str) -> bool:
    """A JSON boolean."""
    if not isinstance(value, bool):
        raise bad(path, "must be true or false")
    return value


def text(value: Any, path: str, *, max_len: int) -> str:
    """A string of at most ``max_len`` characters."""
    if not isinstance(value, str) or len(value) > max_len:
        raise bad(path, f"must be a string of at most {max_len} characters")
    return value


def uuid(value: Any, path: str) -> str:
    """A UUID in canonical lowercase form."""
    if not isinstance(value, str) or len(value) > 64:
        raise bad(path, "must be a UUID string")
    try:
        return str(uuidlib.UUID(value))
    except ValueError:
        raise bad(path, "must be a UUID string") from None


def timestamp(value: Any, path: str, *, default_offset_min: int | None = None) -> tuple[datetime, int]:
    """An ISO-8601 date-time as (naive UTC datetime, UTC offset in minutes).

    A value without an offset is accepted only when ``default_offset_min`` is given.
    """
    if not isinstance(value, str) or len(value) > 64:
        raise bad(path, "must be an ISO-8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise bad(path, "must be an ISO-8601 date-time such as 2026-11-22T08:00:00-03:00") from None
    if parsed.tzinfo is None:
        if default_offset_min is None:
            raise bad(path, "must include a UTC offset, e.g. -03:00 or Z")
        parsed = parsed.replace(tzinfo=_tz(default_offset_min))
    offset = parsed.utcoffset()
    assert offset is not None  # tz-aware here
    offset_min = int(offset.total_seconds() // 60)
    if not -18 * 60 <= offset_min <= 18 * 60:
        raise bad(path, "UTC offset must be within ±18:00")
    if not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        raise bad(path, f"year must be between {_MIN_YEAR} and {_MAX_YEAR}")
    return parsed.astimezone(UTC).replace(tzinfo=None), offset_min


def _tz(offset_min: int) -> timezone:
    return timezone(timedelta(minutes=offset_min))


def local_iso(utc: datetime, offset_min: int) -> str:
    """``utc`` (naive UTC) written in its local offset, seconds precision."""
    return utc.replace(tzinfo=UTC).astimezone(_tz(offset_min)).isoformat(timespec="seconds")


def local_time(utc: datetime, offset_min: int) -> datetime:
    """``utc`` (naive UTC) as a naive local wall time."""
    return utc + timedelta(minutes=offset_min)


def utc_iso(utc: datetime) -> str:
    """A naive UTC datetime written with a ``Z``."""
    return utc.replace(microsecond=0).isoformat() + "Z"
