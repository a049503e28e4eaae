"""Where greenroute finds seeds/ and graphs/ without GREENROUTE_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

import routing
from routing.core.home import home

CHECKOUT = Path(__file__).resolve().parents[2]


def test_outside_the_checkout_the_source_tree_is_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if Path(routing.__file__).resolve().parents[1] != CHECKOUT:
        pytest.skip("routing is installed outside this checkout (not an editable install)")
    monkeypatch.delenv("GREENROUTE_HOME", raising=False)
    monkeypatch.chdir(tmp_path)  # no seeds/ here
    assert home() == CHECKOUT
    assert (home() / "seeds" / "porto-alegre").is_dir()


def test_a_folder_with_seeds_wins_over_the_source_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GREENROUTE_HOME", raising=False)
    (tmp_path / "seeds").mkdir()
    monkeypatch.chdir(tmp_path)
    assert home() == tmp_path


def test_greenroute_home_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREENROUTE_HOME", str(tmp_path))
    assert home() == tmp_path.resolve()
