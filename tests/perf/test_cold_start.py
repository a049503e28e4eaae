"""What a server start skips: Alembic on a current database, networkx always."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from webapp.footprint import migrate
from webapp.footprint.db import make_engine

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_heads_read_from_the_files_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    assert migrate.script_heads() == set(ScriptDirectory.from_config(migrate.alembic_config()).get_heads())


def test_a_new_database_is_migrated_and_a_current_one_skips_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fp.sqlite'}"
    engine = make_engine(url)
    assert not migrate.is_current(engine)
    migrate.upgrade(engine)
    assert migrate.is_current(engine)
    assert {"footprint_alembic_version", "footprint_trips"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    _run(
        "import sys\n"
        "from webapp.footprint import migrate\n"
        "from webapp.footprint.db import make_engine\n"
        f"migrate.upgrade(make_engine({url!r}))\n"
        "assert 'alembic' not in sys.modules, 'alembic imported for a current database'\n"
    )


def test_a_database_behind_the_newest_revision_is_not_current(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fp.sqlite'}")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE footprint_alembic_version SET version_num = 'older'")
    assert not migrate.is_current(engine)


def test_the_app_modules_do_not_import_networkx() -> None:
    _run(
        "import sys\n"
        "import webapp.api, webapp.isochrone_api, routing.plan.planner\n"
        "assert 'networkx' not in sys.modules, 'networkx imported at startup'\n"
    )
