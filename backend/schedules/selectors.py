"""Read side of schedules: timings, next run times, past runs."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from backend.executions.models import Execution
from backend.schedules.models import Schedule
from backend.schedules.timing import Timing, next_ticks


def schedule_timing(schedule: Schedule) -> Timing:
    return Timing(
        kind=schedule.kind, cron_expression=schedule.cron_expression, rate_seconds=schedule.rate_seconds,
        timezone=schedule.timezone, anchor=schedule.start_at or schedule.created_at,
        start_at=schedule.start_at, end_at=schedule.end_at,
    )


def schedule_next_run_times(*, schedule: Schedule, count: int = 5, now: datetime | None = None) -> list[datetime]:
    """When the next ``count`` runs will start (none while paused)."""
    if not schedule.enabled:
        return []
    after = max(schedule.last_tick_at, now or timezone.now())
    return next_ticks(schedule_timing(schedule), after=after, count=count)


def schedule_runs(*, schedule: Schedule) -> QuerySet[Execution]:
    """The executions this schedule started, newest first."""
    return Execution.objects.filter(template_id=schedule.template_id, name__startswith=schedule.execution_prefix)


def schedule_list(*, owner_id: int | None = None, template_id: int | None = None) -> QuerySet[Schedule]:
    schedules = Schedule.objects.select_related("template")
    if owner_id is not None:
        schedules = schedules.filter(template__owner_id=owner_id)
    if template_id is not None:
        schedules = schedules.filter(template_id=template_id)
    return schedules
