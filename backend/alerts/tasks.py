"""Scale-out: Celery beat sends ``alerts.tick`` every ALERTS_BEAT_SECONDS."""

from __future__ import annotations

from typing import Any

from celery import shared_task

TICK_TASK_NAME = "alerts.tick"


@shared_task(name=TICK_TASK_NAME, ignore_result=True)
def tick() -> int:
    from backend.alerts.services import alerts_tick

    return alerts_tick()


def beat_task_install(*args: Any, using: str = "default", **kwargs: Any) -> None:
    from backend.alerts.settings import alerts_setting
    from backend.schedules.beat import periodic_task_install

    periodic_task_install(name="alerts-tick", task=TICK_TASK_NAME, every=int(alerts_setting("ALERTS_BEAT_SECONDS")),
                          using=using)
