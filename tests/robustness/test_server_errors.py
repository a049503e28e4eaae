"""Requests gunicorn rejects before the app sees them still get the JSON error shape."""

from __future__ import annotations

from pathlib import Path

from tests.robustness.live_server import live_server


def test_overlong_request_line_and_headers_get_json_errors(tmp_path: Path) -> None:
    with live_server(tmp_path, workers=1, threads=2) as server:
        repeated = "&".join(["modes=walk"] * 2000)  # thousands of repeated parameters: a 20 kB request line
        long_line = server.get(f"/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&{repeated}")
        assert long_line.status == 414
        assert long_line.body is not None and long_line.body["error"] == "uri_too_long"
        assert "fewer or shorter" in long_line.body["message"]
        # Under the limit, the app itself answers repeated parameters with its own 400.
        some = "&".join(["modes=walk"] * 50)
        answer = server.get(f"/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&{some}")
        assert answer.status == 400 and answer.body is not None and answer.body["argument"] == "modes"
        log = server.log.read_text(encoding="utf-8", errors="replace")
        assert "Invalid request from ip=:" in log and "ip=127" not in log  # no client address logged
