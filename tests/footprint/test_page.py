"""The /log page and the security headers: strict CSP holds (no inline script or style)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import Flask

from tests.footprint.helpers import Person, walk_option
from webapp.security_headers import CSP


class _Inline(HTMLParser):
    """Collects whatever a strict CSP would block: inline scripts, styles, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style":
            self.problems.append("<style>")
        if tag == "script" and not names.get("src"):
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src") and value and value.startswith(("http:", "https:", "//")):
                self.problems.append(f"third-party {value}")
        if tag == "label" and names.get("for"):
            self.labels.add(str(names["for"]))
        if tag in ("input", "select") and names.get("type") != "hidden":
            self.controls.append(str(names.get("id")))


def _check(html: str) -> _Inline:
    parser = _Inline()
    parser.feed(html)
    assert parser.problems == []
    for control in parser.controls:
        assert control in parser.labels or control == "erase-confirm", f"{control} has no label"
    return parser


def test_off_page(app: Flask) -> None:
    resp = app.test_client().get("/log")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Turn on my log" in html and "Use my log on this device" in html
    _check(html)
    assert resp.headers["Content-Security-Policy"] == CSP
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert resp.headers["Cache-Control"] == "no-store"


def test_on_page_lists_entries_and_draws_the_chart(alice: Person) -> None:
    alice.log_ok()
    alice.log_ok(walk_option(800.0, "2026-11-10T09:15:00-03:00"))
    html = alice.get("/log").get_data(as_text=True)
    _check(html)
    assert "2 entries" in html
    assert html.index("2026-11-18") < html.index("2026-11-10")  # newest day first
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S)
    assert svg is not None
    assert svg.group(0).count("<rect") >= 3  # two weeks, transit+walk stacked in one
    assert "2026-W47" in html and "2026-W46" in html
    # Numbers only: no judging words.
    lowered = html.lower()
    for word in ("best", "green", "recommend", "score", "streak", "badge", "points"):
        assert word not in lowered.replace("greenroute", ""), word
    month = alice.get("/log?period=month&metric=co2e").get_data(as_text=True)
    assert "CO2e per month by mode, in kg" in month and "2026-11" in month


def test_chart_colours_are_neutral(alice: Person) -> None:
    alice.log_ok()
    html = alice.get("/log").get_data(as_text=True)
    for colour in re.findall(r'fill="(#[0-9a-f]{6})"', html):
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert not (g > r + 40 and g > b + 40), f"{colour} reads as green"
        assert not (r > g + 60 and r > b + 60), f"{colour} reads as red"


@pytest.mark.parametrize("query", ["period=day", "metric=score"])
def test_bad_page_query_is_400(app: Flask, query: str) -> None:
    assert app.test_client().get(f"/log?{query}").status_code == 400


def test_headers_on_api_answers_and_errors(app: Flask) -> None:
    client = app.test_client()
    for path in ("/api/footprint", "/api/footprint/trips", "/api/footprint/nope"):
        resp = client.get(path)
        assert resp.headers["Content-Security-Policy"] == CSP, path
        assert resp.headers["X-Content-Type-Options"] == "nosniff", path
        assert resp.headers["Cache-Control"] == "no-store", path
    assert client.get("/api/footprint/nope").get_json()["error"] == "not_found"


def test_static_files_are_served(app: Flask) -> None:
    client = app.test_client()
    js = client.get("/static/log.js")
    assert js.status_code == 200 and "X-CSRF-Token" in js.get_data(as_text=True)
    assert client.get("/static/log.css").status_code == 200
