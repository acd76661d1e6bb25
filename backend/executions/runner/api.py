"""The runtime's use cases: start, start synchronously, stop, redrive, and the callbacks.

The API layer (DRF views) and the admin call these; they never run the engine over a
Standard execution themselves: they change rows and wake a runner.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from backend.engine.journal import Event
from backend.executions.errors import (
    ExecutionNotRedrivable,
    HistoryConflict,
    InvalidExecutionInput,
)
from backend.executions.models import (
    REDRIVABLE_STATUSES,
    Execution,
    ExecutionStatus,
    HistoryEvent,
    TaskToken,
    TaskTokenStatus,
    Timer,
)
from backend.executions.runner.express import ExpressResult, express_run
from backend.executions.runner.journal import redrive_segments, virtual_view
from backend.executions.runner.loading import template_version
from backend.executions.runner.settings import celery_enabled
from backend.executions.runner.wake import dispatch, wake
from backend.executions.selectors import history_events, history_last_event_id
from backend.executions.services import (
    ExecutionStart,
    _checked_json_text,
    execution_create,
    history_append,
    token_heartbeat,
    token_resolve,
)
from backend.live.publishing import execution_changed
from backend.metrics.delivery import history_committed
from backend.workflows.errors import WorkflowTypeNotSupported
from backend.workflows.models import WorkflowTemplate, WorkflowType

# --- starting --------------------------------------------------------------------------------


def execution_start(
    *,
    template: WorkflowTemplate,
    name: str | None = None,
    input: str = "{}",
    version_number: int | None = None,
    parent: Execution | None = None,
) -> ExecutionStart:
    """StartExecution. Standard: recorded (idempotent by name) and handed to a runner.

    Express: run in the background of this process (or a Celery worker); its summary row,
    if recorded, appears when it ends. Returns the Standard row, or for Express an
    unsaved row carrying the name and start time.
    """
    if template.type == WorkflowType.EXPRESS:
        return _express_start_async(template=template, name=name, input=input, version_number=version_number)
    # execution_create is its own transaction (no savepoint round trips around it here);
    # dispatch and the live streams act once it (or the caller's transaction) commits.
    start = execution_create(template=template, name=name, input=input, parent=parent,
                             version=template_version(template, version_number))
    if start.created:
        dispatch([start.execution.pk])
        execution_changed(start.execution)  # live streams (after the commit)
    return start


def execution_start_sync(
    *, template: WorkflowTemplate, input: str = "{}", name: str | None = None, version_number: int | None = None,
    record: Callable[[Execution], Any] | None = None,
) -> ExpressResult:
    """StartSyncExecution (Express only): run now, in this thread, and answer the outcome.

    ``record`` writes the summary row instead of saving it at once (see ``express_run``).
    """
    if template.type != WorkflowType.EXPRESS:
        raise WorkflowTypeNotSupported(
            f"State Machine Type Not Supported: '{template.name}' is not an EXPRESS workflow")
    input = _checked_json_text(input, what="execution input", error=InvalidExecutionInput)
    return express_run(template=template, input_value=json.loads(input), name=name, input_text=input,
                       version_number=version_number, record=record)


_background: ThreadPoolExecutor | None = None
_background_lock = threading.Lock()


def _express_start_async(*, template: WorkflowTemplate, name: str | None, input: str,
                         version_number: int | None) -> ExecutionStart:
    global _background
    input = _checked_json_text(input, what="execution input", error=InvalidExecutionInput)
    name = name or str(uuid.uuid4())
    if celery_enabled():
        from backend.executions.tasks import run_express

        run_express.delay(template.pk, name, input, version_number)
    else:
        with _background_lock:
            if _background is None:
                _background = ThreadPoolExecutor(max_workers=4, thread_name_prefix="express")
        _background.submit(_express_in_thread, template, name, input, version_number)
    placeholder = Execution(template=template, name=name, type=WorkflowType.EXPRESS, input=input,
                            started_at=timezone.now(), status=ExecutionStatus.RUNNING)
    return ExecutionStart(placeholder, created=True)


def _express_in_thread(template: WorkflowTemplate, name: str, input: str, version_number: int | None) -> None:
    from django.db import connection

    try:
        express_run(template=template, input_value=json.loads(input), name=name, input_text=input,
                    version_number=version_number)
    finally:
        connection.close()


# --- stopping and redriving ------------------------------------------------------------------


def _append_root_event(execution_id: int, type_: str, details: dict[str, Any]) -> int:
    """Append one event after whatever is recorded; the id it got."""
    for _ in range(20):
        last = history_last_event_id(execution_id=execution_id)
        event = Event(last + 1, last, timezone.now().timestamp(), type_, details)
        try:
            history_append(execution_id=execution_id, events=[event])
            history_committed(execution_id, "", [event])  # log delivery (a no-op when off)
            return last + 1
        except HistoryConflict:
            continue  # a runner committed meanwhile (it will then find the execution closed)
    raise HistoryConflict(f"execution {execution_id}: could not append {type_}")


def execution_stop(*, execution: Execution, error: str | None = None, cause: str | None = None) -> Execution:
    """StopExecution: ABORTED with an ``ExecutionAborted`` event. A closed execution is left as it is."""
    with transaction.atomic():
        row = Execution.objects.select_for_update().get(pk=execution.pk)
        if row.status != ExecutionStatus.RUNNING:
            return row
        row.status = ExecutionStatus.ABORTED
        row.error, row.cause = error, cause
        row.stopped_at = timezone.now()
        row.lease_owner, row.lease_expires_at, row.wake_at = "", None, None
        row.save(update_fields=["status", "error", "cause", "stopped_at", "lease_owner", "lease_expires_at",
                                "wake_at"])
        Timer.objects.filter(execution=row).delete()
        TaskToken.objects.filter(execution=row, status=TaskTokenStatus.WAITING).update(
            status=TaskTokenStatus.TIMED_OUT, resolved_at=row.stopped_at)
    details = {key: value for key, value in (("error", error), ("cause", cause)) if value is not None}
    _append_root_event(row.pk, "ExecutionAborted", details)
    execution_changed(row)  # live streams: the event, then the status
    for child_id in Execution.objects.filter(parent=row, status=ExecutionStatus.RUNNING).values_list("pk", flat=True):
        execution_stop(execution=Execution(pk=child_id))
    if row.parent_id is not None:
        wake([row.parent_id])
    return row


def _redrive_cut(view: list[Event]) -> int:
    """The last event id to keep: just before the most recent state entered and never left."""
    open_states: dict[str, list[int]] = {}
    for event in view:
        kind = event.type
        name = (event.details or {}).get("name")
        if name is None:
            continue
        if kind.endswith("StateEntered"):
            open_states.setdefault(name, []).append(event.id)
        elif (kind.endswith("StateExited") or kind.endswith("StateAborted")) and open_states.get(name):
            open_states[name].pop()
    entered = [ids[-1] for ids in open_states.values() if ids]
    if not entered:
        return max(0, len(view) - 1)  # before the terminal event: the replay reaches it again
    return max(entered) - 1


_CHILD_FAILURES = ("ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted")


def _redrive_failed_iterations(row: Execution, cut: int) -> dict[str, list[list[int]]]:
    """Redrive the failed Distributed Map iterations of the Map Runs the redrive runs again.

    An iteration is a child history (scope ``<parent scope>/<Map name>/<Map's entered id>[.<retry>]/
    <index>``). When its Map state is re-run (entered after the parent history's cut) the
    iterations are replayed: the completed ones to their recorded end (their Tasks are not
    called again), and the failed ones are redriven as the execution is (cut before the failed
    step, an ``ExecutionRedriven`` event in their history, new segments). Returns the new
    ``child_redrive_segments``.
    """
    segments: dict[str, list[list[int]]] = dict(row.child_redrive_segments or {})
    scopes = set(HistoryEvent.objects.filter(execution_id=row.pk).exclude(scope="")
                 .values_list("scope", flat=True).distinct())
    if not scopes:
        return segments
    last = HistoryEvent.objects.filter(execution_id=row.pk, scope=OuterRef("scope")).order_by("-event_id")
    failed = dict(HistoryEvent.objects.filter(execution_id=row.pk, event_id=Subquery(last.values("event_id")[:1]),
                                              type__in=_CHILD_FAILURES).exclude(scope="")
                  .values_list("scope", "event_id"))
    cuts = {"": cut}
    for scope in sorted(failed, key=lambda name: (name.count("/"), name)):
        parent = max((p for p in scopes if scope.startswith(p + "/")), key=len, default="")
        if parent not in cuts:
            continue  # its parent history is replayed to its end, or not redriven
        rest = scope[len(parent) + 1:] if parent else scope
        try:
            entered = int(rest.rsplit("/", 2)[1].split(".")[0])
        except (IndexError, ValueError):
            continue
        if entered <= cuts[parent]:
            continue  # its Map state is replayed, not run again
        stored = history_events(execution_id=row.pk, scope=scope)
        view = virtual_view(stored, segments[scope]) if scope in segments else stored
        cuts[scope] = _redrive_cut(view)
        last_stored = failed[scope]
        count = sum(1 for event in stored if event.type == "ExecutionRedriven") + 1
        history_append(execution_id=row.pk, scope=scope, events=[Event(
            last_stored + 1, last_stored, timezone.now().timestamp(), "ExecutionRedriven", {"redriveCount": count})])
        segments[scope] = redrive_segments(segments.get(scope, []), cuts[scope], last_stored + 2)
    return segments


def execution_redrive(*, execution: Execution) -> Execution:
    """RedriveExecution: continue a FAILED / TIMED_OUT / ABORTED Standard execution from its failed step.

    The history gets an ``ExecutionRedriven`` event; the engine then replays the events
    before the failed step (completed Tasks are not called again) and runs on from there.
    A failed Distributed Map runs again only its failed iterations (``_redrive_failed_iterations``).
    """
    with transaction.atomic():
        row = Execution.objects.select_for_update().get(pk=execution.pk)
        if row.type != WorkflowType.STANDARD or row.status not in REDRIVABLE_STATUSES:
            raise ExecutionNotRedrivable(
                f"Execution Not Redrivable: '{row.name}' is {row.status}; only FAILED, TIMED_OUT or ABORTED "
                f"Standard executions can be redriven")
        stored = history_events(execution_id=row.pk)
        view = virtual_view(stored, row.redrive_segments) if row.redrive_segments else stored
        cut = _redrive_cut(view)
        last_stored = stored[-1].id if stored else 0
        redrive_count = row.redrive_count + 1
        redriven = Event(last_stored + 1, last_stored, timezone.now().timestamp(), "ExecutionRedriven",
                         {"redriveCount": redrive_count})
        history_append(execution_id=row.pk, events=[redriven])
        # Tokens derive from event ids that the redriven run will reuse: forget the old ones.
        TaskToken.objects.filter(execution=row).delete()
        row.redrive_segments = redrive_segments(row.redrive_segments, cut, last_stored + 2)
        row.child_redrive_segments = _redrive_failed_iterations(row, cut)
        row.status = ExecutionStatus.RUNNING
        row.redrive_count = redrive_count
        row.redriven_at = timezone.now()
        row.output = row.error = row.cause = row.stopped_at = None
        row.lease_owner, row.lease_expires_at = "", None
        row.save(update_fields=["redrive_segments", "child_redrive_segments", "status", "redrive_count",
                                "redriven_at", "output", "error", "cause", "stopped_at", "lease_owner",
                                "lease_expires_at"])
        execution_changed(row)  # live streams (after the commit, before the runner goes on)
        wake([row.pk])
    history_committed(row.pk, "", [redriven])  # log delivery (a no-op when off)
    return row


# --- callbacks -------------------------------------------------------------------------------


def send_task_success(*, token: str, output: str) -> TaskToken:
    """SendTaskSuccess: the waiting Task succeeds with ``output`` (JSON text)."""
    row = token_resolve(token=token, status=TaskTokenStatus.SUCCEEDED, output=output)
    wake([row.execution_id])
    return row


def send_task_failure(*, token: str, error: str | None = None, cause: str | None = None) -> TaskToken:
    """SendTaskFailure: the waiting Task fails with ``error`` / ``cause`` (catchable)."""
    row = token_resolve(token=token, status=TaskTokenStatus.FAILED, error=error, cause=cause)
    wake([row.execution_id])
    return row


def send_task_heartbeat(*, token: str) -> TaskToken:
    """SendTaskHeartbeat: another ``HeartbeatSeconds`` for the waiting Task."""
    row = token_heartbeat(token=token)
    # The parked execution's HEARTBEAT timer is now early: it wakes, finds the task still
    # waiting and parks again with a timer at the new deadline. Cheap, and nothing to race.
    return row
