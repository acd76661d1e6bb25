"""The engine's only view of time.

Executions read "now" and wait for a deadline through a ``Clock``; tests use
``FakeClock`` so that Waits, retry back-off and timeouts run instantly and
deterministically.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (float)."""

    def sleep_until(self, deadline: float) -> None:
        """Block the calling thread until ``now() >= deadline``."""


class SystemClock:
    """Wall-clock time; sleeping really sleeps."""

    now = staticmethod(time.time)

    def sleep_until(self, deadline: float) -> None:
        delay = deadline - time.time()
        while delay > 0:
            time.sleep(min(delay, 1.0))
            delay = deadline - time.time()


class FakeClock:
    """Manual time for tests: ``sleep_until`` jumps straight to the deadline."""

    def __init__(self, start: float = 1_700_000_000.0):
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []  # every requested delay, for assertions

    def now(self) -> float:
        return self._now

    def sleep_until(self, deadline: float) -> None:
        with self._lock:
            self.sleeps.append(max(0.0, deadline - self._now))
            if deadline > self._now:
                self._now = deadline

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


def iso8601(ts: float) -> str:
    """AWS-style UTC timestamp with milliseconds, e.g. ``2024-01-02T03:04:05.678Z``."""
    dt = datetime.fromtimestamp(ts, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
