"""Embedded mode: a thread that calls ``schedules_tick`` and ``alerts_tick`` every SCHEDULES_POLL_SECONDS.

``manage.py runscheduler`` runs one; a server process can start one beside its runner
loop with ``start_embedded_scheduler()``. Several may run on one database (or beside
Celery beat): the name of a tick's execution keeps each tick to one run.
"""

from __future__ import annotations

import atexit
import logging
import threading

from django.db import close_old_connections

from backend.executions.runner.settings import celery_enabled
from backend.schedules.settings import schedules_setting

log = logging.getLogger(__name__)


class SchedulerLoop:
    def __init__(self, poll_seconds: float | None = None):
        self.poll_seconds = float(poll_seconds or schedules_setting("SCHEDULES_POLL_SECONDS"))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick_once(self) -> int:
        """One pass: start due scheduled runs, then evaluate and deliver alerts; runs started."""
        from backend.alerts.services import alerts_tick
        from backend.schedules.services import schedules_tick

        close_old_connections()
        started = 0
        try:
            started = len(schedules_tick())
        except Exception:  # a bad moment (database locked, restarting) must not end the loop
            log.exception("schedules tick failed; retrying in %s s", self.poll_seconds)
        try:
            alerts_tick()
        except Exception:
            log.exception("alerts tick failed; retrying in %s s", self.poll_seconds)
        return started

    def run_until_stopped(self) -> None:
        while not self._stop.is_set():
            self.tick_once()
            self._stop.wait(self.poll_seconds)

    def start(self) -> SchedulerLoop:
        self._thread = threading.Thread(target=self.run_until_stopped, name="scheduler", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


_loop: SchedulerLoop | None = None
_lock = threading.Lock()


def start_embedded_scheduler() -> SchedulerLoop | None:
    """Start this process's scheduler thread once (not when Celery beat does the ticking)."""
    global _loop
    if celery_enabled():
        return None
    with _lock:
        if _loop is None:
            _loop = SchedulerLoop().start()
            atexit.register(_loop.stop, 5.0)
    return _loop
