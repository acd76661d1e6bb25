"""Task callbacks for in-process runs: SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat.

A ``.waitForTaskToken`` Task run by the ``InlineDispatcher`` (CLI, tests,
embedding) waits here after its submitting call returned. The wait ends with
the callback's outcome, or with ``States.Timeout`` once ``TimeoutSeconds``
(from the submission) or ``HeartbeatSeconds`` (from the submission or the last
heartbeat) lapse, as Step Functions records it: ``TaskTimedOut`` with error
``States.Timeout`` and no cause, in both cases.

Anything holding the ``TaskCallbacks`` (another thread, a scripted ``FakeClock``
action) can deliver; a callback may even arrive before the wait starts (a
handler answering at once). The Django runtime does not use this: it suspends
the execution and watches tokens in its database.
"""

from __future__ import annotations

import threading
from typing import Any

from .clock import Clock, wait_on
from .resources import TaskCall, TaskOutcome


class TaskTokenClosed(Exception):
    """A callback for a Task that already ended (timed out or answered): AWS's TaskTimedOut."""

    def __init__(self) -> None:
        super().__init__("Task Timed Out: 'Provided task does not exist anymore'")


class TaskCallbacks:
    def __init__(self, clock: Clock):
        self._clock = clock
        self._changed = threading.Condition()
        self._outcomes: dict[str, TaskOutcome] = {}
        self._beats: dict[str, float] = {}  # token -> time of its last heartbeat
        self._closed: set[str] = set()

    # -- what the outside world sends ------------------------------------------------------

    def send_task_success(self, token: str, output: Any) -> None:
        self._deliver(token, TaskOutcome.succeeded(output))

    def send_task_failure(self, token: str, error: str | None = None, cause: str | None = None) -> None:
        self._deliver(token, TaskOutcome.failed(error, cause))  # type: ignore[arg-type]

    def send_task_heartbeat(self, token: str) -> None:
        with self._changed:
            self._check_open(token)
            self._beats[token] = self._clock.now()
            self._changed.notify_all()

    # -- what the dispatcher waits for -------------------------------------------------------

    def await_outcome(self, call: TaskCall, since: float) -> TaskOutcome | None:
        """The callback's outcome, or a timeout; None when nothing could ever end the wait.

        ``since`` is when the wait began (the TaskSubmitted event's time).
        """
        token = call.task_token or ""
        timeout_at = None
        if call.timeout_seconds is not None:
            # Cut to the execution's deadline by the scheduler: counted from now, not from ``since``.
            timeout_at = (self._clock.now() if call.execution_deadline_bound else since) + call.timeout_seconds
        heartbeat = call.heartbeat_seconds
        with self._changed:
            while True:
                outcome = self._outcomes.pop(token, None)
                if outcome is not None:
                    self._close(token)
                    return outcome
                if timeout_at is None and heartbeat is None:
                    return None
                now = self._clock.now()
                if timeout_at is not None and now >= timeout_at:
                    self._close(token)
                    return TaskOutcome.timed_out()
                beat_at = None
                if heartbeat is not None:
                    beat_at = max(since, self._beats.get(token, since)) + heartbeat
                    if now >= beat_at:
                        self._close(token)
                        return TaskOutcome.heartbeat_timed_out()
                deadline = min(t for t in (timeout_at, beat_at) if t is not None)
                wait_on(self._clock, self._changed, deadline)

    # -- bookkeeping -------------------------------------------------------------------------------

    def _deliver(self, token: str, outcome: TaskOutcome) -> None:
        with self._changed:
            self._check_open(token)
            self._outcomes[token] = outcome
            self._changed.notify_all()

    def _check_open(self, token: str) -> None:
        if token in self._closed or token in self._outcomes:
            raise TaskTokenClosed()

    def _close(self, token: str) -> None:
        self._beats.pop(token, None)
        self._closed.add(token)
