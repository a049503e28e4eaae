"""Serve the app with waitress for the multi-process tests: ``python serve_app.py DATABASE_URL``.

Prints the port it listens on (an ephemeral one on 127.0.0.1), then serves until killed.
"""

from __future__ import annotations

import sys

from waitress import create_server

from webapp import create_app


def main() -> None:
    app = create_app(
        {
            "DATABASE_URL": sys.argv[1],
            "LOAD_CITY": False,
            "FOOTPRINT_RATE_KEYS": "100000/second",
            "FOOTPRINT_RATE_WRITES": "100000/second",
            "FOOTPRINT_RATE_READS": "100000/second",
        }
    )
    server = create_server(app, host="127.0.0.1", port=0, threads=16, connection_limit=500)
    print(server.effective_port, flush=True)
    server.run()


if __name__ == "__main__":
    main()
