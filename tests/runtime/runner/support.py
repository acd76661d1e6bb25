"""Helpers for the runner tests: drive executions in this thread until nothing is runnable."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner.loop import runnable_ids
from backend.executions.runner.run import drive
from backend.executions.runner.wake import fire_due_timers

OWNER_ID = "test-runner"


def run_until_idle(timeout: float = 20.0, owner: str = OWNER_ID) -> None:
    """Drive executions (firing due timers) until none is RUNNING, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while Execution.objects.filter(status=ExecutionStatus.RUNNING).exists():
        if time.monotonic() > deadline:
            raise AssertionError("executions still running after the timeout")
        fire_due_timers()
        ids = runnable_ids(100, set())
        for execution_id in ids:
            drive(execution_id, owner)
        if not ids:
            time.sleep(0.05)


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        fire_due_timers()
        for execution_id in runnable_ids(100, set()):
            drive(execution_id, OWNER_ID)
        time.sleep(0.05)


def finished(execution: Execution) -> Execution:
    execution.refresh_from_db()
    return execution


def history_types(execution: Execution) -> list[str]:
    return list(execution.events.filter(scope="").order_by("event_id").values_list("type", flat=True))



@contextmanager
def authorization_check(expected: str) -> Iterator[str]:
    """A loopback API (its URL, ending /api) answering ``{"authorized": ...}``: whether the request's
    Authorization header was ``expected`` (it never echoes the credential)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            payload = json.dumps({"authorized": self.headers.get("Authorization") == expected}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}/api"
    finally:
        http.shutdown()
        http.server_close()
        thread.join(5)
