"""How a durable execution's Tasks reach the outside world.

* Plain Tasks call the registry inline (the runner thread waits for the function).
* ``.waitForTaskToken`` Tasks: the token row is registered *before* the submitting call
  (a fast worker may answer before the call returns), then the execution suspends
  (``PENDING``) until SendTaskSuccess/Failure resolves the row. When the runner resumes
  it, the engine offers the waiting call again and this dispatcher answers from the row:
  its result, or a timeout once ``TimeoutSeconds`` / ``HeartbeatSeconds`` lapsed.
* Child workflows (``states:startExecution`` and ``.sync``) are in ``children.py``.
* Waits up to ``ENGINE_INLINE_WAIT_SECONDS`` sleep here; longer ones suspend the
  execution (the runner stores a Timer and frees the thread).

Only the runner holding the execution's lease writes its history, so outcomes that
arrive from elsewhere are never journaled by whoever delivers them.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.utils import timezone

from backend.engine.clock import Clock
from backend.engine.errors import TIMEOUT
from backend.engine.resources import PENDING, SUBMITTED, ResourceRegistry, TaskCall, TaskOutcome
from backend.executions.models import Execution, TaskToken, TaskTokenStatus
from backend.executions.runner.children import ChildWorkflows, is_child_workflow


class DurableDispatcher:
    def __init__(self, execution: Execution, registry: ResourceRegistry, clock: Clock, inline_wait_seconds: float):
        self.execution = execution
        self.registry = registry
        self.clock = clock
        self.inline_wait_seconds = inline_wait_seconds
        self.children = ChildWorkflows(execution, registry)

    def invoke(self, call: TaskCall) -> TaskOutcome | object:
        if is_child_workflow(call.spec):
            return self.children.invoke(call)
        if not call.spec.callback:
            return self.registry.invoke(call)
        if call.awaiting_callback:
            return self._callback_outcome(call)
        token_register(execution=self.execution, call=call)
        outcome = self.registry.invoke(call)
        if outcome.status != "SUCCEEDED":
            return outcome
        return TaskOutcome(SUBMITTED, submitted=outcome.output)

    def wait_until(self, deadline: float) -> bool:
        if deadline - self.clock.now() > self.inline_wait_seconds:
            return False
        self.clock.sleep_until(deadline)
        return True

    def _callback_outcome(self, call: TaskCall) -> TaskOutcome | object:
        row = TaskToken.objects.filter(token=call.task_token).first()
        if row is None:  # registered by a run that crashed before committing it: ask again
            return TaskOutcome.failed("States.Runtime", "The task token of this callback Task was lost.")
        if row.status == TaskTokenStatus.SUCCEEDED:
            return TaskOutcome.succeeded(json.loads(row.output))
        if row.status == TaskTokenStatus.FAILED:
            return TaskOutcome.failed(row.error, row.cause)
        if row.status == TaskTokenStatus.TIMED_OUT:
            if _heartbeat_lapsed(row):
                return TaskOutcome.heartbeat_timed_out()
            return TaskOutcome("TIMED_OUT", None, row.error, row.cause)
        now = timezone.now()
        if call.execution_deadline_bound and call.timeout_seconds is not None and call.timeout_seconds <= 0:
            return _expire(row, now)  # the execution's own TimeoutSeconds
        if row.timeout_at is not None and row.timeout_at <= now:
            return _expire(row, now)
        if row.heartbeat_deadline is not None and row.heartbeat_deadline <= now:
            _expire(row, now)
            return TaskOutcome.heartbeat_timed_out()
        return PENDING


def _expire(row: TaskToken, now: Any) -> TaskOutcome:
    TaskToken.objects.filter(pk=row.pk, status=TaskTokenStatus.WAITING).update(
        status=TaskTokenStatus.TIMED_OUT, error=TIMEOUT, resolved_at=now
    )
    return TaskOutcome("TIMED_OUT", None, TIMEOUT, None)


def _heartbeat_lapsed(row: TaskToken) -> bool:
    """Whether an expired row timed out on its heartbeat (AWS names both ``States.Timeout``).

    A run that expired the row may have crashed before journaling the outcome; the row's
    deadlines tell which one lapsed first, in the order ``_callback_outcome`` checks them.
    """
    resolved = row.resolved_at
    if row.error != TIMEOUT or resolved is None or row.heartbeat_deadline is None:
        return False
    return row.heartbeat_deadline <= resolved and (row.timeout_at is None or row.timeout_at > resolved)


def token_register(*, execution: Execution, call: TaskCall) -> TaskToken:
    """The token row of a callback attempt (idempotent: a re-dispatched attempt keeps its row)."""
    now = timezone.now()
    entered = int(call.attempt_key.rsplit("#", 2)[1])
    row, _ = TaskToken.objects.get_or_create(
        token=call.task_token,
        defaults={
            "execution": execution,
            "state_name": call.state_name,
            "state_entered_event_id": entered,
            "after_event_id": entered,
            "heartbeat_seconds": call.heartbeat_seconds,
            "heartbeat_deadline": None if call.heartbeat_seconds is None
            else now + timedelta(seconds=call.heartbeat_seconds),
            "timeout_at": None if call.timeout_seconds is None else now + timedelta(seconds=call.timeout_seconds),
        },
    )
    return row
