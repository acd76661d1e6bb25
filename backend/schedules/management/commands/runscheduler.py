"""``python manage.py runscheduler``: start scheduled executions until interrupted."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand

from backend.schedules.loop import SchedulerLoop


class Command(BaseCommand):
    help = "Start due scheduled executions and send due alerts every SCHEDULES_POLL_SECONDS until interrupted."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--poll-seconds", type=float, default=None)
        parser.add_argument("--once", action="store_true", help="tick once and exit")

    def handle(self, *args, poll_seconds: float | None, once: bool, **options) -> None:  # type: ignore[no-untyped-def]
        loop = SchedulerLoop(poll_seconds=poll_seconds)
        if once:
            self.stdout.write(f"runscheduler: started {loop.tick_once()} run(s)")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        loop.start()
        self.stdout.write(f"runscheduler: ticking every {loop.poll_seconds} s")
        self.stdout.flush()
        try:
            while not stop.wait(0.5):
                pass
        finally:
            loop.stop()
