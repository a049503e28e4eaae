"""Structured logs: one JSON line per request, with no personal data.

A request line holds the method, the route (the URL rule, e.g. ``/api/footprint/trips/<trip_id>``,
so no identifier, coordinate, key or query string is ever written), the status, the duration and
the city. Client addresses are not logged here, and gunicorn's access log is off. Other messages of
the ``greenroute`` loggers are written as JSON lines too, at ``LOG_LEVEL``.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from flask import Flask, Response, g, request

LOGGER = "greenroute"
REQUEST_LOGGER = "greenroute.requests"
_UNMATCHED = "(no route)"  # a 404's path may hold anything a client typed, so it is not written


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}`` plus the record's ``fields`` if any."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        else:
            out["message"] = record.getMessage()
        if record.exc_info and record.levelno >= logging.ERROR:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


class _StderrHandler(logging.StreamHandler[Any]):
    """Writes to whatever ``sys.stderr`` is at the time (test capture, gunicorn's redirection)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def setup_logging(level: str | int) -> None:
    """Send the ``greenroute`` loggers to stderr as JSON lines at ``level`` (idempotent)."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(_level(level))
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.propagate = False


def init_app(app: Flask) -> None:
    """Configure logging from ``LOG_LEVEL`` and log each request unless ``REQUEST_LOG`` is false."""
    setup_logging(app.config.get("LOG_LEVEL", "INFO"))
    if not _truthy(app.config.get("REQUEST_LOG", True)):
        return
    app.before_request(_start_clock)
    app.after_request(_log_request)


def _start_clock() -> None:
    g.greenroute_t0 = time.perf_counter()


def _log_request(response: Response) -> Response:
    t0 = g.get("greenroute_t0")
    from flask import current_app

    city = current_app.extensions.get("greenroute_city")
    fields = {
        "event": "request",
        "method": request.method,
        "path": request.url_rule.rule if request.url_rule is not None else _UNMATCHED,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - t0) * 1000, 1) if t0 is not None else None,
        "city": city.config.name if city is not None else None,
    }
    logging.getLogger(REQUEST_LOGGER).info("request", extra={"fields": fields})
    return response


def _level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    value = logging.getLevelName(str(level).strip().upper())
    if not isinstance(value, int):
        raise ValueError(f"LOG_LEVEL {level!r} is not a level: use DEBUG, INFO, WARNING or ERROR")
    return value


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)
