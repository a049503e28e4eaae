"""Schemathesis against ``/api/openapi.json``: every operation, valid and invalid requests.

Shared by the CI test (a few examples per operation) and ``bench/fuzz.py`` (at least 10,000
requests). Requests go through the WSGI app in process; footprint requests carry a real log's
cookie, the CSRF token and this server's Origin, so they reach the validation of each endpoint
instead of stopping at the CSRF check.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

ORIGIN = "http://localhost"
#: The 503s the API documents: capacity in use, or a query over its time budget (issue 16 counts
#: every other 5xx as a failure). They must carry Retry-After and the JSON error shape.
_DOCUMENTED_503 = frozenset({"overloaded", "timeout"})


def _documented_refusal(response: Any) -> bool:
    if response.status_code != 503 or not response.headers.get("retry-after"):
        return False
    try:
        return json.loads(response.content).get("error") in _DOCUMENTED_503
    except (ValueError, AttributeError):
        return False


@schemathesis.check
def no_server_error_but_a_documented_refusal(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis's not_a_server_error, except a documented 503 ``overloaded`` or ``timeout``."""
    if _documented_refusal(response):
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [
    no_server_error_but_a_documented_refusal,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# The erase and logout operations end the log the other operations write to: run them last.
_LAST = {("DELETE", "/api/footprint"), ("POST", "/api/footprint/logout")}


@dataclass
class FuzzReport:
    """What a fuzzing run sent and what it found."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    per_operation: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    no_negative: list[str] = field(default_factory=list)

    def summary(self) -> str:
        by_status = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return f"{self.requests} requests ({by_status}); {len(self.failures)} failures"


def footprint_auth(app: Flask) -> tuple[dict[str, str], dict[str, str]]:
    """Headers (Origin, X-CSRF-Token) and cookies (CSRF, personal key) of a browser whose log is on."""
    client = app.test_client()
    token = client.get("/api/footprint/csrf").get_json()["csrf_token"]
    resp = client.post("/api/footprint", headers={"Origin": ORIGIN, "X-CSRF-Token": token})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    key = resp.get_json()["key"]
    return {"Origin": ORIGIN, "X-CSRF-Token": token}, {"greenroute_csrf": token, "greenroute_footprint": key}


def error_shape_problem(status: int, path: str, content_type: str, body: bytes) -> str | None:
    """Why an error answer under ``/api`` lacks the one JSON error shape, or None when it has it."""
    if status < 400 or not path.startswith("/api"):
        return None
    if not content_type.startswith("application/json"):
        return f"{status} answer is {content_type!r}, not JSON"
    try:
        doc = json.loads(body)
    except ValueError:
        return f"{status} answer is not valid JSON"
    if not isinstance(doc, dict) or not isinstance(doc.get("error"), str) or not isinstance(doc.get("message"), str):
        return f"{status} answer lacks string 'error' and 'message': {body[:200]!r}"
    if not doc["message"].strip():
        return f"{status} answer has an empty message"
    return None


def _operations(app: Flask) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    ops = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            raise AssertionError(f"Schemathesis cannot read an operation of the document: {result!r}")
        ops.append(result.ok())
    return sorted(ops, key=lambda op: (op.method.upper(), op.path) in _LAST)


def fuzz(
    app: Flask,
    *,
    max_examples: int,
    seed: int = 0,
    modes: tuple[str, ...] = ("examples", "positive", "negative"),
) -> FuzzReport:
    """Send generated requests to every operation of ``app``'s OpenAPI document.

    Parameters
    ----------
    app
        A greenroute app (its city loaded, its footprint database empty or not).
    max_examples
        Hypothesis examples per operation and mode.
    seed
        The Hypothesis seed: the same seed sends the same requests.
    modes
        ``examples`` (the document's examples, with other parameters drawn at random), ``positive``
        (requests the document allows) and/or ``negative`` (requests it forbids).
    """
    report = FuzzReport()
    headers, cookies = footprint_auth(app)
    for op in _operations(app):
        for mode in modes:
            if mode == "examples":
                strategies = op.schema.get_strategies_from_examples(op)
            else:
                strategies = [op.as_strategy(generation_mode=GenerationMode(mode))]
            for strategy in strategies:
                run = _runner(
                    op,
                    strategy,
                    mode,
                    report=report,
                    headers=headers,
                    cookies=cookies,
                    max_examples=max_examples,
                    seed=seed,
                )
                try:
                    run()
                except hypothesis.errors.Unsatisfiable:
                    # Nothing to make invalid (no parameters, no body): only valid requests exist.
                    report.no_negative.append(f"{op.method.upper()} {op.path}")
    return report


def _header(response: Any, name: str) -> str:
    value = response.headers.get(name.lower(), response.headers.get(name, ""))
    return str(value[0] if isinstance(value, list) and value else value or "")


def _runner(
    op: Any,
    strategy: Any,
    mode: str,
    *,
    report: FuzzReport,
    headers: dict[str, str],
    cookies: dict[str, str],
    max_examples: int,
    seed: int,
) -> Any:
    name = f"{op.method.upper()} {op.path}"

    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.seed(seed)
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers, cookies=cookies)
        report.requests += 1
        report.per_operation[name] += 1
        report.statuses[response.status_code] += 1
        report.outcomes[(name, response.status_code)] += 1
        where = f"{name} [{mode}]"
        problem = error_shape_problem(
            response.status_code, case.formatted_path, _header(response, "Content-Type"), response.content
        )
        if problem:
            report.failures.append(f"{where}: {problem}; request {case.as_curl_command()}")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded and the run goes on
            report.failures.append(f"{where}: {str(exc)[:800]}; request {case.as_curl_command()}")

    return run
