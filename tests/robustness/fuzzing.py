"""Schemathesis against ``/api/openapi.json``: every operation, valid and invalid requests, and
stateful sequences along the document's links (a plan's option logged, then read, changed and
deleted by its id).

Shared by the CI test (a few examples per operation, the WSGI app in process) and
``bench/fuzz.py`` (at least 10,000 requests to a live ``greenroute serve``). Footprint requests
carry a real log's cookie, the CSRF token and this server's Origin, so they reach the validation of
each endpoint instead of stopping at the CSRF check.
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
# The erase and logout operations end the log the other operations write to: run them last (and
# leave them out of the stateful sequences).
_LAST = {("DELETE", "/api/footprint"), ("POST", "/api/footprint/logout")}
#: Porto Alegre trips (the document's example points) the stateful plans use half of the time.
_REAL_TRIPS = [
    {"from": "-30.0277,-51.2287", "to": "-30.0346,-51.2177", "modes": modes}
    for modes in ("walk", "bike", "drive", "walk,bike,drive")
]
Target = Flask | str
_ROUND = 25  # stateful sequences per Hypothesis run  # an app (requests in process) or a live server's base URL


@dataclass
class FuzzReport:
    """What a fuzzing run sent and what it found."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    per_operation: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    no_negative: list[str] = field(default_factory=list)
    stateful: int = 0
    stateful_stopped: int = 0

    def summary(self) -> str:
        by_status = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"{self.requests} requests, {self.stateful} of them in stateful sequences ({by_status}); "
            f"{len(self.failures)} failures"
        )


def footprint_auth(app: Target) -> tuple[dict[str, str], dict[str, str]]:
    """Headers (Origin, X-CSRF-Token) and cookies (CSRF, personal key) of a browser whose log is on."""
    if isinstance(app, str):
        return _footprint_auth_live(app)
    client = app.test_client()
    token = client.get("/api/footprint/csrf").get_json()["csrf_token"]
    resp = client.post("/api/footprint", headers={"Origin": ORIGIN, "X-CSRF-Token": token})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    key = resp.get_json()["key"]
    # In process there is no HTTP client to undo a Content-Encoding: schemathesis asks for gzip by
    # default and the base-map files come gzipped then (webapp/places_api.py), which it cannot read.
    headers = {"Origin": ORIGIN, "X-CSRF-Token": token, "Accept-Encoding": "identity"}
    return headers, {"greenroute_csrf": token, "greenroute_footprint": key}


def _footprint_auth_live(base_url: str) -> tuple[dict[str, str], dict[str, str]]:
    import requests

    with requests.Session() as session:
        token = session.get(f"{base_url}/api/footprint/csrf", timeout=30).json()["csrf_token"]
        headers = {"Origin": base_url, "X-CSRF-Token": token}
        resp = session.post(f"{base_url}/api/footprint", headers=headers, timeout=30)
        assert resp.status_code == 201, resp.text
        return headers, {"greenroute_csrf": token, "greenroute_footprint": resp.json()["key"]}


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


def load_schema(app: Target) -> Any:
    """The server's OpenAPI document as a Schemathesis schema (in process, or over HTTP)."""
    if isinstance(app, str):
        return schemathesis.openapi.from_url(f"{app}/api/openapi.json")
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def _operations(schema: Any) -> list[Any]:
    ops = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            raise AssertionError(f"Schemathesis cannot read an operation of the document: {result!r}")
        ops.append(result.ok())
    return sorted(ops, key=lambda op: (op.method.upper(), op.path) in _LAST)


def fuzz(
    app: Target,
    *,
    max_examples: int,
    seed: int = 0,
    modes: tuple[str, ...] = ("examples", "positive", "negative"),
    stateful_examples: int = 0,
    stateful_steps: int = 10,
    stateful_fixed: bool = False,
) -> FuzzReport:
    """Send generated requests to every operation of ``app``'s OpenAPI document.

    Parameters
    ----------
    app
        A greenroute app (its city loaded, its footprint database empty or not), or the base URL
        (``http://127.0.0.1:PORT``) of a running ``greenroute serve``.
    max_examples
        Hypothesis examples per operation and mode.
    seed
        The Hypothesis seed: the same seed sends the same requests (stateless part).
    modes
        ``examples`` (the document's examples, with other parameters drawn at random), ``positive``
        (requests the document allows) and/or ``negative`` (requests it forbids).
    stateful_examples, stateful_steps
        Sequences along the document's links, and at most this many requests in each; 0 sequences
        skips the stateful part.
    stateful_fixed
        The same sequences on every run (Hypothesis's ``derandomize``), for CI.
    """
    report = FuzzReport()
    headers, cookies = footprint_auth(app)
    schema = load_schema(app)
    ops = _operations(schema)
    last = [op for op in ops if (op.method.upper(), op.path) in _LAST]
    for op in ops:
        if op is last[0] and stateful_examples:  # the sequences need the log the last ones end
            _stateful(
                schema,
                report=report,
                headers=headers,
                cookies=cookies,
                examples=stateful_examples,
                steps=stateful_steps,
                fixed=stateful_fixed,
            )
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


def _stateful(
    schema: Any,
    *,
    report: FuzzReport,
    headers: dict[str, str],
    cookies: dict[str, str],
    examples: int,
    steps: int,
    fixed: bool,
) -> None:
    """Schemathesis's state machine over the document's links; every step recorded like the rest."""
    for method, path in _LAST:
        schema = schema.exclude(method=method, path=path)
    base = schema.as_state_machine()

    plans = iter(range(10**9))

    class Links(base):  # type: ignore[misc,valid-type]
        def before_call(self, case: Any) -> None:
            # Drawn coordinates are almost never inside the city, so a plan would never answer 200
            # and the link to the log would never be followed: every other plan is a real trip.
            if (case.operation.method.upper(), case.operation.path) != ("GET", "/api/plan"):
                return
            n = next(plans)
            if n % 2 == 0:
                case.query = dict(_REAL_TRIPS[n // 2 % len(_REAL_TRIPS)])

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers, "cookies": cookies}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            _record(report, case, response, mode="stateful", headers=headers)

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            return None  # checked in after_call, so one failure does not end the run

    # In rounds: the sequences draw from the server's answers, which differ on a replay (the log
    # has grown), and Hypothesis then stops that round (FlakyStrategyDefinition). Every request sent
    # until then was recorded and checked; the next round starts afresh.
    for start in range(0, examples, _ROUND):
        try:
            Links.run(settings=_stateful_settings(examples=min(_ROUND, examples - start), steps=steps, fixed=fixed))
        except hypothesis.errors.FlakyStrategyDefinition:
            report.stateful_stopped += 1


def _stateful_settings(*, examples: int, steps: int, fixed: bool) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=examples,
        stateful_step_count=steps,
        derandomize=fixed,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def _record(report: FuzzReport, case: Any, response: Any, *, mode: str, headers: dict[str, str]) -> None:
    """Count one answer and record what is wrong with it (5xx, error shape, departure from the document)."""
    name = f"{case.operation.method.upper()} {case.operation.path}"
    report.requests += 1
    report.per_operation[name] += 1
    report.statuses[response.status_code] += 1
    report.outcomes[(name, response.status_code)] += 1
    if mode == "stateful":
        report.stateful += 1
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
        _record(report, case, case.call(headers=headers, cookies=cookies), mode=mode, headers=headers)

    return run
