"""The page shows realtime: a delayed ride (predicted time, the timetable's struck through, the delay
in minutes), the cancellation the option replaces and the route's alert beside it, in English and in
Brazilian Portuguese, with axe-core finding nothing; screenshots go to test-output/.

The city is the realtime tests' three-line grid (tests/realtime/city.py) with ``[[realtime]]``
polling real GTFS-Realtime protobuf from a loopback server: trip T0800 of line 1 is cancelled,
T0815 runs 10 minutes late, and line 1 has a detour alert (English and Portuguese).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import _axe, _context
from test_language import _english_left

from tests.browser_support import serve_app_in_thread
from tests.realtime.city import build_realtime_city
from tests.realtime.conftest import at
from tests.realtime.feeds import alert, message, serve_feeds, trip_update
from tests.street.osm_fixture import node_latlon

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ALERT_EN, ALERT_PT = "Detour on line 1: Rua A closed", "Desvio na linha 1: Rua A fechada"


@pytest.fixture(scope="module")
def rt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("rt-page")
    city, _ = build_realtime_city(root)
    shutil.copytree(REPO / "seeds" / "factors", root / "seeds" / "factors")
    with serve_feeds() as feeds:
        toml = city.folder / "city.toml"
        toml.write_text(
            toml.read_text(encoding="utf-8")
            + f'\n[[realtime]]\nfeed = "bus"\ntrip_updates = "{feeds.url}/tu"\nalerts = "{feeds.url}/al"\n'
            "poll_seconds = 1\nmax_age_seconds = 100000000\n",  # fresh whatever the day the test runs
            encoding="utf-8",
        )
        updates = message(at(7, 50))
        trip_update(updates, "T0800", canceled=True)
        trip_update(updates, "T0815", stops=(("NW", {"departure_delay": 600}), ("SE", {"arrival_delay": 600})))
        feeds.bodies["/tu"] = updates.SerializeToString()
        alerts = message(at(7, 50))
        alert(alerts, route_id="R1", texts={"en": ALERT_EN, "pt": ALERT_PT})
        feeds.bodies["/al"] = alerts.SerializeToString()
        saved = {k: v for k, v in os.environ.items() if k.startswith("GREENROUTE_")}
        for key in saved:
            del os.environ[key]
        os.environ.update(GREENROUTE_HOME=str(root), GREENROUTE_INSTANCE=str(root / "instance"), GREENROUTE_CITY="rt")
        from webapp import create_app

        app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{root / 'footprint.sqlite'}"})
        try:
            with serve_app_in_thread(app, threads=4) as base:
                client = app.test_client()
                deadline = time.monotonic() + 20
                while not client.get(_plan_path()).get_json()["data"].get("realtime"):
                    assert time.monotonic() < deadline, "the poller never fetched the loopback feeds"
                    time.sleep(0.2)
                yield base
        finally:
            planner = app.extensions["greenroute_city"].cached("planner", lambda folder: None)
            planner.transit.realtime.stop()
            for key in ("GREENROUTE_HOME", "GREENROUTE_INSTANCE", "GREENROUTE_CITY"):
                os.environ.pop(key, None)
            os.environ.update(saved)


def _points() -> str:
    (lat, lon), (lat2, lon2) = node_latlon(1), node_latlon(9)
    return f"from={lat:.6f},{lon:.6f}&to={lat2:.6f},{lon2:.6f}"


def _plan_path() -> str:
    return f"/api/plan?{_points()}&modes=transit&at=2026-12-01T08:00&max_walk_m=150"


def _open(browser: Any, base: str, width: int, height: int, **extra: Any) -> Any:
    page = _context(browser, width, height, **extra).new_page()
    page.goto(f"{base}/?{_points()}&when=depart&at=2026-12-01T08:00")
    page.locator('tr.option[data-mode="transit"]').first.wait_for(timeout=60_000)
    return page


def _transit_row(page: Any) -> Any:
    return page.locator('tr.option[data-mode="transit"]').filter(has=page.locator(".live-notes")).first


@pytest.mark.parametrize(("width", "height"), [(1366, 850), (390, 844)])
def test_delay_cancellation_and_alert_beside_the_option(
    browser: Any, rt_server: str, output_dir: Path, width: int, height: int
) -> None:
    page = _open(browser, rt_server, width, height)
    row = _transit_row(page)
    notes = row.locator(".live-notes").inner_text()
    assert "Line 1: 10 min late" in notes
    assert re.search(r"Cancelled: 1 towards NW - SE at 0?8:00( AM)? from North-west", notes), notes
    assert f"Service alert: {ALERT_EN}" in notes
    page.screenshot(path=str(output_dir / f"realtime-results-{width}.png"), full_page=True)
    assert _axe(page) == []
    row.locator(".select-option").click()
    details = page.locator("#details")
    details.locator("#details-title").wait_for()
    board = details.locator("li.leg-transit p", has_text="Board at").first
    assert "08:25" in board.inner_text() and "10 min late" in board.inner_text()
    assert re.fullmatch(r"0?8:15( AM)?", board.locator(".live-scheduled s").inner_text())  # timetable's, struck
    assert details.locator(".live-alert-box h4").first.inner_text().endswith(ALERT_EN)
    assert "live predictions" in details.inner_text()
    details.locator(".live-alert-box").first.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"realtime-details-{width}.png"), full_page=True)
    assert _axe(page) == []
    assert page.locator("#notices li[data-code='realtime_canceled']").count() == 1


def test_realtime_in_brazilian_portuguese(browser: Any, rt_server: str, output_dir: Path) -> None:
    pt = {"locale": "pt-BR", "extra_http_headers": {"Accept-Language": "pt-BR,pt;q=0.9"}}
    page = _open(browser, rt_server, 1366, 850, **pt)
    notes = _transit_row(page).locator(".live-notes").inner_text()
    assert "Linha 1: 10 min de atraso" in notes and "Cancelada: 1 sentido NW - SE às 08:00" in notes
    assert f"Aviso de serviço: {ALERT_PT}" in notes  # the feed's Portuguese translation
    assert _english_left(page) == set()
    _transit_row(page).locator(".select-option").click()
    page.locator("#details-title").wait_for()
    # "Tiny Bus" is the feed's agency name (data, shown as the operator writes it), not page text.
    assert _english_left(page) - {"bus"} == set()
    page.locator("#details li.leg-transit").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "realtime-details-pt-BR.png"))


def test_wheelchair_toggle_asks_for_step_free(browser: Any, rt_server: str, output_dir: Path) -> None:
    page = _open(browser, rt_server, 1366, 850)
    page.locator("#edit-trip").click()  # after a comparison the form is folded
    page.locator("#wheelchair").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "stepfree-toggle.png"))
    with page.expect_request(lambda r: "/api/plan" in r.url and "wheelchair=true" in r.url):
        page.locator("#wheelchair").check()
        page.locator("#plan-button").click()
    page.wait_for_url(re.compile(r"[?&]wc=1"), timeout=60_000)  # the link keeps the choice
    page.locator("#load-status", has_text="found").wait_for()
    assert page.locator("#notices li[data-code='stepfree']").count() == 1
    assert _axe(page) == []
