"""The orjson JSON provider: the same JSON content as Flask's default provider, faster."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import uuid
from decimal import Decimal

import numpy as np
import pytest
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.core.answer import Served
from webapp.jsonfast import OrjsonProvider, plain_default

Providers = tuple[OrjsonProvider, DefaultJSONProvider]


@dataclasses.dataclass
class _Point:
    lat: float
    lon: float


@pytest.fixture()
def providers() -> Providers:
    app = Flask("jsonfast")
    return OrjsonProvider(app), DefaultJSONProvider(app)


def test_same_content_as_flask_for_every_type_flask_encodes(
    providers: Providers,
) -> None:
    fast, default = providers
    obj = {
        "z": [1, 2.5, -0.0, 1e-7, 1e16, True, None, "Avenida Ipiranga, São João"],
        "a": {"when": dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC), "day": dt.date(2026, 1, 2)},
        "m": [np.float64(1.25), uuid.UUID(int=7), Decimal("1.10"), _Point(-30.0, -51.2), (1, 2)],
        "big": 2**70,  # beyond orjson: encoded by the default provider
    }
    text = fast.dumps(obj)
    assert json.loads(text) == json.loads(default.dumps(obj))
    assert list(json.loads(fast.dumps({"b": 1, "a": {"d": 1, "c": 2}}))) == ["a", "b"]  # keys sorted
    assert fast.dumps({"b": 1, "a": 2}) == '{"a":2,"b":1}'  # compact
    assert "São João" in fast.dumps(obj["z"])  # non-ASCII kept as UTF-8


def test_nan_and_infinity_become_null_never_the_nan_token(
    providers: Providers,
) -> None:
    fast, _ = providers
    text = fast.dumps({"x": math.nan, "y": [math.inf, -math.inf, np.float64("nan")]})
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"x": None, "y": [None, None, None]}


def test_unencodable_objects_are_refused_as_before(providers: Providers) -> None:
    fast, default = providers
    for obj in ({1, 2}, object()):
        with pytest.raises(TypeError):
            default.dumps(obj)
        with pytest.raises(TypeError):
            fast.dumps(obj)


def test_response_is_compact_with_a_newline_and_indented_in_debug() -> None:
    app = Flask("jsonfast")
    app.json = OrjsonProvider(app)
    with app.app_context():
        resp = app.json.response({"b": 1, "a": "é"})
        assert isinstance(resp, Response)
        assert resp.mimetype == "application/json"
        assert resp.get_data() == '{"a":"é","b":1}\n'.encode()
        app.debug = True
        debug = app.json.response({"b": 1, "a": 2})
        assert isinstance(debug, Response) and b'\n  "a"' in debug.get_data()


def test_plan_answer_has_the_same_content_as_with_flasks_provider(poa_client: FlaskClient) -> None:
    app = poa_client.application
    assert isinstance(app.json, OrjsonProvider)
    resp = poa_client.get("/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&at=2019-05-06T08:00")
    assert resp.status_code == 200
    body = resp.get_data()
    assert b"NaN" not in body and body.endswith(b"\n")
    answer = json.loads(body)
    assert len(answer["options"]) >= 4
    assert json.loads(DefaultJSONProvider(app).dumps(answer)) == answer


def test_served_arrays_encode_byte_for_byte_as_their_lists(providers: Providers) -> None:
    fast, default = providers
    values = [[-51.228701, -30.027712], [-0.0, 1e-7], [123456.5, 5e-324], [1e16, -1.5e-300]]
    line = Served(values)
    assert fast.dumps({"c": line}) == fast.dumps({"c": values})
    assert fast.dumps({"c": Served(np.array([10.5, -0.0, 3.0]))}) == fast.dumps({"c": [10.5, -0.0, 3.0]})
    assert json.loads(fast.dumps({"c": line}, indent=2)) == {"c": values}  # the stdlib path takes them too
    assert json.loads(default.dumps({"c": line.tolist()})) == {"c": values}
    assert json.dumps(line, default=plain_default) == json.dumps(values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(allow_nan=False, allow_infinity=False), st.floats(-90, 90)), max_size=30))
def test_any_served_line_encodes_as_its_lists(points: list[tuple[float, float]]) -> None:
    fast = OrjsonProvider(Flask("jsonfast"))
    values = [list(p) for p in points]
    line = Served(np.array(values, dtype=np.float64).reshape(-1, 2))
    assert fast.dumps(line) == fast.dumps(values)


def test_served_reads_as_the_lists_it_stands_for() -> None:
    line = Served([[1.0, 2.0], [3.0, 4.5]])
    assert line == [[1.0, 2.0], [3.0, 4.5]] and line == Served(np.array([[1.0, 2.0], [3.0, 4.5]]))
    assert line != [[1.0, 2.0]] and line != Served([[1.0, 2.0], [3.0, 4.0]]) and line != Served([1.0, 2.0, 3.0, 4.5])
    assert len(line) == 2 and line[0] == [1.0, 2.0] and line[-1] == [3.0, 4.5] and line[:1] == [[1.0, 2.0]]
    assert list(line) == [[1.0, 2.0], [3.0, 4.5]]
    assert not line.array.flags.writeable  # answer values copied from each other share it
    with pytest.raises(TypeError):
        hash(line)
