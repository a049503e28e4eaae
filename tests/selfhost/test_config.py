"""Configuration by GREENROUTE_* variables and the instance folder; CORS; structured request logs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from webapp import create_app
from webapp.logs import setup_logging


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    import os

    for key in list(os.environ):
        if key.startswith("GREENROUTE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GREENROUTE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("GREENROUTE_LOAD_CITY", "")  # no city needed for /api/factors
    yield
    setup_logging("INFO")


def _app(**env: str) -> Flask:
    import os

    os.environ.update({f"GREENROUTE_{k}": v for k, v in env.items()})
    return create_app()


def _log_lines(err: str) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in err.splitlines() if ln.startswith("{")]


def test_cors_is_off_by_default() -> None:
    r = _app().test_client().get("/api/factors", headers={"Origin": "https://elsewhere.example"})
    assert r.status_code == 200
    assert "Access-Control-Allow-Origin" not in r.headers


def test_cors_allows_only_the_configured_origins_on_api() -> None:
    client = _app(CORS_ORIGINS="https://maps.example.org, https://b.example").test_client()
    ok = client.get("/api/factors", headers={"Origin": "https://maps.example.org"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://maps.example.org"
    assert "Origin" in ok.headers["Vary"] and "Access-Control-Allow-Credentials" not in ok.headers
    other = client.get("/api/factors", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    pre = client.options(
        "/api/factors",
        headers={
            "Origin": "https://b.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert pre.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]
    outside = client.get("/static/does-not-exist.css", headers={"Origin": "https://b.example"})
    assert "Access-Control-Allow-Origin" not in outside.headers


def test_request_log_is_one_json_line_without_query_or_address(capsys: pytest.CaptureFixture[str]) -> None:
    client = _app().test_client()
    capsys.readouterr()
    client.get("/api/factors?from=-30.0277,-51.2287&key=s3cr3t", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.get("/nowhere/-30.0277,-51.2287")
    lines = _log_lines(capsys.readouterr().err)
    requests = [ln for ln in lines if ln.get("event") == "request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/api/factors", 200),
        ("GET", "(no route)", 404),
    ]
    assert isinstance(requests[0]["duration_ms"], float) and requests[0]["city"] is None
    text = json.dumps(lines)
    for secret in ("-30.0277", "s3cr3t", "203.0.113.9", "from="):
        assert secret not in text


def test_log_level_and_request_log_switch(capsys: pytest.CaptureFixture[str]) -> None:
    _app(LOG_LEVEL="WARNING").test_client().get("/api/factors")
    assert _log_lines(capsys.readouterr().err) == []
    setup_logging("INFO")
    _app(REQUEST_LOG="false").test_client().get("/api/factors")
    assert _log_lines(capsys.readouterr().err) == []


def test_instance_folder_and_environment(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        'TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"\nTILE_ATTRIBUTION = "© example"\nPORT = 9000\n'
    )
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    app = _app(DATABASE_URL=url, PORT="8100")
    assert app.instance_path == str(instance)
    assert app.config["TILE_URL"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert app.config["TILE_ATTRIBUTION"] == "© example"
    assert app.config["DATABASE_URL"] == url
    assert app.config["PORT"] == 8100  # the environment wins over instance/config.py, parsed to an int
