"""`greenroute plan`: the table and --json, which equals the API answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cli.main import main


def test_plan_prints_every_mode_side_by_side(poa_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["plan", "--from", "-30.0277,-51.2287", "--to", "-30.0346,-51.2177", "--modes", "walk,bike,drive"])
    out = capsys.readouterr().out
    assert rc == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["option", "duration", "depart"]
    assert [ln.split()[0] for ln in lines[1:4]] == ["walk", "bike", "drive"]
    assert "desnz-2025" in out


def test_plan_json_is_the_api_answer(
    poa_folder: Path, poa_client: FlaskClient, capsys: pytest.CaptureFixture[str]
) -> None:
    at = "2026-11-23T08:00"
    rc = main(
        [
            "plan",
            "--from",
            "-30.0277,-51.2287",
            "--to",
            "-30.0346,-51.2177",
            "--modes",
            "walk,drive",
            "--at",
            at,
            "--json",
        ]
    )
    cli = json.loads(capsys.readouterr().out)
    api = poa_client.get(f"/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&modes=walk,drive&at={at}").get_json()
    assert rc == 0
    assert cli == api


def test_plan_bad_input_is_a_message_not_a_traceback(poa_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["plan", "--from", "-30.0277,-51.2287", "--to", "91,0"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "latitude must be within -90..90" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("options", "query"),
    [
        (["--window", "abc"], "window=abc"),
        (["--occupancy", "12"], "occupancy=12"),
        (["--max-walk-m", "9999"], "max_walk_m=9999"),
        (["--modes", "walk,hovercraft"], "modes=walk,hovercraft"),
        (["--at", "tomorrow"], "at=tomorrow"),
        (["--exclude-route-types", "3,x"], "exclude_route_types=3,x"),
        (["--pack", "p" * 201], "pack=" + "p" * 201),
    ],
)
def test_plan_refuses_bad_input_in_the_apis_words(
    poa_folder: Path, poa_client: FlaskClient, capsys: pytest.CaptureFixture[str], options: list[str], query: str
) -> None:
    trip = ["--from", "-30.0277,-51.2287", "--to", "-30.0346,-51.2177"]
    rc = main(["plan", *trip, *options])
    err = capsys.readouterr().err.strip()
    api = poa_client.get(f"/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&{query}")
    assert rc == 2 and api.status_code == 400
    assert err == f"greenroute plan: {api.get_json()['message']}"
