"""Fixtures for self-hosting tests: a temporary GREENROUTE_HOME with copies of the seeds it needs.

Nothing here writes into the checkout's ``seeds/`` or ``graphs/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.selfhost.helpers import REPO


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty greenroute home holding only ``seeds/factors`` (``seeds/beatty`` input files sit in ``inputs/``)."""
    root = tmp_path / "home"
    shutil.copytree(REPO / "seeds" / "factors", root / "seeds" / "factors")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for f in ("beatty.osm", "sample-feed.zip"):
        shutil.copy2(REPO / "seeds" / "beatty" / f, inputs / f)
    monkeypatch.setenv("GREENROUTE_HOME", str(root))
    monkeypatch.delenv("GREENROUTE_GRAPHS", raising=False)
    monkeypatch.delenv("GREENROUTE_CITY", raising=False)
    return root


@pytest.fixture()
def inputs(home: Path) -> Path:
    return home.parent / "inputs"
