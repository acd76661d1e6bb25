"""Servers for the live stream tests: `make run` on the in-memory channel layer (executions
run inside the server), and on the Redis layer with the runner in another process
(`manage.py runengine`), so every event crosses processes through Redis.

Users alice, bob (plain) and root (staff) with API tokens; ``LIVE_POLL_SECONDS`` is 60 so
that only the live path (not the safety-net poll) can deliver within a test's time bars.
The Redis database is TEST_LIVE_REDIS_URL (default redis://127.0.0.1:6379/7), flushed first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.web.live_server import clean_environment, make_run, stop_process_group

LIVE_REDIS_URL = os.environ.get("TEST_LIVE_REDIS_URL", "redis://127.0.0.1:6379/7")
PASSWORD_SUFFIX = "-pass-123"

_SETUP_USERS = """
import json
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
tokens = {}
for name, staff in (("alice", False), ("bob", False), ("root", True)):
    user = User.objects.create_user(name, password=name + "%s", is_staff=staff)
    tokens[name] = Token.objects.create(user=user).key
print("TOKENS=" + json.dumps(tokens))
""" % PASSWORD_SUFFIX


@dataclass
class LiveServer:
    layer: str
    base_url: str
    tokens: dict[str, str]
    log_files: list[Path] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return "ws" + self.base_url[len("http"):]

    def api(self, user: str, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            self.base_url + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Token {self.tokens[user]}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                text = reply.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None
        return json.loads(text) if text else None

    def workflow(self, user: str, definition: dict[str, Any], name: str) -> dict[str, Any]:
        return self.api(user, "POST", "/api/templates/", {"name": name, "definition": json.dumps(definition)})

    def start(self, user: str, workflow_id: int, input: Any = None) -> dict[str, Any]:
        return self.api(user, "POST", "/api/executions/", {"workflow": workflow_id, "input": json.dumps(input or {})})

    def history(self, user: str, execution_id: int) -> list[dict[str, Any]]:
        return self.api(user, "GET", f"/api/executions/{execution_id}/history/?limit=1000")["events"]

    def stream_url(self, path: str, user: str | None = None, **query: Any) -> str:
        if user is not None:
            query["token"] = self.tokens[user]
        suffix = "&".join(f"{key}={value}" for key, value in query.items())
        return f"{self.ws_url}{path}" + (f"?{suffix}" if suffix else "")


def _manage(repo_root: Path, environ: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=repo_root, env=clean_environment(environ),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _create_users(repo_root: Path, environ: dict[str, str]) -> dict[str, str]:
    out = _manage(repo_root, environ, "shell", "-c", _SETUP_USERS)
    line = next(line for line in out.splitlines() if line.startswith("TOKENS="))
    return json.loads(line[len("TOKENS="):])


def _redis_ready() -> None:
    import redis

    try:
        client = redis.Redis.from_url(LIVE_REDIS_URL, socket_connect_timeout=5)
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {LIVE_REDIS_URL} (start it, see README): {error}")
    client.flushdb()


@pytest.fixture(scope="module", params=["memory", pytest.param("redis", marks=pytest.mark.services)])
def stream_server(request: pytest.FixtureRequest, repo_root: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[LiveServer]:
    layer = request.param
    tmp = tmp_path_factory.mktemp(f"live-{layer}")
    environ = {"DATA_DIR": str(tmp / "data"), "LIVE_POLL_SECONDS": "60"}
    if layer == "redis":
        _redis_ready()
        environ.update({"REDIS_URL": LIVE_REDIS_URL, "ENGINE_EMBEDDED": "0"})
    with make_run(repo_root, tmp / "server.log", environ) as server:
        tokens = _create_users(repo_root, environ)
        live = LiveServer(layer, server.base_url, tokens, [tmp / "server.log"])
        if layer == "memory":
            yield live
            return
        # The runner in a process of its own: events reach the server through Redis only.
        engine_log = tmp / "runengine.log"
        live.log_files.append(engine_log)
        with engine_log.open("w") as log:
            engine = subprocess.Popen([sys.executable, "manage.py", "runengine", "--threads", "2"], cwd=repo_root,
                                      env=clean_environment(environ), stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while "runner threads" not in engine_log.read_text():
                assert engine.poll() is None and time.monotonic() < deadline, engine_log.read_text()
                time.sleep(0.2)
            yield live
        finally:
            stop_process_group(engine)
