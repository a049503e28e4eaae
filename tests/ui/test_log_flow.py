"""Plan → "Add to my log" → the weekly chart → export → erase, in one browser session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_planner import _plan_by_search_and_click

pytestmark = pytest.mark.browser


def test_plan_add_to_log_chart_export_erase(browser: Any, server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(server + "/log")
    page.get_by_role("button", name="Turn on my log").click()
    page.get_by_role("button", name="I have noted it: show my log").click()

    page.goto(server + "/")
    _plan_by_search_and_click(page)
    details = page.locator("#details")
    page.locator(".option[data-mode=walk] .select-option").click()
    details.locator(".log-button").click()
    details.locator(".log-status").filter(has_text="Added to your log.").wait_for(timeout=10_000)
    page.locator(".option[data-mode=drive] .select-option").click()
    details.locator(".keep-places").check()
    details.locator(".log-button").click()
    details.locator(".log-status").filter(has_text="Added to your log.").wait_for(timeout=10_000)

    page.goto(server + "/log")
    page.wait_for_selector("svg.chart")
    assert page.text_content(".count") == "2 entries"
    assert page.locator("svg.chart rect").count() >= 2  # one bar segment per mode this week

    with page.expect_download() as info:
        page.get_by_role("link", name="Download JSON").click()
    exported = tmp_path / "log.json"
    info.value.save_as(exported)
    entries = {e["mode"]: e for e in json.loads(exported.read_text())["entries"]}
    assert set(entries) == {"walk", "drive"}
    assert entries["walk"]["places"] is None  # places are kept only when ticked
    assert entries["drive"]["places"]["geometry"]["coordinates"]

    page.get_by_label("I want to erase my whole log").check()
    page.get_by_role("button", name="Erase my log").click()
    page.wait_for_selector("#turn-on", timeout=10_000)
    assert "Your log is off" in page.text_content("main")
    assert errors == []
    context.close()
