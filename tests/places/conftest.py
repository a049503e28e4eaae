"""Fixtures: the place index and base map of real seed cities, built once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from routing.build.basemap import build_basemap
from routing.core.city import load_city
from routing.core.report import BuildReport
from routing.places import PlaceIndex
from routing.places.build import build_places
from webapp import places_api
from webapp.errors import register_error_handlers
from webapp.runtime import LoadedCity

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, BuildReport]]:
    """Build a seed city's places and base map into a temporary folder (once per city)."""
    done: dict[str, tuple[Path, BuildReport]] = {}

    def build(name: str) -> tuple[Path, BuildReport]:
        if name not in done:
            city = load_city(name, seeds=SEEDS)
            out = tmp_path_factory.mktemp(name)
            report = BuildReport(name)
            build_places(city, out, report=report)
            build_basemap(city, out, report=report)
            done[name] = (out, report)
        return done[name]

    return build


@pytest.fixture(scope="session")
def porto_alegre(built: Callable[[str], tuple[Path, BuildReport]]) -> PlaceIndex:
    return PlaceIndex.load(built("porto-alegre")[0] / "places")


@pytest.fixture(scope="session")
def beatty(built: Callable[[str], tuple[Path, BuildReport]]) -> PlaceIndex:
    return PlaceIndex.load(built("beatty")[0] / "places")


@pytest.fixture(scope="session")
def places_app(built: Callable[[str], tuple[Path, BuildReport]]) -> Flask:
    """A Flask app with only the places blueprint and the compiled Porto Alegre."""
    out, _ = built("porto-alegre")
    app = Flask(__name__)
    register_error_handlers(app)
    app.register_blueprint(places_api.bp)
    app.extensions["greenroute_city"] = LoadedCity(config=load_city("porto-alegre", seeds=SEEDS), folder=out)
    return app
