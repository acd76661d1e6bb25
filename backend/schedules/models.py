"""A schedule starts executions of a workflow on a cron expression or a fixed rate.

``last_tick_at`` is the cursor: every tick at or before it has been dealt with (started,
or skipped by the missed-run policy); ``next_tick_at`` is the first tick after it. Ticks are instants in UTC; a cron expression is
read in the schedule's ``timezone`` (so "0 9 * * *" stays at 9 o'clock across DST).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone as django_timezone

from backend.workflows.models import WorkflowTemplate


class ScheduleKind(models.TextChoices):
    CRON = "cron", "Cron expression"
    RATE = "rate", "Fixed rate"


class MissedRunPolicy(models.TextChoices):
    SKIP = "skip", "Skip missed runs"
    RUN_ONCE = "run_once", "Run once for all missed runs"


class Schedule(models.Model):
    template = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="schedules")
    name = models.CharField(max_length=80)
    # None: each run starts the template's latest version at that moment.
    version_number = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=4, choices=ScheduleKind.choices)
    cron_expression = models.CharField(max_length=120, blank=True, default="")
    rate_seconds = models.PositiveIntegerField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    input = models.TextField(default="{}")
    enabled = models.BooleanField(default=True)
    start_at = models.DateTimeField(null=True, blank=True)
    end_at = models.DateTimeField(null=True, blank=True)
    missed_run_policy = models.CharField(max_length=8, choices=MissedRunPolicy.choices,
                                         default=MissedRunPolicy.SKIP)
    last_tick_at = models.DateTimeField(default=django_timezone.now)
    # The first tick after the cursor (None: no more ticks, the end time has passed):
    # tickers find due schedules by this index instead of evaluating every schedule.
    next_tick_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["template_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="schedule_name_unique_per_template"),
        ]
        indexes = [models.Index(fields=["enabled", "next_tick_at"], name="schedule_enabled_next_tick")]

    def __str__(self) -> str:
        return f"{self.template.name}/{self.name}"

    @property
    def execution_prefix(self) -> str:
        """Every run's execution name starts with this (then the tick, see ``tick_execution_name``)."""
        return f"sched-{self.pk}-"
