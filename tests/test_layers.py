"""Query time loads no build code: importing the planner or the web app pulls in neither osmium nor
the compilers, and the engine never pulls in Flask (the contracts in pyproject.toml say the same for
every import statement; this checks what a fresh interpreter really loads)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BUILD_ONLY = (
    "osmium",
    "routing.build",
    "routing.street.compile",
    "routing.street.osm",
    "routing.transit.build",
    "routing.places.build",
)


def _loaded(module: str) -> list[str]:
    code = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return list(json.loads(out))


@pytest.mark.parametrize("module", ["routing.plan.planner", "webapp"])
def test_query_time_loads_no_build_code(module: str) -> None:
    loaded = _loaded(module)
    assert not [m for m in loaded if m.startswith(BUILD_ONLY)]
    assert "routing.plan.planner" in loaded or module == "webapp"


def test_the_engine_loads_no_flask() -> None:
    loaded = _loaded("routing.plan.planner")
    assert not [m for m in loaded if m.split(".")[0] in ("flask", "werkzeug")]


# scipy's graph search, k-d tree and image filters serve the build and the first isochrone; a
# server that loaded them at its start spent 0.4 s of it there (numba's own check of BLAS loads
# scipy.linalg, which is not on this list).
NOT_AT_START = ("scipy.spatial", "scipy.sparse", "scipy.ndimage", "routing.transit.footpaths")


def test_a_warmed_planner_loads_no_scipy_search_code(poa_folder: Path) -> None:
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from routing.core.city import load_city\n"
        "from routing.plan.planner import Planner\n"
        f"Planner(Path({str(poa_folder)!r}), load_city('porto-alegre')).warm_up()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out.splitlines()[-1])
    assert "routing.plan.combined" in loaded
    assert not [m for m in loaded if m.startswith(NOT_AT_START)]
