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
from contextlib import nullcontext
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
from backend.executions.runner.loading import claim_returning_sql, execution_for_run, execution_from_row
from backend.executions.runner.programs import program_for
from backend.executions.runner.registry import build_registry
from backend.executions.runner.settings import engine_setting
from backend.executions.runner.wake import wake
from backend.executions.services import ExecutionClose, encode_json, execution_close
from backend.workflows.models import WorkflowType

log = logging.getLogger(__name__)

# What ``drive`` reports.
NOT_CLAIMED = "NOT_CLAIMED"
PARKED = "PARKED"
LOST = "LOST"

_ENGINE_STATUS = {SUCCEEDED: ExecutionStatus.SUCCEEDED, FAILED: ExecutionStatus.FAILED,
                  TIMED_OUT: ExecutionStatus.TIMED_OUT}


def _aware(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=dt_timezone.utc)


@lru_cache(maxsize=1)
def _claim_sql() -> str:
    q = connection.ops.quote_name
    return (f"UPDATE {q(Execution._meta.db_table)} SET {q('lease_owner')} = %s, {q('lease_expires_at')} = %s "
            f"WHERE {q('id')} = %s AND {q('status')} = %s AND {q('wake_at')} <= %s "
            f"AND ({q('lease_expires_at')} IS NULL OR {q('lease_expires_at')} < %s)")


def _claim_params(execution_id: int, owner: str, lease_seconds: float, now: datetime) -> list:
    adapt = connection.ops.adapt_datetimefield_value
    return [owner, adapt(now + timedelta(seconds=lease_seconds)), execution_id, ExecutionStatus.RUNNING.value,
            adapt(now), adapt(now)]


def claim(execution_id: int, owner: str, lease_seconds: float) -> datetime | None:
    """Take the lease; the claim time (to detect wakes during the run) or None.

    Raw SQL: it runs once per resume, and the ORM's query building cost more than the update.
    """
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(), _claim_params(execution_id, owner, lease_seconds, now))
        taken = cursor.rowcount == 1
    return now if taken else None


def _claim_for_run(execution_id: int, owner: str, lease_seconds: float) -> tuple[datetime, Execution, bool] | None:
    """``claim`` and read what the run needs (``execution_for_run``): one statement where the
    database has UPDATE ... RETURNING. None if not claimed."""
    returning = claim_returning_sql()
    if returning is None:
        claimed_at = claim(execution_id, owner, lease_seconds)
        return None if claimed_at is None else (claimed_at, *execution_for_run(execution_id))
    now = timezone.now()
    sql = _claim_sql() + returning
    # PostgreSQL: the claim's commit need not wait for the WAL flush (no fsync per claim). A
    # claim lost with the server is harmless (the lease is gone, nothing was recorded under
    # it), the runner's next commit is synchronous and flushes the WAL up to and past it, and
    # other sessions see it at once. One statement string, run as one implicit transaction.
    lazy = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(("SET LOCAL synchronous_commit TO OFF; " + sql) if lazy else sql,
                       _claim_params(execution_id, owner, lease_seconds, now))
        if lazy:
            cursor.nextset()
        rows = cursor.fetchall()
    return (now, *execution_from_row(execution_id, rows[0])) if rows else None


def drive(execution_id: int, owner: str) -> str:
    """Run one execution as far as it can go now. Returns its new status, PARKED, LOST or NOT_CLAIMED."""
    lease_seconds = float(engine_setting("ENGINE_LEASE_SECONDS"))
    claimed = _claim_for_run(execution_id, owner, lease_seconds)
    if claimed is None:
        return NOT_CLAIMED
    claimed_at, execution, has_history = claimed
    try:
        return _run(execution, owner, lease_seconds, claimed_at, has_history)
    except (LeaseLost, HistoryConflict) as lost:
        log.info("execution %s: %s", execution_id, lost)
        return LOST
    except ReplayDivergence:
        log.exception("execution %s: the history does not replay", execution_id)
        _close(execution, owner, ExecutionStatus.FAILED, None, "States.Runtime",
               "The execution history could not be replayed.")
        return ExecutionStatus.FAILED


def _run(execution: Execution, owner: str, lease_seconds: float, claimed_at: datetime, has_history: bool) -> str:
    program = program_for(execution.version, WorkflowType.STANDARD)
    clock = SystemClock()
    journal = LeasedJournal(execution.pk, owner, lease_seconds, execution.redrive_segments,
                            child_segments=execution.child_redrive_segments,
                            on_terminal=lambda event: _close_for_event(event, engine.output_text),
                            on_closed=(lambda: _wake_parent(execution)) if execution.parent_id is not None else None,
                            fresh=not has_history)
    registry = build_registry(owner=execution.template.owner, role=execution.version.role)
    dispatcher = DurableDispatcher(execution, registry, clock, float(engine_setting("ENGINE_INLINE_WAIT_SECONDS")))
    engine = EngineExecution(program, json.loads(execution.input), name=execution.name, journal=journal,
                             dispatcher=dispatcher, clock=clock, keep_history=False,
                             redrive_count=execution.redrive_count)
    engine.redrive_points = journal.redrive_points  # known once the history is loaded (above)
    result = engine.run()
    if result.status != SUSPENDED:
        if not journal.closed:  # the terminal event was recorded by an earlier run that died before closing
            output = None if result.status != SUCCEEDED else (result.output_text or encode_json(result.output))
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


_TERMINAL_STATUS = {"ExecutionSucceeded": ExecutionStatus.SUCCEEDED, "ExecutionFailed": ExecutionStatus.FAILED,
                    "ExecutionTimedOut": ExecutionStatus.TIMED_OUT}


def _close_for_event(event: Event, output_text: str | None) -> tuple[ExecutionClose, dict[int, str]]:
    """How the terminal ``event`` closes the row, and the output's JSON text by ``id`` (so the
    history does not encode it again). ``output_text``: the engine's, if it made it."""
    details = event.details or {}
    known: dict[int, str] = {}
    output = None
    if event.type == "ExecutionSucceeded":
        value = details["output"]
        output = output_text if output_text is not None else encode_json(value)
        known[id(value)] = output
    return ExecutionClose(_TERMINAL_STATUS[event.type], output, details.get("error"), details.get("cause")), known


def _close(execution: Execution, owner: str, status: str, output: str | None, error: str | None,
           cause: str | None) -> None:
    """Record the end (fenced by the lease), drop its timers and waiting tokens, wake its parent
    (in the same transaction: a parent waits for nothing else)."""
    with transaction.atomic() if execution.parent_id is not None else nullcontext():
        execution_close(execution_id=execution.pk, owner=owner, close=ExecutionClose(status, output, error, cause))
        _wake_parent(execution)


def _wake_parent(execution: Execution) -> None:
    if execution.parent_id is not None:
        wake([execution.parent_id])
