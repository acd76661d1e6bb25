"""Schedules under a fake clock: every ``now`` is an argument, nothing sleeps."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import call_command

from backend.executions.models import Execution, ExecutionStatus
from backend.schedules.errors import InvalidSchedule
from backend.schedules.models import MissedRunPolicy, Schedule
from backend.schedules.selectors import schedule_next_run_times, schedule_runs, schedule_timing
from backend.schedules.services import schedule_create, schedule_set_enabled, schedule_update, schedules_tick
from backend.schedules.timing import next_ticks, tick_execution_name
from backend.workflows.services import template_update

UTC = timezone.utc
T0 = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)  # a Monday, midnight UTC


def every_minute(template, **kwargs):  # type: ignore[no-untyped-def]
    return schedule_create(template=template, name=kwargs.pop("name", "each-minute"), kind="cron",
                           cron_expression="* * * * *", now=kwargs.pop("now", T0), **kwargs)


def test_a_simulated_day_of_minute_ticks_starts_exactly_one_execution_per_tick(template) -> None:
    schedule = every_minute(template, input='{"job": "etl"}')
    started = 0
    for minute in range(1, 24 * 60 + 1):
        tick = T0 + timedelta(minutes=minute)
        # Two tickers (two workers, or a worker and a restarted one) look at every tick.
        started += len(schedules_tick(now=tick + timedelta(seconds=2)))
        started += len(schedules_tick(now=tick + timedelta(seconds=7)))
    runs = schedule_runs(schedule=schedule)
    assert started == 1440
    assert runs.count() == 1440
    names = set(runs.values_list("name", flat=True))
    assert len(names) == 1440
    assert tick_execution_name(schedule.pk, T0 + timedelta(minutes=1)) in names
    assert tick_execution_name(schedule.pk, T0 + timedelta(days=1)) in names
    assert set(runs.values_list("input", flat=True)) == {'{"job": "etl"}'}


def test_the_execution_name_records_the_tick(template) -> None:
    schedule = every_minute(template)
    [run] = schedules_tick(now=T0 + timedelta(minutes=1, seconds=3))
    assert run.execution is not None
    assert run.execution.name == f"sched-{schedule.pk}-20260105T000100Z"
    assert run.tick == T0 + timedelta(minutes=1)
    assert run.execution.status == ExecutionStatus.RUNNING


def test_a_tick_already_started_and_finished_elsewhere_is_not_started_again(template) -> None:
    schedule = every_minute(template)
    [run] = schedules_tick(now=T0 + timedelta(minutes=1, seconds=1))
    Execution.objects.filter(pk=run.execution.pk).update(status=ExecutionStatus.SUCCEEDED)
    # A ticker that read the old cursor (a slow worker) tries the same tick again.
    Schedule.objects.filter(pk=schedule.pk).update(last_tick_at=T0, next_tick_at=run.tick)
    assert schedules_tick(now=T0 + timedelta(minutes=1, seconds=2))[0].execution is None
    assert schedule_runs(schedule=schedule).count() == 1


@pytest.mark.parametrize("policy, expected_runs", [(MissedRunPolicy.SKIP, 0), (MissedRunPolicy.RUN_ONCE, 1)])
def test_missed_runs_after_downtime(template, policy: str, expected_runs: int) -> None:
    schedule = every_minute(template, missed_run_policy=policy)
    for minute in range(1, 11):
        schedules_tick(now=T0 + timedelta(minutes=minute, seconds=1))
    assert schedule_runs(schedule=schedule).count() == 10
    # Down for three hours; back 90 s after a tick (older than the 60 s grace).
    back = T0 + timedelta(hours=3, minutes=10, seconds=90)
    runs = schedules_tick(now=back)
    assert len(runs) == expected_runs
    if expected_runs:
        assert runs[0].catch_up and runs[0].tick == T0 + timedelta(hours=3, minutes=11)
    assert schedules_tick(now=back + timedelta(seconds=5)) == []  # restarts again: nothing more
    assert schedule_runs(schedule=schedule).count() == 10 + expected_runs
    # Then on time again, one run per tick.
    assert len(schedules_tick(now=T0 + timedelta(hours=3, minutes=12, seconds=1))) == 1


def test_after_downtime_run_once_starts_one_run_even_when_the_latest_tick_is_fresh(template) -> None:
    skip = every_minute(template, name="skip")
    once = every_minute(template, name="once", missed_run_policy=MissedRunPolicy.RUN_ONCE)
    runs = schedules_tick(now=T0 + timedelta(hours=2, seconds=10))
    assert [(run.schedule_id, run.tick, run.catch_up) for run in runs] == [(once.pk, T0 + timedelta(hours=2), True)]
    assert schedule_runs(schedule=skip).count() == 0


@pytest.mark.parametrize("policy, expected_runs", [(MissedRunPolicy.SKIP, 0), (MissedRunPolicy.RUN_ONCE, 1)])
def test_a_single_tick_older_than_the_grace_period_was_missed(template, policy: str, expected_runs: int) -> None:
    schedule = schedule_create(template=template, name="hourly", kind="cron", cron_expression="0 * * * *",
                               missed_run_policy=policy, now=T0)
    assert len(schedules_tick(now=T0 + timedelta(hours=1, minutes=2))) == expected_runs
    assert schedule_next_run_times(schedule=Schedule.objects.get(pk=schedule.pk), now=T0, count=1) == [
        T0 + timedelta(hours=2)]


def test_cron_in_a_time_zone_follows_daylight_saving_time(template) -> None:
    berlin = schedule_create(template=template, name="nine-berlin", kind="cron", cron_expression="0 9 * * *",
                             timezone_name="Europe/Berlin", now=datetime(2026, 3, 27, tzinfo=UTC))
    ticks = next_ticks(schedule_timing(berlin), after=datetime(2026, 3, 27, tzinfo=UTC), count=3)
    # Summer time starts on Sunday 29 March 2026: 9:00 in Berlin is 08:00 UTC, then 07:00 UTC.
    assert ticks == [datetime(2026, 3, 27, 8, tzinfo=UTC), datetime(2026, 3, 28, 8, tzinfo=UTC),
                     datetime(2026, 3, 29, 7, tzinfo=UTC)]
    started = [schedules_tick(now=tick + timedelta(seconds=1)) for tick in ticks]
    assert [run.execution.name for [run] in started] == [
        f"sched-{berlin.pk}-20260327T080000Z", f"sched-{berlin.pk}-20260328T080000Z",
        f"sched-{berlin.pk}-20260329T070000Z"]


def test_cron_at_a_local_time_skipped_or_repeated_by_dst_fires_once_that_day(template) -> None:
    schedule = schedule_create(template=template, name="ny", kind="cron", cron_expression="30 1 * * *",
                               timezone_name="America/New_York", now=datetime(2026, 10, 31, tzinfo=UTC))
    # 1:30 happens twice on 1 November 2026 (EDT then EST): one run that day.
    ticks = next_ticks(schedule_timing(schedule), after=datetime(2026, 10, 31, 12, tzinfo=UTC), count=2)
    assert ticks[0].date() == datetime(2026, 11, 1).date()
    assert ticks[1] - ticks[0] > timedelta(hours=23)
    # 2:30 does not exist on 8 March 2026: it runs at 3:00 EDT (07:00 UTC).
    schedule_update(schedule=schedule, cron_expression="30 2 * * *")
    spring = next_ticks(schedule_timing(schedule), after=datetime(2026, 3, 8, 5, tzinfo=UTC), count=1)
    assert spring == [datetime(2026, 3, 8, 7, tzinfo=UTC)]


def test_rate_schedule_runs_from_its_start_time_until_its_end_time(template) -> None:
    start = T0 + timedelta(hours=1)
    schedule = schedule_create(template=template, name="twice-a-day", kind="rate", rate_seconds=12 * 3600,
                               start_at=start, end_at=start + timedelta(days=1), now=T0)
    assert schedule_next_run_times(schedule=schedule, now=T0, count=5) == [
        start, start + timedelta(hours=12), start + timedelta(hours=24)]
    started = []
    for minute in range(0, 3 * 24 * 60, 10):  # three days, a tick call every 10 minutes
        started += schedules_tick(now=T0 + timedelta(minutes=minute, seconds=30))
    assert [run.tick for run in started] == [start, start + timedelta(hours=12), start + timedelta(hours=24)]
    assert schedule_next_run_times(schedule=schedule, now=T0 + timedelta(days=3)) == []


def test_a_paused_schedule_starts_nothing_and_resuming_looks_forward(template) -> None:
    schedule = every_minute(template, missed_run_policy=MissedRunPolicy.RUN_ONCE)
    schedule = schedule_set_enabled(schedule=schedule, enabled=False, now=T0)
    assert schedules_tick(now=T0 + timedelta(minutes=30, seconds=1)) == []
    assert schedule_next_run_times(schedule=schedule, now=T0) == []
    schedule = schedule_set_enabled(schedule=schedule, enabled=True, now=T0 + timedelta(minutes=30, seconds=1))
    assert schedules_tick(now=T0 + timedelta(minutes=30, seconds=2)) == []  # no catch-up for the pause
    assert len(schedules_tick(now=T0 + timedelta(minutes=31, seconds=1))) == 1


def test_a_schedule_pinned_to_a_version_keeps_it_and_others_follow_the_latest(template) -> None:
    pinned = every_minute(template, name="pinned", version_number=1)
    latest = every_minute(template, name="latest")
    template_update(template=template, definition='{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}')
    runs = {run.schedule_id: run.execution for run in schedules_tick(now=T0 + timedelta(minutes=1, seconds=1))}
    assert runs[pinned.pk].version.number == 1
    assert runs[latest.pk].version.number == 2


@pytest.mark.parametrize("fields, field", [
    ({"kind": "cron", "cron_expression": "61 * * * *"}, "cron_expression"),
    ({"kind": "cron", "cron_expression": "* * * *"}, "cron_expression"),
    ({"kind": "rate", "rate_seconds": 10}, "rate_seconds"),
    ({"kind": "cron", "cron_expression": "* * * * *", "timezone_name": "Mars/Olympus"}, "timezone"),
    ({"kind": "cron", "cron_expression": "* * * * *", "input": "{nope"}, "input"),
    ({"kind": "cron", "cron_expression": "* * * * *", "start_at": T0, "end_at": T0}, "end_at"),
    ({"kind": "hourly"}, "kind"),
])
def test_invalid_schedules_are_refused_naming_the_field(template, fields: dict, field: str) -> None:
    with pytest.raises(InvalidSchedule, match=f"Invalid schedule: {field}: "):
        schedule_create(template=template, name="bad", **fields)
    assert not Schedule.objects.exists()


def test_runscheduler_once_starts_due_runs(template) -> None:
    schedule_create(template=template, name="soon", kind="rate", rate_seconds=60,
                    now=datetime.now(UTC) - timedelta(seconds=61))
    call_command("runscheduler", "--once")
    assert Execution.objects.filter(template=template, name__startswith="sched-").count() == 1


def test_migrate_installs_the_beat_task(db: None) -> None:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="schedules-tick")
    assert task.task == "schedules.tick" and task.enabled
    assert task.interval.every == 10


def test_the_celery_tick_task_starts_due_runs(template) -> None:
    from backend.schedules.tasks import tick

    schedule_create(template=template, name="due", kind="rate", rate_seconds=60,
                    now=datetime.now(UTC) - timedelta(seconds=61))
    tick.apply()  # the task body, run here as a worker would
    tick.apply()  # the same tick again: nothing more
    assert Execution.objects.filter(template=template, name__startswith="sched-").count() == 1


@pytest.mark.django_db(transaction=True)  # the loop's thread must see committed rows
def test_the_scheduler_loop_thread_ticks_until_stopped(template) -> None:
    from backend.schedules.loop import SchedulerLoop

    schedule = schedule_create(template=template, name="due", kind="rate", rate_seconds=60,
                               now=datetime.now(UTC) - timedelta(seconds=61))
    loop = SchedulerLoop(poll_seconds=0.05).start()
    try:
        for _ in range(100):  # at most 5 s
            if schedule_runs(schedule=schedule).exists():
                break
            threading.Event().wait(0.05)
    finally:
        loop.stop(timeout=5)
    assert not loop._thread.is_alive()
    assert schedule_runs(schedule=schedule).count() == 1
