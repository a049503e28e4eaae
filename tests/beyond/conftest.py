"""Fixtures of the beyond-the-anchors tests: the hand-made tiny city and a Porto Alegre planner."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.planner import Planner
from tests.beyond.tiny_city import build_tiny_city


@pytest.fixture(scope="session")
def tiny_planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    city, folder = build_tiny_city(tmp_path_factory.mktemp("tiny"))
    return Planner(folder, city)


@pytest.fixture(scope="session")
def poa_planner(poa_folder: Path) -> Planner:
    from routing.city import load_city

    return Planner(poa_folder, load_city("porto-alegre"))
