"""Typed configuration: every documented ``GREENROUTE_*`` setting, parsed and checked at start-up.

A setting comes, in increasing priority, from its default here, ``config.py`` in the instance
folder, the ``GREENROUTE_<KEY>`` environment variable, and (for tests) the mapping given to
``create_app``. Environment values are text and are parsed to the setting's type; values from
``config.py`` or a test mapping may be given typed already. Every value is checked when the app is
created, so a bad one stops start-up with a message that names the variable and says what it
expects, instead of failing later inside a request.

``GREENROUTE_HOME``, ``GREENROUTE_GRAPHS`` and ``GREENROUTE_INSTANCE`` are read before the app
exists (they say where the app's files are) and are checked by :func:`check_paths`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from webapp.footprint.ratelimit import parse_rate

ENV_PREFIX = "GREENROUTE_"
#: Read before the app exists: where seeds, graphs and the instance folder are.
PATH_VARIABLES = ("HOME", "GRAPHS", "INSTANCE")
#: Not settings of the app: read by the test suite only.
_TEST_PREFIX = "TEST_"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_CITY_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?")


class SettingError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""

    def __init__(self, key: str, expected: str, value: object, *, message: str | None = None) -> None:
        self.key = key
        super().__init__(message or f"{ENV_PREFIX}{key}={value!r} is not usable: expected {expected}")


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its key (without the prefix), default, what it expects, and its parser.

    ``parse`` takes the raw value (text from the environment, or a typed value from ``config.py``)
    and returns the typed value, raising ``ValueError`` or ``TypeError`` when it cannot.
    """

    key: str
    default: Any
    expects: str
    parse: Callable[[Any], Any]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
    raise ValueError(value)


def _number(value: Any, kind: type) -> Any:
    if isinstance(value, bool):
        raise TypeError(value)  # True is an int to Python, never a count or a size here
    if isinstance(value, str):
        value = value.strip()
        if kind is int and not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(value)
    if kind is int and isinstance(value, float):
        raise TypeError(value)
    out = kind(value)
    if isinstance(out, float) and not math.isfinite(out):
        raise ValueError(value)
    return out


