"""What the live consumers read from the database (sync: call through ``database_sync_to_async``)
and how an execution stream decides between a live message and a database read.

The shapes are the REST API's: ``ExecutionOutput`` for executions, ``HistoryEventOutput``
for history events (``publishing.event_json`` writes the same fields in the same order).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from rest_framework.utils.encoders import JSONEncoder

from backend.api import access
from backend.api.errors import ApiError
from backend.executions.models import Execution, HistoryEvent
from backend.live.publishing import events_frame, execution_item

# Events per frame when a stream replays from the database.
REPLAY_PAGE = 500

_encode = JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def visible_execution(user: AbstractBaseUser, execution_id: Any) -> dict[str, Any] | None:
    try:
        return execution_item(access.execution_get(user=user, execution_id=execution_id))
    except ApiError:
        return None


def visible_template_id(user: AbstractBaseUser, template_id: Any) -> int | None:
    try:
        return access.template_get(user=user, template_id=template_id).pk
    except ApiError:
        return None


def execution_by_id(execution_id: int) -> dict[str, Any] | None:
    row = Execution.objects.select_related("template", "version").filter(pk=execution_id).first()
    return None if row is None else execution_item(row)


def events_after(execution_id: int, after: int, limit: int = REPLAY_PAGE) -> tuple[str | None, int]:
    """The next frame of events after ``after`` (scope "") and the last id in it; (None, after) if none.

    The stored details are JSON text already: they go into the frame as they are.
    """
    rows = list(HistoryEvent.objects.filter(execution_id=execution_id, scope="", event_id__gt=after)
                .order_by("event_id").values_list("event_id", "previous_event_id", "type", "timestamp", "details")
                [:limit])
    if not rows:
        return None, after
    return events_frame([_stored_event_json(*row) for row in rows]), rows[-1][0]


def _stored_event_json(event_id: int, previous_event_id: int, type_: str, timestamp: float,
                       details: str | None) -> str:
    head = _encode({"id": event_id, "previous_event_id": previous_event_id, "type": type_, "timestamp": timestamp})
    return head[:-1] + ',"details":' + ("null" if details is None else details) + "}"


def executions_changed_since(*, since: datetime, template_id: int | None = None, owner_id: int | None = None,
                             limit: int = 200) -> list[dict[str, Any]]:
    """Top-level executions started, stopped or redriven at or after ``since`` (of one workflow,
    or of one owner, or everybody's when both are None), oldest first."""
    rows = Execution.objects.select_related("template", "version").filter(parent__isnull=True).filter(
        Q(started_at__gte=since) | Q(stopped_at__gte=since) | Q(redriven_at__gte=since))
    if template_id is not None:
        rows = rows.filter(template_id=template_id)
    if owner_id is not None:
        rows = rows.filter(template__owner_id=owner_id)
    return [execution_item(row) for row in rows.order_by("started_at", "id")[:limit]]


def frame(message_type: str, **fields: Any) -> str:
    return _encode({"type": message_type, **fields})


def state_of(execution: dict[str, Any]) -> tuple[int, int]:
    """Where an execution is in its life: (redrives, 0 running / 1 closed). It only grows, so a
    status message is sent when it is larger than the last one sent (a late message about an
    older status is dropped)."""
    return execution["redrive_count"], 0 if execution["status"] in ("RUNNING", "PENDING_REDRIVE") else 1


def parse_after(query_string: bytes) -> int | None:
    """``after`` of the query string: a whole number >= 0 (0 when absent), None when malformed."""
    from urllib.parse import parse_qs

    values = parse_qs(query_string.decode("latin-1")).get("after")
    if not values:
        return 0
    value = values[-1]
    return int(value) if value.isdigit() and len(value) < 19 else None


def parse_client_message(text: str | None) -> int | None:
    """``{"type": "resume", "after": N}`` -> N; None for anything else."""
    try:
        message = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("type") != "resume":
        return None
    after = message.get("after", 0)
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after < 2**63:
        return None
    return after


class EventCursor:
    """The last event id an execution stream sent, and what to do with a live group.

    Live groups come in commit order, but may skip (the watcher was not known yet to the
    publishing process, a full channel dropped one) or repeat what the database replay
    already sent: ``offer`` says SEND (the group continues the stream), SKIP (all sent
    already) or FILL (read from the database after ``last``).
    """

    SEND, SKIP, FILL = "send", "skip", "fill"

    def __init__(self, after: int):
        self.last = after

    def offer(self, first: int, last: int, carries_text: bool) -> str:
        if last <= self.last:
            return self.SKIP
        if first == self.last + 1 and carries_text:
            return self.SEND
        return self.FILL
