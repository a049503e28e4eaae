"""The log page in the planner's languages: every message from the catalogues, none left in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_language import TEXT_JS, WORD, english_only_words

from tests.footprint.helpers import FACTORS, sample_option, walk_option
from tests.footprint.test_server import Server
from webapp.footprint import chart
from webapp.i18n import LANG_COOKIE, LANGUAGES, catalogue

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
# t('key') in the template and the server code (``logpage.`` implied without a dot), t("logpage.key") in log.js.
SHORT_KEY = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")


def _used_keys() -> set[str]:
    used: set[str] = set()
    for path in (
        WEBAPP / "templates" / "log.html",
        WEBAPP / "static" / "log.js",
        WEBAPP / "footprint" / "pages.py",
        WEBAPP / "footprint" / "chart.py",
        WEBAPP / "footprint" / "log_text.py",
    ):
        for key in SHORT_KEY.findall(path.read_text(encoding="utf-8")):
            if not key.endswith("_"):  # a prefix the code completes (below)
                used.add(key if "." in key else f"logpage.{key}")
    # Keys built from data: the periods, the metrics, the singular and plural counts.
    used |= {f"logpage.{p}_{period}" for p in ("period", "col") for period in ("week", "month")}
    used |= {f"logpage.{name}" for name, _unit in chart.METRICS.values()} | {"logpage.unit_trips"}
    used |= {"logpage.count_one", "logpage.count_other"}
    return used


def test_every_log_key_is_in_every_catalogue_and_used() -> None:
    used = _used_keys()
    assert len(used) > 60  # the patterns do find the page's keys
    for lang in LANGUAGES:
        assert not used - set(catalogue(lang)), (lang, sorted(used - set(catalogue(lang))))
    unused = {k for k in catalogue("en") if k.startswith("logpage.")} - used
    assert not unused, sorted(unused)


@pytest.fixture()
def log_server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(f"sqlite:///{tmp_path / 'footprint.sqlite'}")
    yield srv
    srv.stop()


def _english_left(page: Any) -> set[str]:
    return {w.lower() for w in WORD.findall(page.evaluate(TEXT_JS))} & english_only_words()


@pytest.mark.browser
def test_log_page_in_brazilian_portuguese(browser: Any, log_server: Server, output_dir: Path) -> None:
    pt = {"locale": "pt-BR", "extra_http_headers": {"Accept-Language": "pt-BR,pt;q=0.9"}}
    context = browser.new_context(viewport={"width": 1000, "height": 900}, **pt)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{log_server.base}/log")
    assert page.evaluate("document.documentElement.lang") == "pt-BR"
    assert page.title() == "Meu registro · greenroute"
    assert _english_left(page) == set()

    page.get_by_role("button", name="Ligar meu registro").click()
    page.wait_for_selector("#key-panel:not([hidden])")
    assert "Anote sua chave" in page.text_content("#status")
    assert _english_left(page) == set()
    api = log_server.session(page.text_content("#key-value"))
    for day in ("2026-11-03", "2026-11-12"):
        for option in (sample_option(departure=f"{day}T08:00:00-03:00"), walk_option(1500.0, f"{day}T18:00:00-03:00")):
            answer = api.post(f"{log_server.base}/api/footprint/trips", json={"option": option, "factors": FACTORS})
            assert answer.status_code == 201
    page.get_by_role("button", name="Já anotei: mostrar meu registro").click()
    page.wait_for_selector("svg.chart")
    assert page.text_content(".count") == "4 entradas"
    # Mode names and a decimal comma, in the entries, the totals and the chart's description.
    entries = page.locator("li.entry").all_inner_texts()
    assert any("A pé" in e and re.search(r"\b1,5 km\b", e) for e in entries), entries
    assert "Semana" in page.text_content("table.totals thead")
    assert "por semana por modo" in page.text_content("svg.chart title")
    assert "A pé" in page.text_content("svg.chart desc")
    page.locator("li.entry details summary").first.click()
    assert _english_left(page) == set()
    page.screenshot(path=str(output_dir / "screenshots" / "log-pt-BR.png"), full_page=True)

    # The month chart: Portuguese month abbreviations on the axis.
    page.select_option("#period", "month")
    page.get_by_role("button", name="Atualizar gráfico").click()
    page.wait_for_selector("svg.chart")
    assert "nov" in page.locator("svg.chart > text").all_text_contents()
    assert _english_left(page) == set()

    # The switch: English, remembered in the cookie the planner uses too.
    page.locator('[data-lang-choice="en"]').click()
    page.wait_for_selector("html[lang=en]")
    assert page.text_content(".count") == "4 entries"
    assert any(c["name"] == LANG_COOKIE and c["value"] == "en" for c in context.cookies())
    assert errors == []
    context.close()
