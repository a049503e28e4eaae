"""Where greenroute finds its ``seeds/`` and ``graphs/`` folders.

``GREENROUTE_HOME`` wins; otherwise the current directory (a checkout) or, failing that, the
source tree this package was imported from (an editable install).
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """Return the folder that holds ``seeds/`` (and where ``graphs/`` is written)."""
    env = os.environ.get("GREENROUTE_HOME")
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd()
    if (cwd / "seeds").is_dir():
        return cwd
    source_tree = Path(__file__).resolve().parents[2]  # routing/core/home.py → the checkout
    if (source_tree / "seeds").is_dir():
        return source_tree
    return cwd


def seeds_dir() -> Path:
    return home() / "seeds"


def graphs_dir() -> Path:
    return Path(os.environ.get("GREENROUTE_GRAPHS") or home() / "graphs")


def factors_dir() -> Path:
    return seeds_dir() / "factors"
