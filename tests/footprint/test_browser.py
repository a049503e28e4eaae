"""The /log page in Debian's Chromium: turn on, entries added through the API, chart, edit,
delete, export, erase, import back, and a 360 px wide screen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import CHROMIUM
from tests.footprint.helpers import FACTORS, sample_option, walk_option
from tests.footprint.test_server import Server
from webapp.i18n import LANGUAGES

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(f"sqlite:///{tmp_path / 'footprint.sqlite'}")
    yield srv
    srv.stop()


def test_log_page_from_turn_on_to_erase(browser: Any, server: Server, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    third_party: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.base) else third_party.append(r.url))

    page.goto(f"{server.base}/log")
    page.get_by_role("button", name="Turn on my log").click()
    page.wait_for_selector("#key-panel:not([hidden])")
    key = page.text_content("#key-value")
    assert key and len(key) == 39

    # "Add to my log" from the planner is another helper's page; here the API adds the entries.
    api = server.session(key)
    for day in ("2026-11-03", "2026-11-12", "2026-11-18"):
        option = sample_option(departure=f"{day}T08:00:00-03:00")
        assert (
            api.post(f"{server.base}/api/footprint/trips", json={"option": option, "factors": FACTORS}).status_code
            == 201
        )
        option = walk_option(1500.0, f"{day}T18:00:00-03:00")
        assert (
            api.post(f"{server.base}/api/footprint/trips", json={"option": option, "factors": FACTORS}).status_code
            == 201
        )

    page.get_by_role("button", name="I have noted it: show my log").click()
    page.wait_for_selector("svg.chart")
    assert page.text_content(".count") == "6 entries"
    assert page.locator("svg.chart rect").count() == 6  # 3 weeks × (transit, walk)
    assert "2026-W47" in page.text_content("table.totals")

    # Edit the newest entry's mode, then delete another one.
    first = page.locator("li.entry").first
    first.locator("summary").click()
    first.get_by_label("Mode").select_option("bike")
    # The page reloads after the PATCH answers: wait for that load, not for the old page's entries
    # (opening an old entry just before the reload left its Delete button hidden on the new page).
    with page.expect_navigation():
        first.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("li.entry")
    assert "Bike" in page.locator("li.entry").first.text_content()  # the mode's name, from the catalogue
    second = page.locator("li.entry").nth(1)
    second.locator("summary").click()
    second.get_by_role("button", name="Delete this entry").click()
    expect(page.locator(".count")).to_have_text("5 entries")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download JSON").click()
    exported = tmp_path / "export.json"
    info.value.save_as(exported)
    assert len(json.loads(exported.read_text())["entries"]) == 5
    totals = page.text_content("table.totals")

    # Erase needs the confirmation box ticked.
    page.get_by_role("button", name="Erase my log").click()
    assert "Tick the box" in page.text_content("#status")
    page.get_by_label("I want to erase my whole log").check()
    page.get_by_role("button", name="Erase my log").click()
    page.wait_for_selector("#turn-on", timeout=10_000)
    assert "Your log is off" in page.text_content("main")

    # Back on, import the file: the same totals.
    page.get_by_role("button", name="Turn on my log").click()
    page.get_by_role("button", name="I have noted it: show my log").click()
    page.wait_for_selector("#import-file")
    page.set_input_files("#import-file", str(exported))
    page.get_by_role("button", name="Import this file").click()
    expect(page.locator("#status")).to_contain_text("Imported: 5 added, 0 already in your log")
    page.wait_for_selector("table.totals")
    assert page.text_content("table.totals") == totals

    # 360 px: nothing wider than the screen.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(tmp_path / "log-360.png"), full_page=True)
    assert errors == [] and third_party == []
    context.close()


def test_log_page_is_keyboard_operable(browser: Any, server: Server) -> None:
    page = browser.new_page()
    page.goto(f"{server.base}/log")
    page.keyboard.press("Tab")  # home link
    for _ in LANGUAGES:  # the language switch, one button per language
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "turn-on"
    page.keyboard.press("Enter")
    page.wait_for_selector("#key-panel:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "key-done"
    page.keyboard.press("Enter")
    page.wait_for_selector(".count")
    assert page.text_content(".count") == "0 entries"
