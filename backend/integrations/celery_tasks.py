"""Tasks of the user's own Celery app, called by name.

Resource forms (``docs/resources.md``):

* ``arn:aws:states:::celery:task`` / ``arn:aws:states:::celery:task.sync``: Parameters
  ``TaskName`` (required), ``Args`` (array), ``Kwargs`` (object), ``Queue`` (string).
  Request-response returns ``{"TaskId"}`` as soon as the task is sent; ``.sync`` returns
  ``{"TaskId", "TaskName", "Status": "SUCCESS", "Result"}`` when it has finished.
* ``qrn:qcs:asw:REGION:APPID:celery:TASK_NAME[.sync]``: the Task's input is the task's
  one positional argument; request-response returns ``{"TaskId"}``, ``.sync`` the
  task's return value itself (as a function Task returns the handler's).

A task that raised fails the Task with the exception's class name as the error
(``ValueError``, ``MyAppError``) and ``{"errorMessage", "errorType", "stackTrace"}`` as
the cause; a revoked one with ``Celery.TaskRevoked``.

Results come through django-celery-results (``TaskResult`` rows): the user's workers
must use it as their result backend (``result_backend = "django-db"``) on this
database. Each attempt's task id is derived from ``TaskCall.attempt_key`` and a
``PENDING`` row is written as soon as the task is sent, so an attempt offered again
after a crash is not sent twice; a crash between the send and that row sends it again
(at-least-once, as a Task's Retry would).

``.sync`` waits without holding a thread: the invoker answers ``PENDING`` and the
execution suspends; ``poll_pending(calls)`` tells the runner which of them finished.
With ``wait=True`` (for Express executions, which cannot suspend) the invoker instead
polls in place, bounded by the Task's ``TimeoutSeconds`` or ``max_wait_s``.

Without a broker (``CELERY_TASK_ALWAYS_EAGER``, the embedded default) a task registered
in this process runs in place with ``Task.apply``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django_celery_results.models import TaskResult

from backend.engine.resources import PENDING, TaskCall, TaskOutcome

from .targets import CELERY, Target, target_of

DEFAULT_APP = "backend.celery.app"
DEFAULT_MAX_WAIT_S = 300.0  # an Express execution's whole life
POLL_INTERVAL_S = 0.1
READY = frozenset({"SUCCESS", "FAILURE", "REVOKED"})


@dataclass(frozen=True)
class CeleryCall:
    task_id: str
    name: str
    args: list
    kwargs: dict
    queue: str | None
    tcsl: bool  # the TCSL form: input in, the task's value out


def celery_app() -> Any:
    """The Celery app whose broker Tasks send to: ``settings.ASW_CELERY_APP`` (a dotted path)."""
    return import_string(getattr(settings, "ASW_CELERY_APP", DEFAULT_APP))


def task_id_for(attempt_key: str) -> str:
    """The same attempt always sends the same task id (the idempotency key)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"celery:{attempt_key}"))


def celery_call(call: TaskCall, target: Target) -> CeleryCall | str:
    """What to send; a message naming the bad parameter otherwise."""
    task_id = task_id_for(call.attempt_key)
    if target.task_name is not None:
        return CeleryCall(task_id, target.task_name, [call.payload], {}, None, tcsl=True)
    params = call.payload
    if not isinstance(params, dict):
        return "Parameters must be an object with TaskName."
    name, args, kwargs, queue = (params.get(k) for k in ("TaskName", "Args", "Kwargs", "Queue"))
    if not isinstance(name, str) or not name:
        return f"TaskName must be the name of a Celery task, got {name!r}."
    if not isinstance(args if args is not None else [], list):
        return "Args must be an array."
    if not isinstance(kwargs if kwargs is not None else {}, dict):
        return "Kwargs must be an object."
    if queue is not None and (not isinstance(queue, str) or not queue):
        return "Queue must be a non-empty string."
    return CeleryCall(task_id, name, list(args or []), dict(kwargs or {}), queue, tcsl=False)


