"""Write-side use cases: starting executions, journaling history, task tokens, timers.

HackSoft style: keyword-only, typed, ``<entity>_<action>``, each owns its transaction.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from backend.engine.journal import Event
from backend.executions.errors import (
    ExecutionAlreadyExists,
    HistoryConflict,
    InvalidExecutionInput,
    InvalidOutput,
    InvalidToken,
    LeaseLost,
    TaskDoesNotExist,
    TaskTimedOut,
)
from backend.executions.models import Execution, ExecutionStatus, HistoryEvent, TaskToken, TaskTokenStatus, Timer
from backend.workflows.models import WorkflowTemplate, WorkflowType, WorkflowVersion
from backend.workflows.names import check_name
from backend.workflows.selectors import template_get_version

# Step Functions' limit on execution input, task output and every state's payload.
PAYLOAD_LIMIT_BYTES = 262_144

_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class ExecutionStart(NamedTuple):
    execution: Execution
    created: bool  # False: an idempotent repeat of a running execution's start


def _checked_json_text(text: Any, *, what: str, error: type[Exception]) -> str:
    if not isinstance(text, str):
        raise error(f"Invalid {what}: expected JSON text, got {type(text).__name__}")
    size = len(text.encode("utf-8"))
    if size > PAYLOAD_LIMIT_BYTES:
        raise error(f"Invalid {what}: {size} bytes is more than the maximum of {PAYLOAD_LIMIT_BYTES} bytes")
    try:
        json.loads(text)
    except ValueError as exc:
        raise error(f"Invalid {what}: {exc}") from None
    return text


def execution_create(
    *,
    template: WorkflowTemplate,
    name: str | None = None,
    input: str = "{}",
    version_number: int | None = None,
    parent: Execution | None = None,
    now: datetime | None = None,
    version: WorkflowVersion | None = None,
) -> ExecutionStart:
    """Start (record) an execution of ``template``'s latest version, or of ``version_number``
    (or of ``version``, already looked up by the caller).

    Standard executions are idempotent by name, as StartExecution is: the same name and the
    same input while it is RUNNING return the existing execution (``created`` False); a
    different input, or a closed execution of that name, raise ExecutionAlreadyExists.
    Express executions are not (Step Functions does not deduplicate them either).
    """
    name = check_name(name if name is not None else str(uuid.uuid4()), what="execution")
    input = _checked_json_text(input, what="execution input", error=InvalidExecutionInput)
    standard = template.type == WorkflowType.STANDARD
    try:
        with transaction.atomic():
            # Standard names are unique per template: a repeat fails the INSERT (no pre-check query).
            execution = Execution.objects.create(
                template=template,
                version=version or template_get_version(template=template, number=version_number),
                parent=parent,
                name=name,
                type=template.type,
                status=ExecutionStatus.RUNNING,
                input=input,
                started_at=now or timezone.now(),
                wake_at=now or timezone.now(),  # runnable at once
            )
    except IntegrityError:
        if not standard:
            raise
        # Started before, or concurrently: answer as StartExecution does for a repeat.
        existing = Execution.objects.get(template=template, name=name)
        return ExecutionStart(_idempotent_repeat(existing, input), created=False)
    return ExecutionStart(execution, created=True)


def _idempotent_repeat(existing: Execution, input: str) -> Execution:
    if existing.status == ExecutionStatus.RUNNING and existing.input == input:
        return existing
    raise ExecutionAlreadyExists(f"Execution Already Exists: '{existing.template.name}:{existing.name}'")


_HISTORY_COLUMNS = ("execution", "scope", "event_id", "previous_event_id", "timestamp", "type", "details")
_HISTORY_PG_TYPES = ("bigint", "text", "integer", "integer", "double precision", "text", "text")
# 140 rows x 7 columns stay under SQLite's historical limit of 999 bound parameters.
_HISTORY_ROWS_PER_STATEMENT = 140


def _history_insert(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    """The journal's hot path: a few statements per group, no model instance per event.

    PostgreSQL gets one short statement over arrays (``unnest``): psycopg re-parses long
    statements on every call, so a multi-row VALUES list would cost more than the insert.
    SQLite gets the driver's ``executemany`` of a one-row statement (its C loop beats
    Django rewriting the placeholders of a long multi-row VALUES list with a regex).
    Other databases get multi-row VALUES statements.
    """
    if connection.vendor == "postgresql":
        cursor.execute(_history_insert_sql(0), [list(column) for column in zip(*rows)])
        return
    if connection.vendor == "sqlite":
        cursor.executemany(_history_insert_sql(1), rows)
        return
    for start in range(0, len(rows), _HISTORY_ROWS_PER_STATEMENT):
        part = rows[start : start + _HISTORY_ROWS_PER_STATEMENT]
        cursor.execute(_history_insert_sql(len(part)), [value for row in part for value in row])


@lru_cache(maxsize=_HISTORY_ROWS_PER_STATEMENT + 1)
def _history_insert_sql(rows: int) -> str:
    """INSERT of ``rows`` VALUES rows, or (``rows`` 0) of PostgreSQL arrays, one per column."""
    quote = connection.ops.quote_name
    meta = HistoryEvent._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in _HISTORY_COLUMNS)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    if rows == 0:
        return head + "SELECT * FROM unnest(" + ", ".join(f"%s::{t}[]" for t in _HISTORY_PG_TYPES) + ")"
    row = "(" + ", ".join(["%s"] * len(_HISTORY_COLUMNS)) + ")"
    return head + "VALUES " + ", ".join([row] * rows)


class Lease(NamedTuple):
    """Who drives an execution, and for how long each renewal holds."""

    owner: str
    seconds: float


@lru_cache(maxsize=1)
def _lease_renew_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(Execution._meta.db_table)
    return (f"UPDATE {table} SET {quote('lease_expires_at')} = %s WHERE {quote('id')} = %s "
            f"AND {quote('lease_owner')} = %s AND {quote('status')} = %s")


def lease_renew_in(cursor: Any, *, execution_id: int, lease: Lease) -> None:
    """Extend ``lease`` (inside the caller's transaction); LeaseLost when it is no longer held."""
    expires = connection.ops.adapt_datetimefield_value(timezone.now() + timedelta(seconds=lease.seconds))
    cursor.execute(_lease_renew_sql(), [expires, execution_id, lease.owner, ExecutionStatus.RUNNING.value])
    if cursor.rowcount != 1:
        raise LeaseLost(f"execution {execution_id} is no longer driven by {lease.owner}")


def history_append(*, execution_id: int, events: Sequence[Event], scope: str = "", lease: Lease | None = None) -> None:
    """Record a group of events in one transaction (one INSERT batch).

    The events must continue each other (ids consecutive). An id already recorded raises
    HistoryConflict and records nothing: the caller lost its lease to another worker.
    ``scope`` names a child execution's history inside this one ("" for its own).
    With ``lease``, the same transaction first renews it, or raises LeaseLost (a fenced
    write: a runner that lost the execution records nothing).
    """
    if not events:
        return
    first = events[0][0]
    for offset, event in enumerate(events):
        if event[0] != first + offset:
            raise ValueError(f"history events must have consecutive ids: #{event[0]} follows #{first + offset - 1}")
    rows = [
        (execution_id, scope, event_id, previous, timestamp, type_, None if details is None else _encode(details))
        for event_id, previous, timestamp, type_, details in events
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if lease is not None:
                lease_renew_in(cursor, execution_id=execution_id, lease=lease)
            _history_insert(cursor, rows)
    except IntegrityError:
        where = f"execution {execution_id}" + (f" ({scope})" if scope else "")
        raise HistoryConflict(f"{where}: events #{first}..#{events[-1][0]} clash with recorded ones") from None


# --- timers ------------------------------------------------------------------------------


def timer_schedule(
    *, execution: Execution, due_at: datetime, kind: str, payload: dict[str, Any] | None = None
) -> Timer:
    return Timer.objects.create(execution=execution, due_at=due_at, kind=kind, payload=payload or {})


def timer_delete(*, timer: Timer) -> bool:
    """Remove a fired or obsolete timer; False if another worker took it first."""
    deleted, _ = Timer.objects.filter(pk=timer.pk).delete()
    return deleted > 0


# --- task tokens -------------------------------------------------------------------------

TOKEN_BYTES = 48
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{%d}\Z" % len(secrets.token_urlsafe(TOKEN_BYTES)))


def token_issue(
    *,
    execution: Execution,
    state_entered_event_id: int,
    after_event_id: int,
    state_name: str = "",
    heartbeat_seconds: int | None = None,
    now: datetime | None = None,
) -> TaskToken:
    """A fresh, unguessable token for one attempt of a ``.waitForTaskToken`` Task."""
    now = now or timezone.now()
    deadline = None if heartbeat_seconds is None else now + timedelta(seconds=heartbeat_seconds)
    return TaskToken.objects.create(
        token=secrets.token_urlsafe(TOKEN_BYTES),
        execution=execution,
        state_name=state_name,
        state_entered_event_id=state_entered_event_id,
        after_event_id=after_event_id,
        heartbeat_seconds=heartbeat_seconds,
        heartbeat_deadline=deadline,
    )


def _waiting_token(token: str, now: datetime) -> TaskToken:
    """The token row, locked; the errors SendTask* answer with when it cannot be resolved."""
    if not isinstance(token, str) or not _TOKEN_SHAPE.match(token):
        raise InvalidToken("Invalid Token: 'Invalid token'")
    try:
        row = TaskToken.objects.select_for_update().select_related("execution").get(token=token)
    except TaskToken.DoesNotExist:
        raise TaskDoesNotExist("Task Does Not Exist: 'Provided task does not exist'") from None
    expired = row.heartbeat_deadline is not None and row.heartbeat_deadline <= now
    if row.status != TaskTokenStatus.WAITING or not row.execution.is_open or expired:
        raise TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'")
    return row


@transaction.atomic
def token_resolve(
    *,
    token: str,
    status: str,
    output: str | None = None,
    error: str | None = None,
    cause: str | None = None,
    now: datetime | None = None,
) -> TaskToken:
    """SendTaskSuccess (``status`` SUCCEEDED, JSON ``output``) or SendTaskFailure (FAILED).

    A token resolves once; afterwards (or once its execution closed or its heartbeat
    lapsed) it answers TaskTimedOut, as Step Functions does.
    """
    if status not in (TaskTokenStatus.SUCCEEDED, TaskTokenStatus.FAILED, TaskTokenStatus.TIMED_OUT):
        raise ValueError(f"a token resolves to SUCCEEDED, FAILED or TIMED_OUT, not {status!r}")
    now = now or timezone.now()
    if status == TaskTokenStatus.SUCCEEDED:
        output = _checked_json_text(output, what="output", error=InvalidOutput)
    row = _waiting_token(token, now)
    row.status = status
    row.output = output if status == TaskTokenStatus.SUCCEEDED else None
    row.error = error
    row.cause = cause
    row.resolved_at = now
    row.save(update_fields=["status", "output", "error", "cause", "resolved_at"])
    return row


@transaction.atomic
def token_heartbeat(*, token: str, now: datetime | None = None) -> TaskToken:
    """SendTaskHeartbeat: the waiting task gets another ``HeartbeatSeconds``."""
    now = now or timezone.now()
    row = _waiting_token(token, now)
    if row.heartbeat_seconds is not None:
        row.heartbeat_deadline = now + timedelta(seconds=row.heartbeat_seconds)
        row.save(update_fields=["heartbeat_deadline"])
    return row
