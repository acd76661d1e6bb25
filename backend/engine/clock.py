"""The engine's only view of time.

Executions read "now" and wait for a deadline through a ``Clock``; tests use
``FakeClock`` so that Waits, retry back-off and timeouts run instantly and
deterministically.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from datetime import datetime, timezone
from typing import Callable, Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (float)."""

    def sleep_until(self, deadline: float) -> None:
        """Block the calling thread until ``now() >= deadline``."""

    # Optional: ``wait_on(condition, deadline)`` waits on a held ``threading.Condition``
    # until it is notified or the deadline passes (see ``wait_on`` below for the fallback).


def wait_on(clock: Clock, condition: threading.Condition, deadline: float) -> None:
    """Wait (holding ``condition``) until it is notified or ``deadline`` passes on ``clock``.

    May return early or spuriously: callers re-check what they wait for.
    """
    waiter = getattr(clock, "wait_on", None)
    if waiter is not None:
        waiter(condition, deadline)
    else:
        condition.wait(max(0.0, deadline - clock.now()))


class SystemClock:
    """Wall-clock time; sleeping really sleeps."""

    now = staticmethod(time.time)

    def sleep_until(self, deadline: float) -> None:
        delay = deadline - time.time()
        while delay > 0:
            time.sleep(min(delay, 1.0))
            delay = deadline - time.time()

    def wait_on(self, condition: threading.Condition, deadline: float) -> None:
        condition.wait(max(0.0, deadline - time.time()))


class FakeClock:
    """Manual time for tests: ``sleep_until`` jumps straight to the deadline.

    ``call_at(when, action)`` scripts something that happens at a given time (a
    callback arriving from outside): it runs when the clock passes ``when``, and
    a ``wait_on`` that it falls within returns right after it, as a notified wait would.
    """

    def __init__(self, start: float = 1_700_000_000.0):
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []  # every requested delay, for assertions
        self._scripted: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    def sleep_until(self, deadline: float) -> None:
        with self._lock:
            self.sleeps.append(max(0.0, deadline - self._now))
        self._move_to(deadline)

    def advance(self, seconds: float) -> None:
        self._move_to(self._now + seconds)

    def call_at(self, when: float, action: Callable[[], None]) -> None:
        with self._lock:
            heapq.heappush(self._scripted, (when, next(self._order), action))

    def wait_on(self, condition: threading.Condition, deadline: float) -> None:
        if not self._run_next_before(deadline):
            self._move_to(deadline)

    def _move_to(self, deadline: float) -> None:
        while self._run_next_before(deadline):
            pass
        with self._lock:
            if deadline > self._now:
                self._now = deadline

    def _run_next_before(self, deadline: float) -> bool:
        """Move to the first scripted action due by ``deadline`` and run it; False if none."""
        with self._lock:
            if not self._scripted or self._scripted[0][0] > deadline:
                return False
            when, _, action = heapq.heappop(self._scripted)
            self._now = max(self._now, when)
        action()  # outside the lock: it may read the clock
        return True


def iso8601(ts: float) -> str:
    """AWS-style UTC timestamp with milliseconds, e.g. ``2024-01-02T03:04:05.678Z``."""
    dt = datetime.fromtimestamp(ts, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
