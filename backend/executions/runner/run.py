"""Driving one Standard execution: claim it, run the engine over its history, then close
it or park it.

1. **Claim**: a conditional UPDATE takes the lease only if the execution is RUNNING,
   runnable (``wake_at`` passed) and nobody holds a live lease.
2. **Run**: a new engine ``Execution`` over a ``LeasedJournal``: it replays what is
   recorded (completed Tasks are not called again) and carries on; every commit renews
   and checks the lease in the same transaction.
3. **Close** (terminal status, output, error) or **park** (SUSPENDED: a Timer row for
   every pending deadline, the lease released and ``wake_at`` cleared, unless a wake
   arrived while it ran). Closing a child execution wakes its parent.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta, timezone as dt_timezone
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from backend.engine.clock import SystemClock
from backend.engine.execution import FAILED, SUCCEEDED, SUSPENDED, TIMED_OUT
from backend.engine.execution import Execution as EngineExecution
from backend.engine.history import ReplayDivergence
from backend.engine.journal import Event
from backend.engine.scheduler import Pending
from backend.executions.errors import HistoryConflict, LeaseLost
from backend.executions.models import Execution, ExecutionStatus, TaskToken, TaskTokenStatus, Timer, TimerKind
from backend.executions.runner.children import is_child_workflow
from backend.executions.runner.dispatcher import DurableDispatcher
from backend.executions.runner.journal import LeasedJournal
from backend.executions.runner.loading import execution_for_run
from backend.executions.runner.programs import program_for
from backend.executions.runner.registry import build_registry
from backend.executions.runner.settings import engine_setting
from backend.executions.runner.wake import wake
from backend.workflows.models import WorkflowType

log = logging.getLogger(__name__)

# What ``drive`` reports.
NOT_CLAIMED = "NOT_CLAIMED"
PARKED = "PARKED"
LOST = "LOST"

_ENGINE_STATUS = {SUCCEEDED: ExecutionStatus.SUCCEEDED, FAILED: ExecutionStatus.FAILED,
                  TIMED_OUT: ExecutionStatus.TIMED_OUT}
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _aware(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=dt_timezone.utc)


@lru_cache(maxsize=1)
def _claim_sql() -> str:
    q = connection.ops.quote_name
    return (f"UPDATE {q(Execution._meta.db_table)} SET {q('lease_owner')} = %s, {q('lease_expires_at')} = %s "
            f"WHERE {q('id')} = %s AND {q('status')} = %s AND {q('wake_at')} <= %s "
            f"AND ({q('lease_expires_at')} IS NULL OR {q('lease_expires_at')} < %s)")


def claim(execution_id: int, owner: str, lease_seconds: float) -> datetime | None:
    """Take the lease; the claim time (to detect wakes during the run) or None.

    Raw SQL: it runs once per resume, and the ORM's query building cost more than the update.
    """
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(), [owner, adapt(now + timedelta(seconds=lease_seconds)), execution_id,
                                      ExecutionStatus.RUNNING.value, adapt(now), adapt(now)])
        taken = cursor.rowcount == 1
    return now if taken else None


def drive(execution_id: int, owner: str) -> str:
    """Run one execution as far as it can go now. Returns its new status, PARKED, LOST or NOT_CLAIMED."""
    lease_seconds = float(engine_setting("ENGINE_LEASE_SECONDS"))
    claimed_at = claim(execution_id, owner, lease_seconds)
    if claimed_at is None:
        return NOT_CLAIMED
    execution = execution_for_run(execution_id)
    try:
        return _run(execution, owner, lease_seconds, claimed_at)
    except (LeaseLost, HistoryConflict) as lost:
        log.info("execution %s: %s", execution_id, lost)
        return LOST
    except ReplayDivergence:
        log.exception("execution %s: the history does not replay", execution_id)
        _close(execution, owner, ExecutionStatus.FAILED, None, "States.Runtime",
               "The execution history could not be replayed.")
        return ExecutionStatus.FAILED


def _run(execution: Execution, owner: str, lease_seconds: float, claimed_at: datetime) -> str:
    program = program_for(execution.version, WorkflowType.STANDARD)
    clock = SystemClock()
    journal = LeasedJournal(execution.pk, owner, lease_seconds, execution.redrive_segments,
                            on_terminal=lambda event: _close_from_event(execution, owner, event))
    registry = build_registry(owner=execution.template.owner, role=execution.version.role)
    dispatcher = DurableDispatcher(execution, registry, clock, float(engine_setting("ENGINE_INLINE_WAIT_SECONDS")))
    engine = EngineExecution(program, json.loads(execution.input), name=execution.name, journal=journal,
                             dispatcher=dispatcher, clock=clock, keep_history=False)
    result = engine.run()
    if result.status != SUSPENDED:
        if not journal.closed:  # the terminal event was recorded by an earlier run that died before closing
            output = None if result.status != SUCCEEDED else _encode(result.output)
            _close(execution, owner, _ENGINE_STATUS[result.status], output, result.error, result.cause)
        return _ENGINE_STATUS[result.status]
    if engine.deadline is not None and engine.deadline <= clock.now():
        # Suspended on callbacks / children past the execution's TimeoutSeconds.
        last = engine.history.last_id
        journal.append(Event(last + 1, last, clock.now(), "ExecutionTimedOut", {"error": "States.Timeout"}))
        journal.commit()  # closes the row too
        return ExecutionStatus.TIMED_OUT
    _park(execution, owner, claimed_at, _deadlines(execution, result.pending, engine.deadline))
    return PARKED


def _deadlines(execution: Execution, pending: list[Pending], execution_deadline: float | None) -> list[Timer]:
    """A Timer for every moment a pending item may change without anyone telling us."""
    timers: list[Timer] = []

    def add(due: float | datetime, kind: str, payload: dict | None = None) -> None:
        due_at = due if isinstance(due, datetime) else _aware(due)
        timers.append(Timer(execution=execution, due_at=due_at, kind=kind, payload=payload or {}))

    tokens = {}
    callback_tokens = [p.call.task_token for p in pending if p.call is not None and p.call.task_token]
    if callback_tokens:
        tokens = {row.token: row for row in TaskToken.objects.filter(token__in=callback_tokens,
                                                                      status=TaskTokenStatus.WAITING)}
    for item in pending:
        if item.deadline is not None:
            add(item.deadline, TimerKind.WAIT, {"after_event_id": item.after_event_id})
            continue
        call = item.call
        row = tokens.get(call.task_token) if call.task_token else None
        if row is not None:
            if row.timeout_at is not None:
                add(row.timeout_at, TimerKind.TASK_TIMEOUT, {"state": call.state_name})
            if row.heartbeat_deadline is not None:
                add(row.heartbeat_deadline, TimerKind.HEARTBEAT, {"state": call.state_name})
        else:
            if item.timeout_at is not None:
                add(item.timeout_at, TimerKind.TASK_TIMEOUT, {"state": call.state_name})
            if not is_child_workflow(call.spec):  # a child's end wakes us; a Celery result does not
                add(time.time() + float(engine_setting("ENGINE_TASK_POLL_SECONDS")), TimerKind.TASK_POLL,
                    {"state": call.state_name})
    if execution_deadline is not None:
        add(execution_deadline, TimerKind.EXECUTION_TIMEOUT)
    return timers


def _park(execution: Execution, owner: str, claimed_at: datetime, timers: list[Timer]) -> None:
    with transaction.atomic():
        Timer.objects.filter(execution=execution).delete()
        Timer.objects.bulk_create(timers)
        mine = Execution.objects.filter(pk=execution.pk, lease_owner=owner)
        # A wake that arrived while we ran (wake_at after the claim) keeps it runnable.
        if not mine.filter(wake_at__lte=claimed_at).update(wake_at=None, lease_owner="", lease_expires_at=None):
            mine.update(lease_owner="", lease_expires_at=None)
            wake([execution.pk])


@lru_cache(maxsize=1)
def _close_sql() -> tuple[str, str, str]:
    q = connection.ops.quote_name
    close = (f"UPDATE {q(Execution._meta.db_table)} SET {q('status')} = %s, {q('output')} = %s, {q('error')} = %s, "
             f"{q('cause')} = %s, {q('stopped_at')} = %s, {q('lease_owner')} = '', {q('lease_expires_at')} = NULL, "
             f"{q('wake_at')} = NULL WHERE {q('id')} = %s AND {q('lease_owner')} = %s AND {q('status')} = %s")
    timers = f"DELETE FROM {q(Timer._meta.db_table)} WHERE {q('execution_id')} = %s"
    tokens = (f"UPDATE {q(TaskToken._meta.db_table)} SET {q('status')} = %s, {q('resolved_at')} = %s "
              f"WHERE {q('execution_id')} = %s AND {q('status')} = %s")
    return close, timers, tokens


_TERMINAL_STATUS = {"ExecutionSucceeded": ExecutionStatus.SUCCEEDED, "ExecutionFailed": ExecutionStatus.FAILED,
                    "ExecutionTimedOut": ExecutionStatus.TIMED_OUT}


def _close_from_event(execution: Execution, owner: str, event: Event) -> None:
    details = event.details or {}
    output = _encode(details["output"]) if event.type == "ExecutionSucceeded" else None
    _close(execution, owner, _TERMINAL_STATUS[event.type], output, details.get("error"), details.get("cause"))


def _close(execution: Execution, owner: str, status: str, output: str | None, error: str | None,
           cause: str | None) -> None:
    """Record the end (fenced by the lease), drop its timers and waiting tokens, wake its parent."""
    close_sql, timers_sql, tokens_sql = _close_sql()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(close_sql, [status, output, error, cause, now, execution.pk, owner,
                                   ExecutionStatus.RUNNING.value])
        if cursor.rowcount != 1:
            raise LeaseLost(f"execution {execution.pk} was closed by someone else")
        cursor.execute(timers_sql, [execution.pk])
        cursor.execute(tokens_sql, [TaskTokenStatus.TIMED_OUT.value, now, execution.pk,
                                    TaskTokenStatus.WAITING.value])
        if execution.parent_id is not None:
            wake([execution.parent_id])
