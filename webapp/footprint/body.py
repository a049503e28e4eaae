"""The JSON body of a footprint API request, read and checked once for every view that takes one."""

from __future__ import annotations

from typing import Any

from flask import request

from webapp.errors import ApiError
from webapp.footprint import checks


def json_body() -> Any:
    """The request's JSON body.

    Raises
    ------
    ApiError
        415 when the body is not declared as JSON, 400 when it does not parse.
    """
    if not request.is_json:
        raise ApiError(415, "json_required", "send the body as JSON (Content-Type: application/json)")
    try:
        data = checks.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):  # RecursionError: nested too deep for the parser
        raise ApiError(400, "invalid_json", "the body is not valid JSON (NaN and Infinity are not JSON)") from None
    if data is None:
        raise ApiError(400, "invalid_json", "the body is not valid JSON")
    return data
