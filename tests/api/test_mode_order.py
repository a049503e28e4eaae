"""The mode order lives once, in routing/plan/request.py: /api/health serves it and the page reads it."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from routing.plan.request import MODE_ORDER

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"


def test_health_serves_the_planners_mode_order(poa_client: FlaskClient) -> None:
    body = poa_client.get("/api/health").get_json()
    assert body["modes"] == list(MODE_ORDER)


def test_plan_lists_options_in_the_served_order(poa_client: FlaskClient) -> None:
    modes = poa_client.get("/api/health").get_json()["modes"]
    answer = poa_client.get(
        "/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&modes=drive,transit,walk,bike"
    ).get_json()
    shown = [o["mode"] for o in answer["options"]]
    assert shown and shown == sorted(shown, key=modes.index)


def test_the_page_writes_no_mode_list_of_its_own() -> None:
    # Five or more mode names in one array literal is a copy of the order the page should read (the
    # elevation profile's four self-propelled modes are the page's own choice, not an order).
    names = "|".join(re.escape(m) for m in MODE_ORDER)
    literal = re.compile(rf'\[\s*"(?:{names})"(?:\s*,\s*"(?:{names})"){{4,}}\s*\]')
    copies = {p.name: literal.findall(p.read_text(encoding="utf-8")) for p in STATIC.glob("*.js")}
    assert {name: found for name, found in copies.items() if found} == {}
