"""Write-side use cases: starting executions, journaling history, task tokens, timers.

HackSoft style: keyword-only, typed, ``<entity>_<action>``, each owns its transaction.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
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
    started = now or timezone.now()
    execution = Execution(
        template=template,
        version=version or template_get_version(template=template, number=version_number),
        parent=parent,
        name=name,
        type=template.type,
        status=ExecutionStatus.RUNNING,
        input=input,
        started_at=started,
        wake_at=started,  # runnable at once
    )
    try:
        with transaction.atomic():
            # Standard names are unique per template: a repeat fails the INSERT (no pre-check query).
            _execution_insert(execution)
    except IntegrityError:
        if not standard:
            raise
        # Started before, or concurrently: answer as StartExecution does for a repeat.
        existing = Execution.objects.get(template=template, name=name)
        return ExecutionStart(_idempotent_repeat(existing, input), created=False)
    return ExecutionStart(execution, created=True)


# Columns whose Python value is what the driver takes (else the field prepares it).
_PLAIN_FIELD_TYPES = frozenset({"CharField", "TextField", "ForeignKey", "PositiveIntegerField", "IntegerField"})


@lru_cache(maxsize=1)
def _execution_insert_sql() -> tuple[str, tuple[tuple[str, Callable[[Any], Any]], ...], bool]:
    meta = Execution._meta
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    q = connection.ops.quote_name
    returning = connection.features.can_return_columns_from_insert
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(field.column) for field in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})" + (f" RETURNING {q(meta.pk.column)}" if returning else ""))
    adapt = connection.ops.adapt_datetimefield_value

    def preparer(field: Any) -> Callable[[Any], Any]:
        kind = field.get_internal_type()
        if kind in _PLAIN_FIELD_TYPES:
            return lambda value: value
        if kind == "DateTimeField" and not (field.auto_now or field.auto_now_add):
            return lambda value: None if value is None else adapt(value)
        return lambda value: field.get_db_prep_save(value, connection)

    return sql, tuple((field.attname, preparer(field)) for field in fields), returning


def _execution_insert(execution: Execution) -> None:
    """``execution.save()`` for a new row, as one prepared INSERT (the start's hot path: the
    ORM's query compilation cost more than the insert). Sends the same signals."""
    sql, fields, returning = _execution_insert_sql()
    pre_save.send(sender=Execution, instance=execution, raw=False, using=connection.alias, update_fields=None)
    values = [prepare(getattr(execution, attname)) for attname, prepare in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        execution.pk = cursor.fetchone()[0] if returning else connection.ops.last_insert_id(
            cursor, Execution._meta.db_table, Execution._meta.pk.column)
    execution._state.adding = False
    execution._state.db = connection.alias
    post_save.send(sender=Execution, instance=execution, created=True, update_fields=None, raw=False,
                   using=connection.alias)


def _idempotent_repeat(existing: Execution, input: str) -> Execution:
    if existing.status == ExecutionStatus.RUNNING and existing.input == input:
        return existing
    raise ExecutionAlreadyExists(f"Execution Already Exists: '{existing.template.name}:{existing.name}'")


_HISTORY_COLUMNS = ("execution", "scope", "event_id", "previous_event_id", "timestamp", "type", "details")
# 140 rows x 7 columns stay under SQLite's historical limit of 999 bound parameters.
_HISTORY_ROWS_PER_STATEMENT = 140


def _json_encoder() -> Callable[[Any], str]:
    """Compact JSON text (``separators=(",", ":")``, ``ensure_ascii=False``), as ``_encode``.

    One C encoder made once: ``JSONEncoder.encode`` builds a new one on every call, which
    costs as much as encoding a small state. No circular check (engine values are trees).
    """
    c_make = getattr(json.encoder, "c_make_encoder", None)
    if c_make is None:
        return _encode
    encoder = c_make(None, json.JSONEncoder().default, json.encoder.encode_basestring, None, ":", ",",
                     False, False, True)
    join = "".join
    return lambda value: join(encoder(value, 0))


encode_json = _json_encoder()


class ExecutionClose(NamedTuple):
    """How an execution ends: what ``history_append(close=...)`` writes to its row."""

    status: str
    output: str | None = None
    error: str | None = None
    cause: str | None = None


def _history_insert(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    """The journal's hot path on SQLite and others: a few statements per group, no model
    instance per event. SQLite gets the driver's ``executemany`` of a one-row statement (its
    C loop beats Django rewriting the placeholders of a long multi-row VALUES list with a
    regex); other databases multi-row VALUES statements. (PostgreSQL: ``_pg_history_write``.)
    """
    if connection.vendor == "sqlite":
        cursor.executemany(_history_insert_sql(1), rows)
        return
    for start in range(0, len(rows), _HISTORY_ROWS_PER_STATEMENT):
        part = rows[start : start + _HISTORY_ROWS_PER_STATEMENT]
        cursor.execute(_history_insert_sql(len(part)), [value for row in part for value in row])


@lru_cache(maxsize=_HISTORY_ROWS_PER_STATEMENT + 1)
def _history_insert_sql(rows: int) -> str:
    """INSERT of ``rows`` VALUES rows."""
    quote = connection.ops.quote_name
    meta = HistoryEvent._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in _HISTORY_COLUMNS)
    row = "(" + ", ".join(["%s"] * len(_HISTORY_COLUMNS)) + ")"
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES " + ", ".join([row] * rows)


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


def _close_in(cursor: Any, *, execution_id: int, owner: str, close: ExecutionClose, now: Any) -> None:
    """Close the row (fenced by the lease), drop its timers, time out its waiting tokens."""
    close_sql, timers_sql, tokens_sql = _close_sql()
    cursor.execute(close_sql, [close.status, close.output, close.error, close.cause, now, execution_id, owner,
                               ExecutionStatus.RUNNING.value])
    if cursor.rowcount != 1:
        raise LeaseLost(f"execution {execution_id} was closed by someone else")
    cursor.execute(timers_sql, [execution_id])
    cursor.execute(tokens_sql, [TaskTokenStatus.TIMED_OUT.value, now, execution_id, TaskTokenStatus.WAITING.value])


# --- PostgreSQL: one statement (one round trip, its own transaction) per group ---------------
#
# A group's fence (lease renewal or the close), its history rows and, when it closes the
# execution, the timers and tokens it drops, as data-modifying CTEs of ONE statement: in
# autocommit mode that is one round trip and one transaction, where BEGIN, a statement each
# and COMMIT were five or more. The INSERT is gated on the fence (``WHERE EXISTS``), so a
# runner that lost its lease records nothing. Rows go in as one array per column, written
# by hand: psycopg's array adaptation cost more than the insert.


def _pg_array_text(values: Sequence[str | None]) -> str:
    """A PostgreSQL array literal of text values (quoted; backslash and quote escaped)."""
    return "{" + ",".join(
        "NULL" if value is None else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        for value in values) + "}"


@lru_cache(maxsize=8)
def _pg_group_sql(fenced: bool, with_events: bool, closing: bool) -> str:
    q = connection.ops.quote_name
    execution = q(Execution._meta.db_table)
    meta = HistoryEvent._meta
    columns = ", ".join(q(meta.get_field(name).column) for name in _HISTORY_COLUMNS)
    insert = (f"INSERT INTO {q(meta.db_table)} ({columns}) SELECT %s, %s, * FROM unnest("
              "%s::integer[], %s::integer[], %s::double precision[], %s::text[], %s::text[])")
    if not fenced:
        return insert
    if closing:
        fence = (f"UPDATE {execution} SET {q('status')} = %s, {q('output')} = %s, {q('error')} = %s, "
                 f"{q('cause')} = %s, {q('stopped_at')} = %s, {q('lease_owner')} = '', "
                 f"{q('lease_expires_at')} = NULL, {q('wake_at')} = NULL "
                 f"WHERE {q('id')} = %s AND {q('lease_owner')} = %s AND {q('status')} = %s RETURNING {q('id')}")
    else:
        fence = _lease_renew_sql() + f" RETURNING {q('id')}"
    parts = [f"fence AS ({fence})"]
    if with_events:
        parts.append(f"events AS ({insert} WHERE EXISTS (SELECT 1 FROM fence))")
    if closing:
        parts.append(f"timers AS (DELETE FROM {q(Timer._meta.db_table)} "
                     f"WHERE {q('execution_id')} IN (SELECT {q('id')} FROM fence))")
        parts.append(f"tokens AS (UPDATE {q(TaskToken._meta.db_table)} SET {q('status')} = %s, "
                     f"{q('resolved_at')} = %s WHERE {q('execution_id')} IN (SELECT {q('id')} FROM fence) "
                     f"AND {q('status')} = %s)")
    return "WITH " + ", ".join(parts) + " SELECT count(*) FROM fence"


def _pg_rows_params(rows: list[tuple[Any, ...]]) -> list[Any]:
    execution_ids, scopes, ids, previous, stamps, types, details = zip(*rows)
    return [execution_ids[0], scopes[0], "{" + ",".join(map(str, ids)) + "}", "{" + ",".join(map(str, previous)) + "}",
            "{" + ",".join(map(repr, stamps)) + "}", _pg_array_text(types), _pg_array_text(details)]


def _pg_group_write(cursor: Any, *, execution_id: int, rows: list[tuple[Any, ...]], lease: Lease | None,
                    close: ExecutionClose | None, now: Any) -> None:
    if lease is None:
        cursor.execute(_pg_group_sql(False, True, False), _pg_rows_params(rows))
        return
    if close is not None:
        params: list[Any] = [close.status, close.output, close.error, close.cause, now, execution_id, lease.owner,
                             ExecutionStatus.RUNNING.value]
    else:
        expires = connection.ops.adapt_datetimefield_value(timezone.now() + timedelta(seconds=lease.seconds))
        params = [expires, execution_id, lease.owner, ExecutionStatus.RUNNING.value]
    if rows:
        params += _pg_rows_params(rows)
    if close is not None:
        params += [TaskTokenStatus.TIMED_OUT.value, now, TaskTokenStatus.WAITING.value]
    cursor.execute(_pg_group_sql(True, bool(rows), close is not None), params)
    if cursor.fetchone()[0] != 1:
        raise LeaseLost(f"execution {execution_id} is no longer driven by {lease.owner}"
                        if close is None else f"execution {execution_id} was closed by someone else")


def history_rows(*, execution_id: int, events: Sequence[Event], scope: str = "",
                 known: dict[int, str] | None = None) -> list[tuple[Any, ...]]:
    """The rows of ``events`` (checked to continue each other), details as JSON text.

    ``known`` maps ``id(value)`` to the JSON text of a value in the last event's details
    already encoded (a terminal event's output, also written to the execution row): it is
    not encoded twice.
    """
    if not events:
        return []
    first = events[0][0]
    for offset, event in enumerate(events):
        if event[0] != first + offset:
            raise ValueError(f"history events must have consecutive ids: #{event[0]} follows #{first + offset - 1}")
    encode = encode_json
    rows = [(execution_id, scope, event_id, previous, timestamp, type_, None if details is None else encode(details))
            for event_id, previous, timestamp, type_, details in (events[:-1] if known else events)]
    if known:
        event_id, previous, timestamp, type_, details = events[-1]
        rows.append((execution_id, scope, event_id, previous, timestamp, type_,
                     None if details is None else _details_text(details, known)))
    return rows


def _details_text(details: dict[str, Any], known: dict[int, str]) -> str:
    """``encode_json(details)``, taking the texts of ``known`` values as they are."""
    if not all(type(key) is str for key in details):
        return encode_json(details)
    parts = [encode_json(key) + ":" + (known.get(id(value)) or encode_json(value)) for key, value in details.items()]
    return "{" + ",".join(parts) + "}"


def history_append(*, execution_id: int, events: Sequence[Event], scope: str = "", lease: Lease | None = None,
                   close: ExecutionClose | None = None, known: dict[int, str] | None = None) -> None:
    """Record a group of events in one transaction (one INSERT batch).

    The events must continue each other (ids consecutive). An id already recorded raises
    HistoryConflict and records nothing: the caller lost its lease to another worker.
    ``scope`` names a child execution's history inside this one ("" for its own).
    With ``lease``, the same transaction first renews it, or raises LeaseLost (a fenced
    write: a runner that lost the execution records nothing). With ``close`` too, the same
    transaction closes the execution instead (``execution_close``; fenced the same way).
    ``known``: see ``history_rows``.
    """
    if close is not None and lease is None:
        raise ValueError("closing an execution takes the lease that drives it")
    rows = history_rows(execution_id=execution_id, events=events, scope=scope, known=known)
    if not rows and close is None:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now()) if close is not None else None
    try:
        if connection.vendor == "postgresql":
            # One statement: atomic by itself; a savepoint only inside the caller's transaction.
            with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
                _pg_group_write(cursor, execution_id=execution_id, rows=rows, lease=lease, close=close, now=now)
            return
        with transaction.atomic(), connection.cursor() as cursor:
            if close is not None:
                _close_in(cursor, execution_id=execution_id, owner=lease.owner, close=close, now=now)
            elif lease is not None:
                lease_renew_in(cursor, execution_id=execution_id, lease=lease)
            if rows:
                _history_insert(cursor, rows)
    except IntegrityError:
        where = f"execution {execution_id}" + (f" ({scope})" if scope else "")
        raise HistoryConflict(f"{where}: events #{rows[0][2]}..#{rows[-1][2]} clash with recorded ones") from None


def execution_close(*, execution_id: int, owner: str, close: ExecutionClose) -> None:
    """Record an execution's end without events (fenced by ``owner``'s lease; LeaseLost if lost)."""
    history_append(execution_id=execution_id, events=(), lease=Lease(owner, 0), close=close)


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
