"""Read-side queries for executions, their history, task tokens and timers."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from django.db import connection
from django.db.models import QuerySet

from backend.engine.journal import Event
from backend.executions.models import (
    OPEN_STATUSES,
    Execution,
    HistoryEvent,
    TaskToken,
    TaskTokenStatus,
    Timer,
)

_decode = json.JSONDecoder().decode


def history_events(*, execution_id: int, after_event_id: int = 0, scope: str = "") -> list[Event]:
    """The recorded events after ``after_event_id``, in id order, as the engine's ``Event`` tuples.

    ``scope`` selects a child execution's history inside this one ("" for its own).
    Raw SQL: a runner reads a history on every resume, and the ORM's query building cost
    more than the read.
    """
    with connection.cursor() as cursor:
        cursor.execute(_history_select_sql(), [execution_id, scope, after_event_id])
        rows = cursor.fetchall()
    return [Event(i, p, t, ty, None if d is None else _decode(d)) for i, p, t, ty, d in rows]


@lru_cache(maxsize=1)
def _history_select_sql() -> str:
    quote = connection.ops.quote_name
    meta = HistoryEvent._meta
    column = {name: quote(meta.get_field(name).column) for name in
              ("execution", "scope", "event_id", "previous_event_id", "timestamp", "type", "details")}
    return (f"SELECT {column['event_id']}, {column['previous_event_id']}, {column['timestamp']}, "
            f"{column['type']}, {column['details']} FROM {quote(meta.db_table)} "
            f"WHERE {column['execution']} = %s AND {column['scope']} = %s AND {column['event_id']} > %s "
            f"ORDER BY {column['event_id']}")


def history_last_event_id(*, execution_id: int, scope: str = "") -> int:
    last = (
        HistoryEvent.objects.filter(execution_id=execution_id, scope=scope)
        .order_by("-event_id")
        .values_list("event_id", flat=True)
        .first()
    )
    return last or 0


def timers_due(*, now: datetime, limit: int = 100) -> QuerySet[Timer]:
    """Timers of open executions whose time has come, earliest first."""
    return (
        Timer.objects.filter(due_at__lte=now, execution__status__in=OPEN_STATUSES)
        .select_related("execution")
        .order_by("due_at", "id")[:limit]
    )


def tokens_heartbeat_expired(*, now: datetime) -> QuerySet[TaskToken]:
    """Waiting callback tasks that missed their heartbeat (to be failed with States.Timeout)."""
    return TaskToken.objects.filter(status=TaskTokenStatus.WAITING, heartbeat_deadline__lte=now).order_by(
        "heartbeat_deadline"
    )


def execution_get(*, template_id: int, name: str) -> Execution:
    return Execution.objects.select_related("template", "version").get(template_id=template_id, name=name)
