"""Whole-request detection of the buffering worker, on byte strings."""

from __future__ import annotations

import pytest

from webapp.request_buffer import MAX_HEADER_BYTES, Readiness, readiness

GET = b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("cut", range(len(GET)))
def test_a_get_is_ready_only_once_its_blank_line_arrived(cut: int) -> None:
    assert readiness(GET[:cut], max_body=100) is Readiness.WAIT


def test_a_whole_get_is_ready() -> None:
    assert readiness(GET, max_body=100) is Readiness.READY
    assert readiness(GET + b"GET /next", max_body=100) is Readiness.READY  # pipelined: the first is whole


def test_a_post_waits_for_its_whole_body() -> None:
    head = b"POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
    body = b'{"a": true}'
    for cut in range(len(body)):
        assert readiness(head + body[:cut], max_body=100) is Readiness.WAIT, cut
    assert readiness(head + body, max_body=100) is Readiness.READY


def test_content_length_is_found_whatever_its_case_and_spacing() -> None:
    data = b"POST / HTTP/1.1\r\ncOnTeNt-LeNgTh:   3 \r\n\r\nab"
    assert readiness(data, max_body=100) is Readiness.WAIT
    assert readiness(data + b"c", max_body=100) is Readiness.READY


def test_a_body_larger_than_the_app_accepts_is_handed_over_at_once() -> None:
    data = b"POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"
    assert readiness(data, max_body=999) is Readiness.READY
    assert readiness(data, max_body=1000) is Readiness.WAIT


@pytest.mark.parametrize(
    "header", [b"Transfer-Encoding: chunked", b"Expect: 100-continue", b"Content-Length: 1\r\nContent-Length: 2"]
)
def test_bodies_the_loop_cannot_measure_go_to_gunicorn_at_the_headers(header: bytes) -> None:
    assert readiness(b"POST / HTTP/1.1\r\n" + header + b"\r\n\r\n", max_body=100) is Readiness.READY


def test_an_endless_header_block_is_refused() -> None:
    data = b"GET / HTTP/1.1\r\n" + b"X-Pad: " + b"a" * MAX_HEADER_BYTES
    assert readiness(data, max_body=100) is Readiness.TOO_LARGE
    assert readiness(data[:MAX_HEADER_BYTES], max_body=100) is Readiness.WAIT
