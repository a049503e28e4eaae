"""Start and stop ``greenroute serve`` (gunicorn) on 127.0.0.1: the one copy the tests and bench/ use.

A server counts as started once a GET of its ready path (``/api/health`` unless told otherwise)
answers 200; a server that exits first, or does not answer in time, raises with the end of its log.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEALTH = "/api/health"
START_LIMIT_S = 120.0
_POLL_S = 0.05
_STOP_WAIT_S = 20.0


def serve_command(*, code: Path | None = None) -> list[str]:
    """``greenroute serve`` of this checkout (its console script next to this Python), or of ``code``.

    ``code`` is another copy of the source (a baseline revision), run as ``python -m cli.main``.
    """
    script = Path(sys.executable).parent / "greenroute"
    if code is None and script.is_file():
        return [str(script), "serve"]
    return [sys.executable, "-m", "cli.main", "serve"]


def serve_env(*, code: Path | None = None, **extra: str) -> dict[str, str]:
    """This environment with the served source first on ``PYTHONPATH``, plus ``extra``.

    A baseline copy (``code``) serves this checkout's cities and graphs (``GREENROUTE_HOME``).
    """
    first = str(code or ROOT)
    paths = [first, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **extra}
    if code is not None:
        env.setdefault("GREENROUTE_HOME", str(ROOT))
    return env


def answers_200(url: str, *, timeout: float = 2.0) -> bool:
    """Whether a GET of ``url`` answers 200 now (a refused or failed connection is False)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            return bool(resp.status == 200)
    except (OSError, ValueError):
        return False


def wait_ready(
    proc: subprocess.Popen[bytes],
    url: str,
    *,
    limit_s: float = START_LIMIT_S,
    log: Path | None = None,
    ready: Callable[[str], bool] = answers_200,
) -> None:
    """Wait until ``ready(url)``; raise (and stop ``proc``) when it exits first or time runs out."""
    deadline = time.monotonic() + limit_s
    while not ready(url):
        exited = proc.poll() is not None
        if exited or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
            stop(proc)
            what = f"exited with {proc.returncode}" if exited else f"did not answer within {limit_s:.0f} s"
            raise RuntimeError(f"{url}: the server {what}\n{tail}")
        time.sleep(_POLL_S)


def start(
    *,
    port: int,
    workers: int = 1,
    threads: int = 4,
    log: Path | None = None,
    env: dict[str, str] | None = None,
    code: Path | None = None,
    ready_path: str = HEALTH,
    limit_s: float = START_LIMIT_S,
) -> subprocess.Popen[bytes]:
    """Start ``greenroute serve`` on 127.0.0.1:``port`` and wait until ``ready_path`` answers 200.

    Parameters
    ----------
    port
        A free loopback port.
    workers, threads
        gunicorn's workers and threads per worker.
    log
        Where the server's stderr goes (None: discarded).
    env
        Extra environment variables (``GREENROUTE_...`` settings).
    code
        Another copy of the source to serve (a baseline revision); None serves this checkout.
    ready_path
        What must answer 200 before the server counts as started.
    limit_s
        How long to wait for it.
    """
    cmd = [*serve_command(code=code), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers), "--threads", str(threads)]
    with log.open("wb") if log is not None else open(os.devnull, "wb") as err:
        proc = subprocess.Popen(
            cmd, env=serve_env(code=code, **(env or {})), cwd=code or ROOT, stdout=subprocess.DEVNULL, stderr=err
        )
    wait_ready(proc, f"http://127.0.0.1:{port}{ready_path}", limit_s=limit_s, log=log)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server (gunicorn's master stops its workers); kill it if it does not stop in time."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=_STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def source_copy(revision: str, into: Path) -> Path:
    """The source tree of git ``revision`` of this checkout, written to ``into`` (for ``code=``)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into
