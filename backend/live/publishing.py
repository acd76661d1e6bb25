"""What the runtime calls to feed the live streams, and how it reaches the channel layer.

* ``events_committed(execution_id, scope, events)``: after a group of history events was
  committed (``LeasedJournal.commit``);
* ``execution_changed(execution)``: after an execution was started, stopped, redriven,
  or its Express summary recorded (a close comes with the terminal event's group).

Both return at once unless somebody watches a stream they feed (``watchers.index``: a
set lookup). Otherwise the message is handed to a **sender**: a coroutine on an event
loop that calls ``group_send`` in order, merging consecutive event groups of one
execution. With the in-memory layer that loop is the web server's own (the layer is not
thread-safe; its consumers live there); with Redis it is a daemon thread of this process
(a runner process or Celery worker publishes straight to the browsers' servers).

Messages (each names its ``group``: a server process receives them all on one channel and
hands them to its consumers of that group, ``hub.py``; consumers in ``consumers.py``):

* ``live.events`` to ``live.execution.<id>``: ``first`` / ``last`` event ids and ``text``,
  the ready ``{"type": "events", ...}`` frame (None when it would exceed
  ``INLINE_TEXT_BYTES``: the consumers then read the events from the database);
* ``live.status`` to ``live.execution.<id>``, ``live.workflow.<template id>``,
  ``live.user.<owner id>`` and ``live.user.all``: ``execution`` (the id) and ``item``, the
  row as the REST API shows it, as of that change.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from backend.engine.history import TERMINAL_EVENT_TYPES
from backend.live.watchers import ALL, index

log = logging.getLogger(__name__)

# Larger event groups are announced (first / last id) but not carried: each watcher's
# server reads them from the database (a message is copied per watcher in Redis).
INLINE_TEXT_BYTES = 64 * 1024

_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def execution_group(execution_id: int) -> str:
    return f"live.execution.{execution_id}"


def workflow_group(template_id: int) -> str:
    return f"live.workflow.{template_id}"


def owner_group(owner_id: int) -> str:
    return "live.user.all" if owner_id == ALL else f"live.user.{owner_id}"


def event_json(event: Any) -> str:
    """One history event as ``GET /api/executions/<id>/history/`` shows it (JSON text)."""
    event_id, previous_event_id, timestamp, type_, details = event
    return _encode({"id": event_id, "previous_event_id": previous_event_id, "type": type_,
                    "timestamp": timestamp, "details": details})


_FRAME_HEAD, _FRAME_TAIL = '{"type":"events","events":[', "]}"


def events_frame(encoded_events: Sequence[str]) -> str:
    return _FRAME_HEAD + ",".join(encoded_events) + _FRAME_TAIL


def joined_frames(frames: Sequence[str]) -> str:
    """One events frame with the events of ``frames`` (each made by ``events_frame``), in order."""
    if len(frames) == 1:
        return frames[0]
    return _FRAME_HEAD + ",".join(frame[len(_FRAME_HEAD):-len(_FRAME_TAIL)] for frame in frames) + _FRAME_TAIL


# --- the runtime's hooks -----------------------------------------------------------------------


def events_committed(execution_id: int, scope: str, events: Sequence[Any]) -> None:
    """A group of ``events`` of ``execution_id``'s history ``scope`` was committed (or will be,
    with the current transaction). Only the top-level history (scope "") is streamed. A group
    ending with the execution's terminal event closed it (in the same transaction): its
    status goes out after the events."""
    if not index.anything or scope or not events:
        return
    watched = execution_id in index.executions
    closing = events[-1][3] in TERMINAL_EVENT_TYPES
    if not watched and not (closing and (index.workflows or index.owners)):
        return
    items = []
    if watched:
        group = execution_group(execution_id)
        items.append((group, {
            "type": "live.events", "group": group, "execution": execution_id, "first": events[0][0],
            "last": events[-1][0], "events": [event_json(event) for event in events]}))
    if closing:
        from backend.executions.models import Execution

        row = Execution.objects.select_related("template", "version").filter(pk=execution_id).first()
        if row is not None:
            items += _status_items(row)
    if items:
        transaction.on_commit(lambda: _submit(items))


def execution_changed(execution: Any) -> None:
    """``execution`` was started, stopped, redriven or recorded (Express): tell its watchers
    (after the current transaction commits)."""
    if not index.anything:
        return
    items = _status_items(execution)
    if items:
        transaction.on_commit(lambda: _submit(items))


def _status_items(execution: Any) -> list[tuple[str, dict[str, Any]]]:
    """The status message of ``execution`` (its row as the REST API shows it) for every
    watched stream it belongs to."""
    groups = []
    if execution.pk in index.executions:
        groups.append(execution_group(execution.pk))
    if execution.parent_id is None:  # the lists show top-level executions only
        if execution.template_id in index.workflows:
            groups.append(workflow_group(execution.template_id))
        owners = index.owners
        if owners:
            if ALL in owners:
                groups.append(owner_group(ALL))
            if execution.template.owner_id in owners:
                groups.append(owner_group(execution.template.owner_id))
    if not groups:
        return []
    item = execution_item(execution)
    return [(group, {"type": "live.status", "group": group, "execution": execution.pk, "item": item})
            for group in groups]


def execution_item(execution: Any) -> dict[str, Any]:
    """``execution`` as ``GET /api/executions/<id>/`` shows it."""
    from backend.api.rest.executions import ExecutionOutput

    return dict(ExecutionOutput(execution).data)


# --- senders -------------------------------------------------------------------------------------


class Sender:
    """``group_send`` of the submitted messages, in order, on one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, layer: Any):
        self.loop = loop
        self.layer = layer
        self._pending: deque[tuple[str, dict[str, Any]]] = deque()
        self._draining = False

    def submit(self, items: list[tuple[str, dict[str, Any]]]) -> None:
        """From any thread."""
        self.loop.call_soon_threadsafe(self._enqueue, items)

    def _enqueue(self, items: list[tuple[str, dict[str, Any]]]) -> None:
        self._pending.extend(items)
        if not self._draining:
            self._draining = True
            self.loop.create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch = list(self._pending)
                self._pending.clear()
                for group, message in _merged(batch):
                    try:
                        await self.layer.group_send(group, message)
                    except Exception:
                        log.exception("live: group_send to %s failed", group)
        finally:
            self._draining = False
            if self._pending:  # submitted while the last send was finishing
                self._draining = True
                self.loop.create_task(self._drain())


