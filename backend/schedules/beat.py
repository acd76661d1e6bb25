"""django-celery-beat entries for the operations ticks (scale-out mode).

One ``PeriodicTask`` per tick function ("schedules-tick", and "alerts-tick" from the
alerts app); each schedule's own cron or rate stays in our ``Schedule`` table, read at
every tick, so changing a schedule needs no beat reload. Start beat with
``celery -A backend.celery beat --scheduler django_celery_beat.schedulers:DatabaseScheduler``.
"""

from __future__ import annotations

from typing import Any

PERIODIC_TASK_NAME = "schedules-tick"


def periodic_task_install(*, name: str, task: str, every: int, using: str = "default") -> None:
    """Create or correct the periodic task ``name`` (safe to call again)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.using(using).get_or_create(every=every, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.using(using).update_or_create(
        name=name, defaults={"task": task, "interval": interval, "enabled": True})


def beat_task_install(*args: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: the schedules tick task."""
    from backend.schedules.settings import schedules_setting
    from backend.schedules.tasks import TICK_TASK_NAME

    periodic_task_install(name=PERIODIC_TASK_NAME, task=TICK_TASK_NAME,
                          every=int(schedules_setting("SCHEDULES_BEAT_SECONDS")), using=using)
