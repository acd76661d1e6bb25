"""One channel per server process for all its live streams.

A hundred watchers of one execution would otherwise be a hundred channels in the group:
a hundred copies of every message in Redis, a hundred receives (the in-memory layer scans
all its channels on each), a hundred dispatches. Instead the process's hub channel joins
each group once, on behalf of every local consumer of it, and hands each message to
those consumers' inboxes (each consumer works through its own inbox in order, so a slow
client delays nobody else).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

# channels_redis forgets group members after a day; the hub joins its groups again hourly.
REJOIN_SECONDS = 3600.0


class Subscriber(Protocol):
    inbox: asyncio.Queue[dict[str, Any]]


class Hub:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.layer: Any = None
        self.channel = ""
        self.subscribers: dict[str, set[Subscriber]] = {}
        self._membership: asyncio.Lock | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def _started(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is loop:
            return
        from channels.layers import get_channel_layer

        self.loop, self.layer = loop, get_channel_layer()
        self.subscribers, self._membership = {}, asyncio.Lock()
        self.channel = await self.layer.new_channel("live.hub.")
        self._tasks = [loop.create_task(self._receive_forever()), loop.create_task(self._rejoin_forever())]

    async def subscribe(self, group: str, subscriber: Subscriber) -> None:
        """``subscriber`` gets the group's messages from now on (the group is joined when this returns)."""
        await self._started()
        assert self._membership is not None
        async with self._membership:
            members = self.subscribers.setdefault(group, set())
            if not members:
                await self.layer.group_add(group, self.channel)
            members.add(subscriber)

    async def unsubscribe(self, group: str, subscriber: Subscriber) -> None:
        if self._membership is None or self.loop is not asyncio.get_running_loop():
            return
        async with self._membership:
            members = self.subscribers.get(group)
            if members is None:
                return
            members.discard(subscriber)
            if not members:
                del self.subscribers[group]
                await self.layer.group_discard(group, self.channel)

    async def _receive_forever(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live: the hub could not receive")
                await asyncio.sleep(1.0)
                continue
            for subscriber in self.subscribers.get(message.get("group", ""), ()):
                subscriber.inbox.put_nowait(message)

    async def _rejoin_forever(self) -> None:
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            assert self._membership is not None
            async with self._membership:
                for group in list(self.subscribers):
                    try:
                        await self.layer.group_add(group, self.channel)
                    except Exception:
                        log.exception("live: could not rejoin %s", group)


hub = Hub()
