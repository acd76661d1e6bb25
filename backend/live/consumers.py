"""The WebSocket consumers of the live streams (routes in ``routing.py``, protocol in docs/api.md).

Close codes: 4401 not logged in, 4404 no such object (or not yours), 4400 a malformed ``after``.

An execution stream sends a snapshot, then every top-level history event after ``after``
exactly once and in order: live groups from the channel layer when they continue what was
sent, the database otherwise (on connect, on a gap, after a resume request, and on a slow
poll as a safety net). Everything that sends holds ``self.lock``, so the poll, live
messages and client requests never interleave.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
from typing import Any

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from backend.live import publishing, streams
from backend.live.hub import hub
from backend.live.watchers import ALL, REFRESH_SECONDS, Key, index

log = logging.getLogger(__name__)

NOT_LOGGED_IN = 4401
NOT_FOUND = 4404
BAD_REQUEST = 4400

# After connecting, a stream reads the database once more when every publishing process
# knows about it (Redis layer: the watcher registry's refresh), then every POLL seconds.
CATCH_UP_SECONDS = 4 * REFRESH_SECONDS + 0.5


def read(function: Any) -> Any:
    """``function`` (a read) in the default thread pool, so a hundred streams' reads do not
    queue behind each other in the one thread of ``database_sync_to_async``."""
    return DatabaseSyncToAsync(function, thread_sensitive=False)


def poll_seconds() -> float:
    """``LIVE_POLL_SECONDS`` (setting or environment variable; default 2): the safety-net poll."""
    return float(getattr(settings, "LIVE_POLL_SECONDS", None) or os.environ.get("LIVE_POLL_SECONDS") or 2.0)


class LiveConsumer(AsyncWebsocketConsumer):
    """Joining and leaving groups (through the process's hub) and the watcher index; the
    inbox the hub fills; the catch-up / poll task."""

    channel_layer_alias = None  # no channel per connection: the hub receives for all (hub.py)
    groups_joined: list[str]
    keys_watched: list[Key]
    keeps_polling = True  # after the first catch-up

    async def refuse(self, code: int) -> None:
        # Accepted first: a close before the handshake would reach the client as HTTP 403.
        await self.accept()
        await self.close(code=code)

    def user(self) -> Any:
        user = self.scope.get("user")
        return user if user is not None and user.is_authenticated else None

    async def join(self, groups: list[str], keys: list[Key]) -> None:
        publishing.attach_server_loop(asyncio.get_running_loop())
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.tasks = [asyncio.create_task(self._work_through_inbox())]
        self.groups_joined, self.keys_watched = groups, keys
        for group in groups:
            await hub.subscribe(group, self)
        new = index.add(keys)
        if new and index.shared:
            await asyncio.to_thread(index.announce, new)
        self.tasks.append(asyncio.create_task(self._poll_forever()))

    async def disconnect(self, code: int) -> None:
        for task in getattr(self, "tasks", []):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if getattr(self, "keys_watched", None):
            index.remove(self.keys_watched)
        for group in getattr(self, "groups_joined", []):
            await hub.unsubscribe(group, self)

    async def _work_through_inbox(self) -> None:
        while True:
            messages = [await self.inbox.get()]
            while not self.inbox.empty():  # behind: consecutive event groups go out as one frame
                messages.append(self.inbox.get_nowait())
            for message in _merged_events(messages):
                try:
                    if message["type"] == "live.events":
                        await self.live_events(message)
                    elif message["type"] == "live.status":
                        await self.live_status(message)
                except Exception:
                    log.exception("live: %s on %s failed", message["type"], self.scope.get("path"))

    async def live_events(self, message: dict[str, Any]) -> None:
        pass

    async def live_status(self, message: dict[str, Any]) -> None:
        pass

    async def _poll_forever(self) -> None:
        await asyncio.sleep(CATCH_UP_SECONDS)
        first = True
        while True:
            try:
                await self.catch_up(first=first)
            except Exception:  # a database hiccup: the next round tries again
                log.exception("live: catch-up of %s failed", self.scope.get("path"))
            if not self.keeps_polling:
                return
            first = False
            # Jittered: streams that connected together do not read the database together.
            await asyncio.sleep(poll_seconds() * random.uniform(0.5, 1.5))

    async def catch_up(self, first: bool) -> None:
        raise NotImplementedError


def _merged_events(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged: list[dict[str, Any]] = []
    for message in messages:
        last = merged[-1] if merged else None
        if (last is not None and message["type"] == last["type"] == "live.events" and last.get("text")
                and message.get("text") and message["first"] == last["last"] + 1):
            merged[-1] = {**last, "last": message["last"],
                          "text": publishing.joined_frames([last["text"], message["text"]])}
        else:
            merged.append(message)
    return merged


class ExecutionStream(LiveConsumer):
    """``/ws/executions/<id>/?after=N``: snapshot, events, status changes of one execution."""

    async def connect(self) -> None:
        user = self.user()
        if user is None:
            return await self.refuse(NOT_LOGGED_IN)
        after = streams.parse_after(self.scope.get("query_string", b""))
        if after is None:
            return await self.refuse(BAD_REQUEST)
        execution = await read(streams.visible_execution)(
            user, self.scope["url_route"]["kwargs"]["execution_id"])
        if execution is None:
            return await self.refuse(NOT_FOUND)
        self.execution_id = execution["id"]
        self.cursor = streams.EventCursor(after)
        self.heard_live = False
        self.state = streams.state_of(execution)
        self.lock = asyncio.Lock()
        await self.accept()
        async with self.lock:
            await self.join([publishing.execution_group(self.execution_id)], [("e", self.execution_id)])
            await self.send(text_data=streams.frame("snapshot", execution=execution))
            await self._replay(status=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        after = streams.parse_client_message(text_data)
        if after is None:
            return
        async with self.lock:
            self.cursor.last = after
            await self._replay(status=False)

    async def live_events(self, message: dict[str, Any]) -> None:
        async with self.lock:
            action = self.cursor.offer(message["first"], message["last"], message.get("text") is not None)
            if action == streams.EventCursor.SEND:
                await self.send(text_data=message["text"])
                self.cursor.last = message["last"]
                self.heard_live = True
            elif action == streams.EventCursor.FILL:
                await self._replay(status=False)

    async def live_status(self, message: dict[str, Any]) -> None:
        async with self.lock:
            await self._replay(status=message.get("item"))

    async def catch_up(self, first: bool) -> None:
        async with self.lock:
            if self.heard_live:
                # Live groups continued the stream since the last round: the publisher knows
                # this stream and nothing was missed (a hundred watchers need no hundred reads).
                self.heard_live = False
                return
            # The status is read while the stream last said the execution runs (a lost
            # status message is made good), and on the first catch-up.
            await self._replay(status=first or self.state[1] == 0)

    async def _replay(self, status: bool | dict[str, Any]) -> None:
        """Events after the cursor from the database, then the status if it changed.

        The row (``status`` when given, else read when ``status`` is True) is read *before*
        the events: a row that is closed then has its terminal event among them (the close
        and that event are one transaction), so a status never overtakes its events."""
        execution = status if isinstance(status, dict) else (
            await read(streams.execution_by_id)(self.execution_id) if status else None)
        while True:
            text, last = await read(streams.events_after)(self.execution_id, self.cursor.last)
            if text is None:
                break
            await self.send(text_data=text)
            self.cursor.last = last
        if execution is not None and streams.state_of(execution) > self.state:
            self.state = streams.state_of(execution)
            await self.send(text_data=streams.frame("status", execution=execution))


class ExecutionListStream(LiveConsumer):
    """``/ws/workflows/<id>/`` (one workflow's executions) and ``/ws/executions/`` (the user's;
    staff: everybody's): an ``execution`` message per start and status change."""

    keeps_polling = False

    async def connect(self) -> None:
        user = self.user()
        if user is None:
            return await self.refuse(NOT_LOGGED_IN)
        self.template_id: int | None = None
        self.owner_id: int | None = None
        template_arg = self.scope["url_route"]["kwargs"].get("template_id")
        if template_arg is not None:
            self.template_id = await read(streams.visible_template_id)(user, template_arg)
            if self.template_id is None:
                return await self.refuse(NOT_FOUND)
            groups, keys = [publishing.workflow_group(self.template_id)], [("w", self.template_id)]
        else:
            owner_key = ALL if user.is_staff else user.pk
            self.owner_id = None if user.is_staff else user.pk
            groups, keys = [publishing.owner_group(owner_key)], [("u", owner_key)]
        self.sent: dict[int, tuple[int, int]] = {}
        self.since = timezone.now()
        self.lock = asyncio.Lock()
        await self.accept()
        await self.join(groups, keys)

    async def live_status(self, message: dict[str, Any]) -> None:
        async with self.lock:
            await self._offer(message["item"])

    async def catch_up(self, first: bool) -> None:
        # Once: what changed between connecting and every publisher knowing about us.
        async with self.lock:
            for execution in await read(streams.executions_changed_since)(
                    since=self.since, template_id=self.template_id, owner_id=self.owner_id):
                await self._offer(execution)

    async def _offer(self, execution: dict[str, Any]) -> None:
        state = streams.state_of(execution)
        if state <= self.sent.get(execution["id"], (-1, 0)):
            return
        if len(self.sent) > 10_000:
            self.sent.clear()
        self.sent[execution["id"]] = state
        await self.send(text_data=streams.frame("execution", execution=execution))


class NotFound(AsyncWebsocketConsumer):
    """Any other path under /ws/."""

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=NOT_FOUND)
