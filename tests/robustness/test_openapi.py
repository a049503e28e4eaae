"""The OpenAPI document covers every /api route, and Schemathesis finds the server keeps to it."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.robustness.fuzzing import error_shape_problem, fuzz
from webapp.params import PLAN_PARAMS

CI_EXAMPLES = 10  # per operation and generation mode; bench/fuzz.py sends >= 10,000 requests
CI_SEQUENCES = 15  # stateful sequences along the document's links


def _rule_to_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_document_is_served_as_openapi_3(client: FlaskClient) -> None:
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200 and resp.is_json
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.")
    assert "Error" in doc["components"]["schemas"]


def test_every_api_route_and_method_is_documented(robust_app: Flask, client: FlaskClient) -> None:
    documented = {
        (path, method.upper())
        for path, item in client.get("/api/openapi.json").get_json()["paths"].items()
        for method in item
    }
    served = {
        (_rule_to_path(rule.rule), method)
        for rule in robust_app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert served - documented == set(), "routes missing from /api/openapi.json"
    assert documented - served == set(), "documented operations the server does not have"


def test_every_plan_parameter_is_documented(client: FlaskClient) -> None:
    params = client.get("/api/openapi.json").get_json()["paths"]["/api/plan"]["get"]["parameters"]
    assert {p["name"] for p in params} == set(PLAN_PARAMS) | {"cursor"}


def test_error_shape_check_rejects_other_shapes() -> None:
    assert error_shape_problem(400, "/api/plan", "application/json", b'{"error": "x", "message": "y"}') is None
    assert error_shape_problem(400, "/api/plan", "text/html", b"<h1>Bad</h1>") is not None
    assert error_shape_problem(503, "/api/plan", "application/json", b'{"detail": "busy"}') is not None
    assert error_shape_problem(404, "/api/x", "application/json", b'{"error": "x", "message": " "}') is not None


def test_schemathesis_finds_no_5xx_and_no_departure_from_the_document(robust_app: Flask) -> None:
    report = fuzz(
        robust_app,
        max_examples=CI_EXAMPLES,
        seed=8,
        stateful_examples=CI_SEQUENCES,
        stateful_steps=8,
        stateful_fixed=True,
    )
    assert report.failures == [], "\n\n".join(report.failures[:10])
    assert not any(status >= 500 for status in report.statuses)
    # Answers were checked too, not only errors: the plan example in the document succeeds.
    assert report.outcomes[("GET /api/plan", 200)] >= 1, report.outcomes
    assert report.outcomes[("GET /api/footprint/trips", 200)] >= 1, report.outcomes
    assert report.requests >= 150, report.summary()
    # The links were followed: a plan's option was logged and then reached by its id.
    assert report.stateful >= 20, report.summary()
    assert report.outcomes[("POST /api/footprint/trips", 201)] >= 1, report.outcomes


def test_the_document_links_a_logged_entry_to_the_operations_on_it(client: FlaskClient) -> None:
    paths = client.get("/api/openapi.json").get_json()["paths"]
    links = paths["/api/footprint/trips"]["post"]["responses"]["201"]["links"]
    assert {link["operationRef"] for link in links.values()} == {
        f"#/paths/~1api~1footprint~1trips~1{{trip_id}}/{verb}" for verb in ("get", "patch", "delete")
    }
    plan = paths["/api/plan"]["get"]["responses"]["200"]["links"]["LogFirstOption"]
    assert plan["requestBody"]["option"] == "$response.body#/options/0"


def test_only_a_documented_503_is_not_counted_as_a_server_error() -> None:
    from types import SimpleNamespace

    from tests.robustness.fuzzing import _documented_refusal

    def answer(status: int, body: bytes, retry: str | None = "1") -> SimpleNamespace:
        return SimpleNamespace(status_code=status, content=body, headers={"retry-after": retry} if retry else {})

    assert _documented_refusal(answer(503, b'{"error":"timeout","message":"x"}'))
    assert _documented_refusal(answer(503, b'{"error":"overloaded","message":"x"}'))
    assert not _documented_refusal(answer(503, b'{"error":"timeout","message":"x"}', retry=None))
    assert not _documented_refusal(answer(503, b'{"error":"internal","message":"x"}'))
    assert not _documented_refusal(answer(503, b"<html>busy</html>"))
    assert not _documented_refusal(answer(500, b'{"error":"timeout","message":"x"}'))
