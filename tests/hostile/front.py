"""Debian's nginx as a load balancer in front of greenroute instances, and clients with their own address.

Everything listens on and connects from loopback addresses (127.0.0.0/8 is all local on Linux, so
each simulated visitor gets an address of its own, as it would behind a real proxy).
"""

from __future__ import annotations

import contextlib
import getpass
import http.client
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from tests.selfhost.helpers import free_port
from tests.support import live_server as serving

_CONF = """
{user}
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream greenroute {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 2m;
        location / {{
            proxy_pass http://greenroute;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 1s;
            proxy_read_timeout 35s;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """Debian's nginx, if installed."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


@contextlib.contextmanager
def nginx_front(folder: Path, upstreams: list[int]) -> Iterator[int]:
    """nginx on a free loopback port balancing over ``upstreams`` (ports); yields its port."""
    binary = nginx_binary()
    assert binary is not None
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # A server marked failed once is left alone for 10 s: "the proxy notices" a dead instance.
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstreams)
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(_CONF.format(user=user, dir=folder, servers=servers, port=port), encoding="utf-8")
    log = (folder / "nginx.out").open("wb")
    proc = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")], stdout=log, stderr=log
    )
    try:
        serving.wait_ready(proc, f"http://127.0.0.1:{port}/api/health", limit_s=20, log=folder / "error.log")
        yield port
    finally:
        serving.stop(proc)
        log.close()


@dataclass
class Reply:
    """One exchange: status (0 when the connection failed), parsed JSON body, headers."""

    status: int
    body: Any
    headers: dict[str, str]
    seconds: float


@dataclass
class Client:
    """A visitor at loopback address ``ip`` talking to ``port``, with its own cookies."""

    ip: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def request(
        self, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 30
    ) -> Reply:
        t0 = time.perf_counter()
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout, source_address=(self.ip, 0))
        try:
            conn.request(method, path, body=data, headers=sent)
            resp = conn.getresponse()
            raw = resp.read()
            for value in resp.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = {"raw": raw[:200].decode(errors="replace")}
            return Reply(resp.status, parsed, dict(resp.headers), time.perf_counter() - t0)
        except (OSError, http.client.HTTPException) as exc:
            return Reply(0, {"failure": f"{type(exc).__name__}: {exc}"}, {}, time.perf_counter() - t0)
        finally:
            conn.close()

    def change(self, method: str, path: str, body: Any = None, *, timeout: float = 30, **extra: str) -> Reply:
        """A state-changing request with this visitor's Origin and CSRF token (fetched on first use)."""
        if not self.csrf:
            got = self.request("GET", "/api/footprint/csrf")
            self.csrf = got.body["csrf_token"] if got.status == 200 else ""
        headers = {"Origin": f"http://127.0.0.1:{self.port}", "X-CSRF-Token": self.csrf, **extra}
        return self.request(method, path, body=body, headers=headers, timeout=timeout)