def _int(low: int, high: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        n = _number(value, int)
        if n < low or (high is not None and n > high):
            raise ValueError(value)
        return int(n)

    return parse


def _float(low: float, high: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        x = _number(value, float)
        if not low < x <= high:
            raise ValueError(value)
        return float(x)

    return parse


def _choice(*options: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip()
        for option in options:
            if text.lower() == option.lower():
                return option
        raise ValueError(value)

    return parse


def _text(value: Any) -> str:
    if not isinstance(value, str) or "\n" in value or "\r" in value:
        raise ValueError(value)
    return value


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """None or an empty string means "not set"."""

    def wrapped(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parse(value)

    return wrapped


def _city(value: Any) -> str:
    text = _text(value).strip()
    if not _CITY_NAME.fullmatch(text):
        raise ValueError(value)
    return text


def _database_url(value: Any) -> str:
    text = _text(value).strip()
    if not re.fullmatch(r"(sqlite|postgresql(\+psycopg)?)://.*", text):
        raise ValueError(value)
    return text


def _tile_url(value: Any) -> str:
    text = _text(value).strip()
    if not re.fullmatch(r"https?://\S+", text) or not all(p in text for p in ("{z}", "{x}", "{y}")):
        raise ValueError(value)
    return text


def _origins(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    origins = tuple(str(o).strip().rstrip("/") for o in items if str(o).strip())
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise ValueError(value)
    return origins


def _rate(value: Any) -> str:
    text = _text(value).strip()
    parse_rate(text)  # raises ValueError for anything but "N/second|minute|hour|day"
    return text


def _host(value: Any) -> str:
    text = _text(value).strip()
    if not text or " " in text:
        raise ValueError(value)
    return text


#: Every setting the app reads, in the README's order. Each default lives here only.
SETTINGS: tuple[Setting, ...] = (
    Setting("CITY", None, "a city name of lowercase letters, digits, '-' or '_'", _optional(_city)),
    Setting("HOST", "127.0.0.1", "a host name or IP address to bind", _host),
    Setting("PORT", 8000, "a TCP port from 1 to 65535", _int(1, 65535)),
    Setting("WORKERS", 1, "a whole number of worker processes from 1 to 64", _int(1, 64)),
    Setting("THREADS", 4, "a whole number of threads per worker from 1 to 256", _int(1, 256)),
    Setting(
        "DATABASE_URL", None, "a sqlite:///PATH or postgresql://… URL", _optional(_database_url)
    ),  # None: the instance folder's SQLite file, filled in by create_app
    Setting("TILE_URL", None, "an http(s) URL with {z}, {x} and {y}, or nothing", _optional(_tile_url)),
    Setting("TILE_ATTRIBUTION", "© OpenStreetMap contributors", "one line of text", _text),
    Setting("LOG_LEVEL", "INFO", "one of " + ", ".join(_LOG_LEVELS), _choice(*_LOG_LEVELS)),
    Setting("REQUEST_LOG", True, "a boolean: 1/0, true/false, yes/no, on/off", _bool),
    Setting(
        "CORS_ORIGINS", (), "comma-separated origins like https://example.org, or *", _optional(_origins)
    ),  # () and None both mean CORS off
    Setting("AUTO_BUILD", True, "a boolean: 1/0, true/false, yes/no, on/off (empty: off)", _bool),
    Setting("QUERY_BUDGET_S", 5.0, "seconds, a number above 0 and at most 600", _float(0.0, 600.0)),
    # An isochrone's clients wait on a map: under overload each gets its polygons or a 503 within
    # about 2 s (issue 16), the slowest phase (a 0.4 s drive search) after this deadline included.
    Setting("ISOCHRONE_BUDGET_S", 1.5, "seconds, a number above 0 and at most 600", _float(0.0, 600.0)),
    Setting("MAX_INFLIGHT", 1, "a whole number of plans computed at once per process, 1 to 1024", _int(1, 1024)),
    Setting(
        "CLIENT_MAX_INFLIGHT",
        1,
        "a whole number of plans per client and process, 1 to 1024",
        _int(1, 1024),
    ),
    Setting(
        "REQUEST_READ_TIMEOUT_S", 10.0, "seconds to send a whole request, above 0 and at most 600", _float(0.0, 600.0)
    ),
    Setting("TRUSTED_PROXIES", 0, "a whole number of reverse proxies in front, 0 to 10", _int(0, 10)),
    Setting("FOOTPRINT_AUTH", "key", "'key' or 'accounts'", _choice("key", "accounts")),
    Setting("FOOTPRINT_RATE_KEYS", "20/hour", "a rate like 20/hour (per second, minute, hour or day)", _rate),
    Setting("FOOTPRINT_RATE_WRITES", "120/minute", "a rate like 120/minute (per second, minute, hour or day)", _rate),
    Setting("FOOTPRINT_RATE_READS", "600/minute", "a rate like 600/minute (per second, minute, hour or day)", _rate),
    Setting("RATE_LIMIT_STORE", "database", "'database' or 'memory'", _choice("database", "memory")),
    Setting("FOOTPRINT_MAX_ENTRIES", 50_000, "a whole number of entries per log from 1", _int(1)),
    Setting("FOOTPRINT_IMPORT_MAX_BYTES", 1024 * 1024, "a whole number of bytes from 1", _int(1)),
    Setting("MAX_CONTENT_LENGTH", 2 * 1024 * 1024, "a whole number of bytes from 1", _int(1)),
    Setting("LOAD_CITY", True, "a boolean (empty: serve the API without a city, as some tests do)", _bool),
    Setting("DEBUG", False, "a boolean: 1/0, true/false, yes/no, on/off", _bool),
)
_BY_KEY = {s.key: s for s in SETTINGS}


def defaults() -> dict[str, Any]:
    """Every setting's default, keyed without the prefix."""
    return {s.key: s.default for s in SETTINGS}


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``GREENROUTE_*`` settings present in the environment, still as text (checked later).

    Raises
    ------
    SettingError
        For a ``GREENROUTE_*`` variable that is not a setting (most likely a typo), so that it is
        not silently ignored.
    """
    env = os.environ if environ is None else environ
    out: dict[str, str] = {}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX):
            continue
        key = name[len(ENV_PREFIX) :]
        if key in PATH_VARIABLES or key.startswith(_TEST_PREFIX):
            continue
        if key not in _BY_KEY:
            known = ", ".join(ENV_PREFIX + k for k in sorted(_BY_KEY))
            raise SettingError(
                key, known, value, message=f"{name} is not a greenroute setting (a typo?); they are: {known}"
            )
        out[key] = value
    return out


def validate(config: Mapping[str, Any]) -> dict[str, Any]:
    """Each known setting of ``config`` parsed to its type; other keys are left alone.

    Raises
    ------
    SettingError
        For the first value that its setting cannot parse.
    """
    out: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.key not in config:
            continue
        raw = config[setting.key]
        if raw is None and setting.default is None:
            out[setting.key] = None
            continue
        try:
            out[setting.key] = setting.parse(raw)
        except (TypeError, ValueError):
            raise SettingError(setting.key, setting.expects, raw) from None
    return out


def check_paths(environ: Mapping[str, str] | None = None) -> None:
    """Refuse a path variable that is set but names no usable folder.

    Raises
    ------
    SettingError
        When ``GREENROUTE_HOME``, ``_GRAPHS`` or ``_INSTANCE`` is set to an empty or multi-line
        value, or to an existing path that is not a folder.
    """
    env = os.environ if environ is None else environ
    for key in PATH_VARIABLES:
        value = env.get(ENV_PREFIX + key)
        if value is None:
            continue
        if not value.strip() or "\n" in value or (os.path.exists(value) and not os.path.isdir(value)):
            raise SettingError(key, "the path of a folder", value)
