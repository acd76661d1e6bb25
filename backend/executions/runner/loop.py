"""The runner loop: what ``manage.py runengine`` and the embedded server run.

One loop per process: a poller thread fires due timers and hands runnable executions
(RUNNING, ``wake_at`` passed, no live lease) to a pool of runner threads, each driving
one execution at a time (``run.drive``); a keeper renews the leases of the executions
in flight (a long Task call commits nothing for a while). Several processes may run
loops on the same database: leases decide who drives what.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from backend.executions.errors import LeaseLost
from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner.heap import freeze_startup_heap
from backend.executions.runner.journal import lease_renew
from backend.executions.runner.run import drive
from backend.executions.runner.settings import engine_setting
from backend.executions.runner.wake import fire_due_timers, poke
from backend.workflows.models import WorkflowType

log = logging.getLogger(__name__)


def runner_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def runnable_ids(limit: int, exclude: set[int], idle_seconds: float = 0.0) -> list[int]:
    """Runnable executions nobody holds; ``idle_seconds``: only those woken at least that long ago
    (a Celery scheduler re-queues what the queue seems to have lost, not what it just got)."""
    now = timezone.now()
    woken_by = now - timedelta(seconds=idle_seconds)
    return list(
        Execution.objects.filter(status=ExecutionStatus.RUNNING, type=WorkflowType.STANDARD, wake_at__lte=woken_by)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .exclude(pk__in=exclude)
        .order_by("wake_at")
        .values_list("pk", flat=True)[:limit]
    )


class RunnerLoop:
    def __init__(self, threads: int | None = None, owner: str | None = None):
        self.threads = int(threads or engine_setting("ENGINE_THREADS"))
        self.owner = owner or runner_identity()
        self.lease_seconds = float(engine_setting("ENGINE_LEASE_SECONDS"))
        self.poll_seconds = float(engine_setting("ENGINE_POLL_SECONDS"))
        self._stop = threading.Event()
        self._in_flight: set[int] = set()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="runner")
        self._threads: list[threading.Thread] = []

    def start(self) -> RunnerLoop:
        freeze_startup_heap()
        for target, name in ((self._poll_forever, "runner-poll"), (self._keep_leases, "runner-leases")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        poke.set()
        for thread in self._threads:
            thread.join(timeout)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def run_forever(self) -> None:
        self.start()
        try:
            while not self._stop.wait(1.0):
                pass
        finally:
            self.stop()

    def poll_once(self) -> int:
        """Fire due timers and submit runnable executions; how many were submitted."""
        fire_due_timers()
        with self._lock:
            free = self.threads * 2 - len(self._in_flight)
            busy = set(self._in_flight)
        if free <= 0:
            return 0
        ids = runnable_ids(free, busy)
        with self._lock:
            self._in_flight.update(ids)
        for execution_id in ids:
            self._pool.submit(self._drive, execution_id)
        return len(ids)

    def _poll_forever(self) -> None:
        try:
            while not self._stop.is_set():
                poke.clear()
                try:
                    submitted = self.poll_once()
                except Exception:  # a database hiccup must not kill the loop
                    log.exception("runner poll failed")
                    submitted = 0
                    close_old_connections()
                if not submitted:
                    poke.wait(self.poll_seconds)
        finally:
            connection.close()

    def _drive(self, execution_id: int) -> None:
        try:
            drive(execution_id, self.owner)
        except Exception:
            log.exception("execution %s: runner failed", execution_id)
            close_old_connections()
        finally:
            with self._lock:
                self._in_flight.discard(execution_id)
            poke.set()  # it may be runnable again (woken while it ran)

    def _keep_leases(self) -> None:
        try:
            while not self._stop.wait(self.lease_seconds / 3):
                with self._lock:
                    ids = list(self._in_flight)
                for execution_id in ids:
                    try:
                        lease_renew(execution_id=execution_id, owner=self.owner, seconds=self.lease_seconds)
                    except LeaseLost:
                        pass  # not claimed yet, or finished: nothing to keep
                    except Exception:
                        log.exception("lease renewal failed")
                        close_old_connections()
        finally:
            connection.close()
