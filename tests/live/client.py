"""A WebSocket client for the tests: messages with their time of receipt, close codes."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect

TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


@dataclass
class Received:
    at: float  # time.time() of receipt
    message: dict[str, Any]


class Stream:
    def __init__(self, connection: ClientConnection):
        self.connection = connection
        self.received: list[Received] = []

    async def next(self, timeout: float = 15.0) -> dict[str, Any]:
        text = await asyncio.wait_for(self.connection.recv(), timeout)
        message = json.loads(text)
        self.received.append(Received(time.time(), message))
        return message

    async def until(self, predicate: Any, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Messages up to and including the first one matching ``predicate``."""
        deadline = time.monotonic() + timeout
        got = []
        while True:
            message = await self.next(max(0.01, deadline - time.monotonic()))
            got.append(message)
            if predicate(message):
                return got

    async def quiet(self, seconds: float) -> list[dict[str, Any]]:
        """Whatever arrives within ``seconds``."""
        got = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                got.append(await self.next(left))
            except TimeoutError:
                break
        return got

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    def events(self) -> list[dict[str, Any]]:
        return [event for r in self.received if r.message["type"] == "events" for event in r.message["events"]]

    def event_receipts(self) -> list[tuple[dict[str, Any], float]]:
        return [(event, r.at) for r in self.received if r.message["type"] == "events" for event in r.message["events"]]


def open_stream(url: str, **kwargs: Any) -> Any:
    return connect(url, open_timeout=15, max_size=None, **kwargs)


def is_final_status(message: dict[str, Any]) -> bool:
    return message["type"] == "status" and message["execution"]["status"] in TERMINAL


async def close_code(url: str, **kwargs: Any) -> int | None:
    """The code the server closes a fresh connection with (None if it sent data instead)."""
    async with open_stream(url, **kwargs) as connection:
        try:
            await asyncio.wait_for(connection.recv(), 10)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    return None


def run(coroutine: Any) -> Any:
    """Runs ``coroutine`` to its end on a loop of its own, in a thread of its own: in the full
    suite the main thread may already have a running loop (Playwright's sync API in tests/e2e)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
