"""Scale-out: Celery beat sends ``schedules.tick`` every SCHEDULES_BEAT_SECONDS to one worker.

Whichever worker takes it (and however many take overlapping ones) a tick starts one
execution: see ``schedules_tick``.
"""

from __future__ import annotations

from celery import shared_task

TICK_TASK_NAME = "schedules.tick"


@shared_task(name=TICK_TASK_NAME, ignore_result=True)
def tick() -> int:
    from backend.schedules.services import schedules_tick

    return len(schedules_tick())
