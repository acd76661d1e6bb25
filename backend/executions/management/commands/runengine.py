"""``python manage.py runengine``: a runner process (embedded mode: as many as you like
next to the server, on the same SQLite file or PostgreSQL database).

With ``--scheduler-only`` (scale-out with Celery workers) it runs no executions itself:
it fires due timers and queues runnable executions for the workers, as the ``tick``
task does under Celery beat.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from backend.executions.runner.loop import RunnerLoop, runnable_ids
from backend.executions.runner.settings import engine_setting
from backend.executions.runner.wake import dispatch, fire_due_timers


class Command(BaseCommand):
    help = "Run workflow executions (and fire their timers) until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--threads", type=int, default=None, help="runner threads (default ENGINE_THREADS)")
        parser.add_argument("--scheduler-only", action="store_true",
                            help="only fire timers and queue runnable executions for Celery workers")

    def handle(self, *args: Any, threads: int | None, scheduler_only: bool, **options: Any) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        if scheduler_only:
            self.stdout.write("runengine: scheduler only (timers, lease recovery)")
            poll = float(engine_setting("ENGINE_POLL_SECONDS"))
            while not stop.is_set():
                fire_due_timers()
                dispatch(runnable_ids(1000, set(), idle_seconds=5.0))
                stop.wait(max(poll, 0.5))
            return
        loop = RunnerLoop(threads=threads).start()
        self.stdout.write(f"runengine: {loop.threads} runner threads as {loop.owner}")
        self.stdout.flush()
        try:
            while not stop.wait(0.5):
                pass
        finally:
            loop.stop()
