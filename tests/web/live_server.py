"""Start the product the way a user does (`make run`) and talk to it over HTTP."""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

STARTUP_TIMEOUT_S = 120.0

# Variables that would pick another database, channel layer or broker than the test asks for,
# and make's own variables (this may itself run under `make test`).
_INHERITED_CONFIG = {
    "DATABASE_URL",
    "POSTGRES_DB",
    "POSTGRES_HOST",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_PORT",
    "SQLITE_PATH",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DATA_DIR",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
}


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message  # case-insensitive: servers may send names in any case (uvicorn: lower case)
    body: bytes
    url: str  # after redirects

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class RunningServer:
    """An HTTP client for the server, keeping cookies (sessions, CSRF) like a browser."""

    base_url: str
    log_file: Path
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def get(self, path: str) -> Response:
        return self._send(urllib.request.Request(self.base_url + path))

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        body = urllib.parse.urlencode(fields).encode()
        return self._send(urllib.request.Request(self.base_url + path, data=body, method="POST"))

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == name)

    def _send(self, request: urllib.request.Request) -> Response:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        try:
            with opener.open(request, timeout=10) as reply:
                return Response(reply.status, reply.headers, reply.read(), reply.url)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read(), error.url)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(overrides: dict[str, str]) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if key not in _INHERITED_CONFIG}
    return {**environ, **overrides}


@contextmanager
def make_run(repo_root: Path, log_file: Path, environ: dict[str, str]) -> Iterator[RunningServer]:
    """`make run` on a free port until /healthz answers; stopped (whole process group) afterwards."""
    port = free_port()
    server = RunningServer(f"http://127.0.0.1:{port}", log_file)
    with log_file.open("w") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=repo_root,
            env=clean_environment({**environ, "PORT": str(port)}),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make and daphne share a group we can stop together
        )
    try:
        _wait_until_serving(server, process)
        yield server
    finally:
        stop_process_group(process)


def _wait_until_serving(server: RunningServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run exited with {process.returncode}:\n{server.log_file.read_text()}")
        try:
            server.get("/healthz")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"no answer within {STARTUP_TIMEOUT_S:.0f}s:\n{server.log_file.read_text()}")


def run_manage(repo_root: Path, env: dict[str, str], *args: str) -> str:
    """``manage.py ARGS`` in ``env`` as it is; its stdout (its stderr in the failure if it fails)."""
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=repo_root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process's group (it was started with ``start_new_session``), SIGKILL after 15 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
