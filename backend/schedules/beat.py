"""The django-celery-beat entry that drives schedules in scale-out mode.

One ``PeriodicTask`` ("schedules-tick", every SCHEDULES_BEAT_SECONDS) runs the tick task;
each schedule's own cron or rate stays in our ``Schedule`` table, read at every tick, so
changing a schedule needs no beat reload. Start beat with
``celery -A backend.celery beat --scheduler django_celery_beat.schedulers:DatabaseScheduler``.
"""

from __future__ import annotations

from typing import Any

PERIODIC_TASK_NAME = "schedules-tick"


def beat_task_install(*args: Any, using: str = "default", **kwargs: Any) -> None:
    """Create or correct the periodic task (a post_migrate receiver; safe to call again)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from backend.schedules.settings import schedules_setting
    from backend.schedules.tasks import TICK_TASK_NAME

    every = int(schedules_setting("SCHEDULES_BEAT_SECONDS"))
    interval, _ = IntervalSchedule.objects.using(using).get_or_create(every=every, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.using(using).update_or_create(
        name=PERIODIC_TASK_NAME,
        defaults={"task": TICK_TASK_NAME, "interval": interval, "enabled": True},
    )
