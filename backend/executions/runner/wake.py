"""Waking executions: marking them runnable and telling a runner.

A wake sets ``wake_at`` (a parked execution has NULL). Runner loops in this process are
poked at once; with Celery, a ``run_execution`` task is queued after the transaction
commits. Runner loops in other processes find the execution on their next poll.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from backend.executions.models import Execution, ExecutionStatus, Timer
from backend.executions.runner.settings import celery_enabled
from backend.executions.selectors import timers_due

# Runner loops of this process wait on this between polls.
poke = threading.Event()


def wake(execution_ids: Iterable[int]) -> None:
    ids = list(execution_ids)
    if not ids:
        return
    Execution.objects.filter(pk__in=ids, status=ExecutionStatus.RUNNING).update(wake_at=timezone.now())
    dispatch(ids)


def dispatch(execution_ids: list[int]) -> None:
    """Hand runnable executions to whoever runs them (Celery workers or this process's loops)."""
    if celery_enabled():
        from backend.executions.tasks import run_execution

        def enqueue() -> None:
            for execution_id in execution_ids:
                run_execution.delay(execution_id)

        transaction.on_commit(enqueue)
    else:
        transaction.on_commit(poke.set)


def fire_due_timers(limit: int = 500) -> int:
    """The due-timer scan: delete due timers and wake their executions. Returns how many fired."""
    due = list(timers_due(now=timezone.now(), limit=limit).values_list("pk", "execution_id"))
    if not due:
        return 0
    Timer.objects.filter(pk__in=[pk for pk, _ in due]).delete()
    wake({execution_id for _, execution_id in due})
    return len(due)
