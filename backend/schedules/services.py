"""Write side of schedules: create, change, pause/resume, and ``schedules_tick``.

``schedules_tick(now)`` is the one place runs start, whoever calls it (the in-process
loop, ``runscheduler``, or the Celery beat task on any number of workers). It is safe
to call concurrently and repeatedly: each tick's execution is named after the tick and
Standard starts are idempotent by name, so a tick never starts two executions.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.audit.context import audit_context
from backend.audit.models import AuditClient
from backend.executions.errors import ExecutionAlreadyExists
from backend.executions.models import Execution
from backend.executions.runner.api import execution_start
from backend.executions.services import PAYLOAD_LIMIT_BYTES
from backend.schedules.errors import InvalidSchedule, ScheduleAlreadyExists
from backend.schedules.models import MissedRunPolicy, Schedule, ScheduleKind
from backend.schedules.settings import schedules_setting
from backend.schedules.timing import (
    InvalidScheduleTiming,
    latest_tick,
    next_ticks,
    tick_execution_name,
    timing_check,
)
from backend.schedules.selectors import schedule_timing
from backend.workflows.models import WorkflowTemplate
from backend.workflows.names import check_name
from backend.workflows.selectors import template_get_version

log = logging.getLogger(__name__)

_EDITABLE = ("version_number", "kind", "cron_expression", "rate_seconds", "timezone", "input", "start_at",
             "end_at", "missed_run_policy")


def _check(schedule: Schedule) -> None:
    try:
        timing_check(schedule_timing(schedule))
    except InvalidScheduleTiming as exc:
        raise InvalidSchedule(f"Invalid schedule: {exc}") from None
    if not isinstance(schedule.input, str) or len(schedule.input.encode()) > PAYLOAD_LIMIT_BYTES:
        raise InvalidSchedule(f"Invalid schedule: input: must be JSON text of at most {PAYLOAD_LIMIT_BYTES} bytes")
    try:
        json.loads(schedule.input)
    except ValueError as exc:
        raise InvalidSchedule(f"Invalid schedule: input: {exc}") from None
    if schedule.missed_run_policy not in MissedRunPolicy.values:
        raise InvalidSchedule(f"Invalid schedule: missed_run_policy: must be one of {MissedRunPolicy.values}")
    if schedule.version_number is not None:
        template_get_version(template=schedule.template, number=schedule.version_number)


def _advance(schedule: Schedule, cursor: datetime) -> list[str]:
    """Move the cursor to ``cursor`` and recompute the next tick; the fields changed."""
    schedule.last_tick_at = cursor
    upcoming = next_ticks(schedule_timing(schedule), after=cursor, count=1)
    schedule.next_tick_at = upcoming[0] if upcoming else None
    return ["last_tick_at", "next_tick_at"]


def schedule_create(
    *,
    template: WorkflowTemplate,
    name: str,
    kind: str,
    cron_expression: str = "",
    rate_seconds: int | None = None,
    timezone_name: str = "UTC",
    input: str = "{}",
    version_number: int | None = None,
    enabled: bool = True,
    start_at: datetime | None = None,
    end_at: datetime | None = None,
    missed_run_policy: str = MissedRunPolicy.SKIP,
    now: datetime | None = None,
) -> Schedule:
    """A new schedule; it looks forward: its first run is its first tick after ``now``."""
    now = now or timezone.now()
    schedule = Schedule(
        template=template, name=check_name(name, what="schedule"), kind=kind,
        cron_expression=cron_expression.strip() if kind == ScheduleKind.CRON else "",
        rate_seconds=rate_seconds if kind == ScheduleKind.RATE else None, timezone=timezone_name, input=input,
        version_number=version_number, enabled=enabled, start_at=start_at, end_at=end_at,
        missed_run_policy=missed_run_policy, last_tick_at=now, created_at=now,
    )
    _check(schedule)
    _advance(schedule, now)
    if Schedule.objects.filter(template=template, name=schedule.name).exists():
        raise ScheduleAlreadyExists(f"Invalid schedule: name: '{schedule.name}' is already used by this workflow")
    schedule.save()
    return schedule


def schedule_update(*, schedule: Schedule, **changes: Any) -> Schedule:
    """Change what and when a schedule runs (the fields in ``_EDITABLE``)."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise InvalidSchedule(f"Invalid schedule: cannot change {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(schedule, field, value)
    fields = set(changes)
    # Only the kind's own timing field is kept (as on create).
    if schedule.kind == ScheduleKind.CRON:
        schedule.cron_expression = (schedule.cron_expression or "").strip()
        if schedule.rate_seconds is not None:
            schedule.rate_seconds = None
            fields.add("rate_seconds")
    elif schedule.cron_expression:
        schedule.cron_expression = ""
        fields.add("cron_expression")
    _check(schedule)
    schedule.save(update_fields=[*sorted(fields), *_advance(schedule, schedule.last_tick_at)])
    return schedule


def schedule_set_enabled(*, schedule: Schedule, enabled: bool, now: datetime | None = None) -> Schedule:
    """Pause or resume. Resuming looks forward: ticks that fell while paused never run."""
    with transaction.atomic():
        row = Schedule.objects.select_for_update().get(pk=schedule.pk)
        if row.enabled != enabled:
            row.enabled = enabled
            fields = ["enabled"]
            if enabled:
                fields += _advance(row, max(row.last_tick_at, now or timezone.now()))
            row.save(update_fields=fields)
    return row


@dataclass(frozen=True)
class TickRun:
    schedule_id: int
    tick: datetime
    execution: Execution | None  # None: another caller had already started it
    catch_up: bool  # the run stands for ticks missed while nothing was ticking


def schedules_tick(*, now: datetime | None = None) -> list[TickRun]:
    """Start the due runs of every enabled schedule; what was started.

    Per schedule, the due ticks are those after its cursor. One tick, on time (at most
    SCHEDULES_GRACE_SECONDS old), runs. Otherwise ticks were missed (nothing ticked for a
    while): ``skip`` starts nothing, ``run_once`` starts exactly one catch-up run, for the
    latest of them. Either way a schedule starts at most one run per call.
    """
    now = now or timezone.now()
    grace = timedelta(seconds=float(schedules_setting("SCHEDULES_GRACE_SECONDS")))
    runs: list[TickRun] = []
    due = Schedule.objects.filter(enabled=True, next_tick_at__lte=now).order_by().values_list("pk", flat=True)
    for schedule_id in due:
        run = _schedule_tick(schedule_id, now=now, grace=grace)
        if run is not None:
            runs.append(run)
    return runs


def _schedule_tick(schedule_id: int, *, now: datetime, grace: timedelta) -> TickRun | None:
    with transaction.atomic():
        # Row lock on PostgreSQL: concurrent tickers queue here and then see the advanced cursor.
        schedule = (Schedule.objects.select_for_update().select_related("template")
                    .filter(pk=schedule_id, enabled=True, next_tick_at__lte=now).order_by().first())
        if schedule is None:
            return None  # another ticker dealt with it meanwhile
        timing = schedule_timing(schedule)
        tick = latest_tick(timing, after=schedule.last_tick_at, upto=now)
        run = None
        missed = False
        if tick is not None:
            # Missed: the tick is late, or earlier ones fell due too (the service was down).
            missed = now - tick > grace or latest_tick(timing, after=schedule.last_tick_at,
                                                        upto=tick - timedelta(microseconds=1)) is not None
            if not missed or schedule.missed_run_policy == MissedRunPolicy.RUN_ONCE:
                run = TickRun(schedule.pk, tick, _start(schedule, tick), catch_up=missed)
        schedule.save(update_fields=_advance(schedule, tick or now))
    if missed:
        log.info("schedule %s: tick %s missed (%s)", schedule.pk, tick.isoformat(), schedule.missed_run_policy)
    return run


def _start(schedule: Schedule, tick: datetime) -> Execution | None:
    name = tick_execution_name(schedule.pk, tick)
    try:
        with audit_context(client=AuditClient.SCHEDULE):
            start = execution_start(template=schedule.template, name=name, input=schedule.input,
                                    version_number=schedule.version_number)
    except ExecutionAlreadyExists:
        return None  # started (and already finished) by another ticker
    return start.execution if start.created else None
