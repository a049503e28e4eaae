"""The in-flight limit (per process and per client), gone clients and the query deadline."""

from __future__ import annotations

import socket
import time

import pytest
from flask import Flask

from webapp.limits import ARRIVED_KEY, InflightLimit, client_gone, query_deadline


def test_slots_are_refused_at_once_beyond_capacity() -> None:
    limit = InflightLimit(capacity=2, per_client=2)
    t0 = time.perf_counter()
    assert limit.acquire("a") and limit.acquire("b")
    assert not limit.acquire("c")
    assert time.perf_counter() - t0 < 0.05, "a refusal waited"
    limit.release("a")
    assert limit.acquire("c")
    assert (limit.running, limit.refused) == (2, 1)


def test_one_client_cannot_hold_every_slot() -> None:
    limit = InflightLimit(capacity=3, per_client=1)
    assert limit.acquire("greedy")
    assert not limit.acquire("greedy")
    assert limit.acquire("other") and limit.acquire("third")
    assert not limit.acquire("fourth")  # capacity used
    limit.release("greedy")
    assert limit.acquire("greedy")


def test_a_closed_peer_is_gone_and_a_waiting_one_is_not() -> None:
    ours, theirs = socket.socketpair()
    try:
        assert not client_gone({"gunicorn.socket": ours})
        theirs.sendall(b"GET /next HTTP/1.1\r\n")  # a pipelined request is a live client
        assert not client_gone({"gunicorn.socket": ours})
        theirs.close()
        ours.recv(100)
        assert client_gone({"gunicorn.socket": ours})
    finally:
        ours.close()
    assert not client_gone({})  # no socket (test client, waitress): unknown, so computed


@pytest.mark.parametrize("queued_s", [0.0, 2.0])
def test_the_deadline_counts_from_when_the_request_arrived(queued_s: float) -> None:
    app = Flask(__name__)
    app.config["QUERY_BUDGET_S"] = "5"
    arrived = time.perf_counter() - queued_s
    with app.test_request_context("/api/plan", environ_base={ARRIVED_KEY: arrived}):
        assert query_deadline() == pytest.approx(arrived + 5.0)
