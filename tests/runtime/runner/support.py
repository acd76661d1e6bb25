"""Helpers for the runner tests: drive executions in this thread until nothing is runnable."""

from __future__ import annotations

import time
from collections.abc import Callable

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

