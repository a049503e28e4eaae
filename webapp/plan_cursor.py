"""Earlier and later departures: the ``next`` / ``previous`` cursors of a transit answer.

Like OTP's and MOTIS's ``pageCursor``, a cursor is an opaque token holding the whole request it
stands for (base64url of JSON), so ``/api/plan?cursor=…`` alone asks for the following or
preceding departures of the same trip. ``next`` departs one second after the latest departure of
the answer's transit options; ``previous`` arrives one second before their earliest arrival
(an arrive-by search). Both page only the transit modes the request asked for.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timedelta
from typing import Any

from werkzeug.datastructures import MultiDict

from routing.core.errors import InvalidParameter
from routing.plan.request import COMBINED_MODES
from webapp.params import PLAN_PARAMS
from webapp.plan_text import MAX_PARAM_LEN

CURSOR_VERSION = 1
#: Longer than any cursor this server writes (every parameter at its longest is ~3 kB encoded).
MAX_CURSOR_LEN = 4096
PAGED_MODES = ("transit", *COMBINED_MODES)


def encode_cursor(params: dict[str, str]) -> str:
    """The token of the request ``params`` (query-string values)."""
    text = json.dumps({"v": CURSOR_VERSION, "q": params}, sort_keys=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(token: str) -> dict[str, str]:
    """The request parameters a cursor holds.

    Raises
    ------
    InvalidParameter
        (``argument="cursor"``) if the token is not one this server wrote.
    """
    bad = InvalidParameter(
        "cursor is not a cursor of this server: use the next or previous one of an answer", argument="cursor"
    )
    if not isinstance(token, str) or not token or len(token) > MAX_CURSOR_LEN:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        raise bad from None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION or not isinstance(data.get("q"), dict):
        raise bad
    params = data["q"]
    for key, value in params.items():
        if key not in PLAN_PARAMS or not isinstance(value, str) or len(value) > MAX_PARAM_LEN:
            raise bad
    return dict(params)


def cursor_args(args: MultiDict[str, str]) -> tuple[MultiDict[str, str], bool]:
    """The request to plan: the cursor's when ``args`` holds one (alone), else ``args`` as given.

    The flag says whether it came from a cursor.

    Raises
    ------
    InvalidParameter
        If the cursor is bad, repeated, or comes with other parameters.
    """
    if "cursor" not in args:
        return args, False
    values = args.getlist("cursor")
    if len(values) > 1:
        raise InvalidParameter("parameter 'cursor' is given more than once; give it once", argument="cursor")
    others = sorted(k for k in args if k != "cursor")
    if others:
        raise InvalidParameter(
            f"a cursor carries the whole request: give it alone, without {', '.join(others)[:80]}", argument="cursor"
        )
    return MultiDict(decode_cursor(values[0])), True


def page_cursors(answer: dict[str, Any], params: dict[str, str]) -> dict[str, str] | None:
    """``{"next": token, "previous": token}`` for an answer with transit options, else None.

    ``params`` are the request's query-string values; the cursors change only ``at``,
    ``arrive_by`` and ``modes`` (to the transit modes asked for).
    """
    paged = [o for o in answer["options"] if o["mode"] in PAGED_MODES]
    if not paged:
        return None
    modes = ",".join(m for m in answer["request"]["modes"] if m in PAGED_MODES)
    base = {k: v for k, v in params.items() if k not in ("mode", "modes", "at", "arrive_by")}
    latest = max(datetime.fromisoformat(o["departure"]) for o in paged)
    earliest = min(datetime.fromisoformat(o["arrival"]) for o in paged)
    later = latest + timedelta(seconds=1)
    sooner = earliest - timedelta(seconds=1)
    return {
        "next": encode_cursor(
            {**base, "modes": modes, "at": later.isoformat(timespec="seconds"), "arrive_by": "false"}
        ),
        "previous": encode_cursor(
            {**base, "modes": modes, "at": sooner.isoformat(timespec="seconds"), "arrive_by": "true"}
        ),
    }