def _merged(batch: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """Consecutive event groups of one execution become one message; every events message
    gets its frame text (None past ``INLINE_TEXT_BYTES``)."""
    merged: list[tuple[str, dict[str, Any]]] = []
    for group, message in batch:
        if message["type"] == "live.events" and merged:
            last_group, last = merged[-1]
            if (last_group == group and last["type"] == "live.events" and last["events"] is not None
                    and last["last"] + 1 == message["first"]):
                merged[-1] = (group, {**last, "last": message["last"], "events": last["events"] + message["events"]})
                continue
        merged.append((group, message))
    out = []
    for group, message in merged:
        if message["type"] == "live.events":
            events = message["events"]
            text = events_frame(events) if events is not None else None
            if text is not None and len(text) > INLINE_TEXT_BYTES:
                text = None
            message = {"type": "live.events", "group": group, "execution": message["execution"],
                       "first": message["first"], "last": message["last"], "text": text}
        out.append((group, message))
    return out


_lock = threading.Lock()
_local: Sender | None = None  # in-memory layer: on the server's loop
_own: tuple[int, Sender] | None = None  # Redis layer: (pid, sender on a thread of ours)


def attach_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by the consumers (on the server's loop): where the in-memory layer's messages go."""
    global _local
    if _local is not None and _local.loop is loop:
        return
    from channels.layers import get_channel_layer

    with _lock:
        _local = Sender(loop, get_channel_layer())


def _sender() -> Sender | None:
    global _own
    if not index.shared:
        return _local
    if _own is not None and _own[0] == os.getpid():
        return _own[1]
    with _lock:
        if _own is None or _own[0] != os.getpid():
            from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers

            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="live-sender", daemon=True).start()
            # Its own layer instance: connections belong to the loop that made them.
            _own = (os.getpid(), Sender(loop, channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)))
    return _own[1]


def _submit(items: list[tuple[str, dict[str, Any]]]) -> None:
    sender = _sender()
    if sender is not None:
        sender.submit(items)