class CeleryTasks:
    """The invoker for Celery resources."""

    def __init__(self, *, app: Any = None, wait: bool = False, max_wait_s: float = DEFAULT_MAX_WAIT_S):
        self._app = app
        self.wait = wait
        self.max_wait_s = max_wait_s

    @property
    def app(self) -> Any:
        if self._app is None:
            self._app = celery_app()
        return self._app

    def __call__(self, call: TaskCall, target: Target) -> TaskOutcome | object:
        request = celery_call(call, target)
        if isinstance(request, str):
            return TaskOutcome.failed("States.Runtime", f"The Celery Task '{call.state_name}': {request}")
        if self.app.conf.task_always_eager:
            return self._run_in_place(request, target)
        row = TaskResult.objects.filter(task_id=request.task_id).only("status", "result", "traceback",
                                                                       "content_type").first()
        if row is None:
            try:
                self.app.send_task(request.name, args=request.args, kwargs=request.kwargs,
                                   task_id=request.task_id, queue=request.queue)
            except Exception as error:  # the broker refused or is unreachable: kombu's errors vary
                return TaskOutcome.failed(
                    "States.TaskFailed",
                    f"The Celery task '{request.name}' could not be sent to the broker: {error}",
                )
            _record_sent(request)
        if not target.sync:
            return TaskOutcome.succeeded({"TaskId": request.task_id})
        if row is not None and row.status in READY:
            return outcome_from_row(row, request)
        if not self.wait:
            return PENDING
        return self._wait(call, request)

    def _wait(self, call: TaskCall, request: CeleryCall) -> TaskOutcome:
        limit = self.max_wait_s if call.timeout_seconds is None else min(call.timeout_seconds, self.max_wait_s)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            row = TaskResult.objects.filter(task_id=request.task_id, status__in=READY).first()
            if row is not None:
                return outcome_from_row(row, request)
            time.sleep(POLL_INTERVAL_S)
        return TaskOutcome.timed_out(None)

    def _run_in_place(self, request: CeleryCall, target: Target) -> TaskOutcome:
        task = self.app.tasks.get(request.name)
        if task is None:
            return TaskOutcome.failed(
                "Celery.NotRegistered",
                f"No Celery task named '{request.name}' is registered in this process, and no broker is "
                "configured (CELERY_BROKER_URL) to send it to a worker.",
            )
        result = task.apply(args=request.args, kwargs=request.kwargs, task_id=request.task_id)
        if not target.sync:
            return TaskOutcome.succeeded({"TaskId": request.task_id})
        if result.failed():
            return _failure(type(result.result).__name__, str(result.result), result.traceback)
        return _success(request, result.result)


def poll_pending(calls: Iterable[TaskCall]) -> dict[str, TaskOutcome]:
    """Outcomes of the ``.sync`` Celery calls among ``calls`` that have finished, by ``attempt_key``.

    One query for all of them. Calls that are not ``.sync`` Celery calls are ignored.
    """
    waiting: dict[str, tuple[TaskCall, CeleryCall]] = {}
    for call in calls:
        target = target_of(call.spec)
        if target is None or target.integration != CELERY or not target.sync:
            continue
        request = celery_call(call, target)
        if isinstance(request, CeleryCall):
            waiting[request.task_id] = (call, request)
    if not waiting:
        return {}
    rows = TaskResult.objects.filter(task_id__in=list(waiting), status__in=READY)
    outcomes = {}
    for row in rows:
        call, request = waiting[row.task_id]
        outcomes[call.attempt_key] = outcome_from_row(row, request)
    return outcomes


def outcome_from_row(row: TaskResult, request: CeleryCall) -> TaskOutcome:
    """A finished task's outcome, from its django-celery-results row (JSON serializer)."""
    if row.content_type != "application/json":
        return TaskOutcome.failed(
            "States.TaskFailed",
            f"The result of Celery task {row.task_id} is stored as {row.content_type}; only the json "
            "result serializer is supported.",
        )
    value = json.loads(row.result) if row.result else None
    if row.status == "SUCCESS":
        return _success(request, value)
    if row.status == "REVOKED":
        return TaskOutcome.failed("Celery.TaskRevoked", f"The Celery task {row.task_id} was revoked.")
    exc = value if isinstance(value, dict) else {}
    message = exc.get("exc_message")
    if isinstance(message, list):
        message = " ".join(str(part) for part in message)
    return _failure(str(exc.get("exc_type") or "Celery.TaskFailed"), str(message or ""), row.traceback)


def _success(request: CeleryCall, value: Any) -> TaskOutcome:
    if request.tcsl:
        return TaskOutcome.succeeded(value)
    return TaskOutcome.succeeded({"TaskId": request.task_id, "TaskName": request.name, "Status": "SUCCESS",
                                  "Result": value})


def _failure(error_type: str, message: str, traceback: str | None) -> TaskOutcome:
    cause = {"errorMessage": message, "errorType": error_type,
             "stackTrace": (traceback or "").splitlines(keepends=True)}
    return TaskOutcome.failed(error_type, json.dumps(cause))


def _record_sent(request: CeleryCall) -> None:
    """A PENDING row, so a repeat of this attempt knows the task was sent (the worker updates it)."""
    try:
        with transaction.atomic():
            TaskResult.objects.get_or_create(task_id=request.task_id,
                                             defaults={"status": "PENDING", "task_name": request.name})
    except IntegrityError:  # the worker stored its result first
        pass
