"""A server that refuses for lack of capacity (503 overloaded, Retry-After) is asked again by the page.

Since the server refuses at once instead of queueing, a plan that arrives while this worker still
finishes one the page abandoned gets a 503: the page must wait the Retry-After and ask again, and
must not do so for a query that ran over its budget (503 timeout).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from ui_helpers import city_today, plan_url

pytestmark = pytest.mark.browser

_OVERLOADED = {"error": "overloaded", "message": "busy", "retry_after_s": 1}
_TIMEOUT = {"error": "timeout", "message": "over budget"}


def _page_refusing(browser: Any, server: str, body: dict[str, str | int], refusals: int) -> tuple[Any, list[int]]:
    page = browser.new_context(viewport={"width": 1366, "height": 850}).new_page()
    seen: list[int] = []

    def handle(route: Any) -> None:
        seen.append(1)
        if len(seen) <= refusals:
            route.fulfill(
                status=503,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
                body=json.dumps(body),
            )
        else:
            route.continue_()

    page.route("**/api/plan?*", handle)
    page.goto(plan_url(server, f"{city_today()}T17:00"))
    return page, seen


def test_an_overloaded_answer_is_asked_again_after_retry_after(browser: Any, server: str) -> None:
    page, seen = _page_refusing(browser, server, _OVERLOADED, refusals=2)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    assert len(seen) == 3  # two refusals, then the answer
    page.close()


def test_a_query_over_its_budget_is_not_asked_again(browser: Any, server: str) -> None:
    page, seen = _page_refusing(browser, server, _TIMEOUT, refusals=5)
    page.wait_for_function("() => window.performance.getEntriesByType('resource').length > 0")
    page.wait_for_timeout(3500)  # longer than a Retry-After: no second request may come
    assert len(seen) == 1
    page.close()
