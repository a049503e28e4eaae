"""Every documented GREENROUTE_* variable is parsed to its type, and a bad value stops start-up by name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from webapp import create_app, settings

REPO = Path(__file__).resolve().parents[2]

# key → (a valid value as text, what the app's config then holds, an invalid value)
CASES: dict[str, tuple[str, Any, str]] = {
    "CITY": ("sao-paulo", "sao-paulo", "../etc"),
    "HOST": ("0.0.0.0", "0.0.0.0", "two words"),
    "PORT": ("8080", 8080, "80a"),
    "WORKERS": ("3", 3, "0"),
    "THREADS": ("8", 8, "-1"),
    "DATABASE_URL": ("sqlite://", "sqlite://", "mysql://x"),
    "TILE_URL": ("https://t.example.org/{z}/{x}/{y}.png", "https://t.example.org/{z}/{x}/{y}.png", "https://t/x.png"),
    "TILE_ATTRIBUTION": ("© OSM", "© OSM", "line one\nline two"),
    "LOG_LEVEL": ("warning", "WARNING", "LOUD"),
    "REQUEST_LOG": ("off", False, "maybe"),
    "CORS_ORIGINS": (
        "https://a.example, https://b.example:8443",
        ("https://a.example", "https://b.example:8443"),
        "a.b",
    ),
    "AUTO_BUILD": ("", False, "2"),
    "QUERY_BUDGET_S": ("2.5", 2.5, "0"),
    "ISOCHRONE_BUDGET_S": ("0.8", 0.8, "-1"),
    "MAX_INFLIGHT": ("4", 4, "1.5"),
    "CLIENT_MAX_INFLIGHT": ("2", 2, "0"),
    "REQUEST_READ_TIMEOUT_S": ("3.5", 3.5, "inf"),
    "TRUSTED_PROXIES": ("1", 1, "11"),
    "FOOTPRINT_AUTH": ("accounts", "accounts", "open"),
    "FOOTPRINT_RATE_KEYS": ("5/minute", "5/minute", "5 per minute"),
    "FOOTPRINT_RATE_WRITES": ("10/second", "10/second", "0/second"),
    "FOOTPRINT_RATE_READS": ("60/minute", "60/minute", "60/minute\n"),
    "RATE_LIMIT_STORE": ("Memory", "memory", "redis"),
    "FOOTPRINT_MAX_ENTRIES": ("100", 100, "0"),
    "FOOTPRINT_IMPORT_MAX_BYTES": ("2048", 2048, "1e6"),
    "MAX_CONTENT_LENGTH": ("3000000", 3000000, "3MB"),
    "LOAD_CITY": ("", False, "nope"),
    "DEBUG": ("1", True, "verbose"),
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("GREENROUTE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GREENROUTE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("GREENROUTE_LOAD_CITY", "")


def test_every_setting_has_a_case_and_a_row_in_the_readme() -> None:
    keys = {s.key for s in settings.SETTINGS}
    assert keys == set(CASES)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`GREENROUTE_([A-Z_]+)`", readme))
    assert keys - documented == set(), "settings missing from the README's table"
    assert documented - keys - set(settings.PATH_VARIABLES) == set(), "README names variables the app does not read"


@pytest.mark.parametrize("key", sorted(CASES))
def test_valid_value_is_parsed_to_its_type(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text, typed, _ = CASES[key]
    monkeypatch.setenv(f"GREENROUTE_{key}", text)
    if key == "LOAD_CITY":
        assert create_app().config[key] is typed
        return
    app = create_app()
    assert app.config[key] == typed
    assert type(app.config[key]) is type(typed)


@pytest.mark.parametrize("key", sorted(CASES))
def test_invalid_value_stops_start_up_naming_the_variable(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, bad = CASES[key]
    monkeypatch.setenv(f"GREENROUTE_{key}", bad)
    with pytest.raises(settings.SettingError) as info:
        create_app()
    message = str(info.value)
    assert message.startswith(f"GREENROUTE_{key}=") and "expected" in message
    assert info.value.key == key


def test_max_content_length_from_the_environment_limits_bodies_instead_of_failing() -> None:
    from flask import request
    from werkzeug.exceptions import RequestEntityTooLarge

    os.environ["GREENROUTE_MAX_CONTENT_LENGTH"] = "3000000"
    app = create_app()
    with app.test_request_context("/", method="POST", data=b"x" * 3_000_000):
        assert len(request.get_data()) == 3_000_000  # a string here made every body a 500 (int > str)
    with app.test_request_context("/", method="POST", data=b"x" * 3_000_001), pytest.raises(RequestEntityTooLarge):
        request.get_data()


def test_config_py_values_are_checked_too(tmp_path: Path) -> None:
    instance = Path(os.environ["GREENROUTE_INSTANCE"])
    instance.mkdir(parents=True)
    (instance / "config.py").write_text("THREADS = 'many'\n", encoding="utf-8")
    with pytest.raises(settings.SettingError, match="GREENROUTE_THREADS='many'"):
        create_app()


def test_an_unknown_variable_is_refused_as_a_probable_typo() -> None:
    with pytest.raises(settings.SettingError, match="GREENROUTE_PROT is not a greenroute setting"):
        settings.from_env({"GREENROUTE_PROT": "80", "GREENROUTE_TEST_DATABASE_URL": "x", "GREENROUTE_HOME": "/"})


def test_a_path_variable_naming_a_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("", encoding="utf-8")
    with pytest.raises(settings.SettingError, match="GREENROUTE_GRAPHS"):
        settings.check_paths({"GREENROUTE_GRAPHS": str(f)})


def test_the_command_line_says_which_variable_is_wrong() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENROUTE_")} | {"GREENROUTE_PORT": "eighty"}
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve"], env=env, capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.returncode == 2
    assert "GREENROUTE_PORT='eighty' is not usable: expected a TCP port from 1 to 65535" in done.stderr
    assert "Traceback" not in done.stderr
