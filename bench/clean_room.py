"""The README's first command on a clean machine: a new virtual environment, ``pip install .``, serve.

Run with any Python 3.11+ (standard library only)::

    python3 bench/clean_room.py            # install, serve the default city, check three pages
    python3 bench/clean_room.py --keep     # keep the folder to look around afterwards

It makes a virtual environment in a new temporary folder (no ``--system-site-packages``: packages
installed by hand on this machine are not visible), runs ``pip install <this checkout>`` there with
no extras, copies the checkout's ``seeds/`` to a new ``GREENROUTE_HOME`` (so no earlier build or
numba cache is reused), starts ``greenroute serve`` on a free loopback port and checks that ``/``,
``/api/health`` and one ``/api/plan`` answer 200. It prints how long the install took and how long
from the install finishing to the first plan answered (the city is built and the transit kernels
compiled on the way), then stops the server. Exit status 0 only when every check passed.

``.ci/run`` runs it after the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Target for the time from ``pip install .`` finishing to the first plan answered (issue 13).
FIRST_ANSWER_TARGET_S = 60.0
_PLAN = "/api/plan?from=-30.0277,-51.2287&to=-30.0346,-51.2177&at=2019-05-07T08:00"
_START_LIMIT_S = 600.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, *, timeout: float = 30.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _install(folder: Path) -> Path:
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The README's first command, in the new environment: the checkout, no extras.
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(ROOT)], check=True)
    return venv


def _wait_until_serving(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _START_LIMIT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"greenroute serve exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            status, _ = _get(base + "/api/health", timeout=2.0)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"greenroute serve did not answer within {_START_LIMIT_S:.0f} s:\n{log.read_text()[-3000:]}")


def _check_pages(base: str) -> list[str]:
    failures = []
    for path in ("/", "/api/health", _PLAN):
        status, body = _get(base + path)
        if status != 200:
            failures.append(f"{path}: {status} {body[:300]!r}")
        elif path == _PLAN and not json.loads(body).get("options"):
            failures.append(f"{path}: 200 but no option in {body[:300]!r}")
    return failures


def run(*, keep: bool) -> int:
    folder = Path(tempfile.mkdtemp(prefix="greenroute-clean-room-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        t0 = time.monotonic()
        venv = _install(folder)
        installed = time.monotonic()
        print(f"clean room: python -m venv + pip install . (no extras): {installed - t0:.1f} s", flush=True)
        home = folder / "home"
        shutil.copytree(ROOT / "seeds", home / "seeds")
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GREENROUTE_", "PYTHON", "VIRTUAL_ENV"))}
        env |= {"GREENROUTE_HOME": str(home), "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}"}
        log = folder / "serve.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [str(venv / "bin" / "greenroute"), "serve", "--port", str(port)],
                cwd=home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, server, log)
        failures = _check_pages(base)
        first = time.monotonic() - installed
        verdict = "within" if first <= FIRST_ANSWER_TARGET_S else "OVER"
        print(
            f"clean room: pip install finished -> first /api/plan answered: {first:.1f} s "
            f"({verdict} the {FIRST_ANSWER_TARGET_S:.0f} s target; city build and kernel compile included)",
            flush=True,
        )
        for line in failures:
            print(f"clean room: FAILED {line}", flush=True)
        if not failures:
            print("clean room: /, /api/health and /api/plan answered 200", flush=True)
        return 1 if failures else 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if keep:
            print(f"clean room: kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return run(keep=parser.parse_args().keep)


if __name__ == "__main__":
    sys.exit(main())
