"""Executions and their durable state: history events, task tokens, timers.

A ``HistoryEvent`` row is one ``backend.engine.journal.Event``, field for field:
``event_id`` = ``id``, ``previous_event_id``, ``timestamp`` (epoch seconds as a float,
exactly what the engine recorded, so a replay sees the same times), ``type`` and
``details`` (JSON text; PostgreSQL's jsonb would reorder the keys of state outputs).
Execution input and output are JSON text too, kept as given.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from django.db import models

from backend.workflows.models import WorkflowTemplate, WorkflowType, WorkflowVersion


class ExecutionStatus(models.TextChoices):
    RUNNING = "RUNNING", "Running"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"
    TIMED_OUT = "TIMED_OUT", "Timed out"
    ABORTED = "ABORTED", "Aborted"
    PENDING_REDRIVE = "PENDING_REDRIVE", "Pending redrive"


# Statuses a redrive can restart from (Step Functions' rule).
REDRIVABLE_STATUSES = (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED)
OPEN_STATUSES = (ExecutionStatus.RUNNING, ExecutionStatus.PENDING_REDRIVE)


class Execution(models.Model):
    """One run of a pinned workflow version.

    Standard executions are unique by name per template (starting the same name again
    is idempotent, see ``execution_create``); Express ones are not, as in Step Functions.
    ``lease_owner`` / ``lease_expires_at`` let one worker at a time drive an execution;
    a crashed worker's lease runs out and another resumes it from its history.
    """

    template = models.ForeignKey(WorkflowTemplate, on_delete=models.PROTECT, related_name="executions")
    version = models.ForeignKey(WorkflowVersion, on_delete=models.PROTECT, related_name="executions")
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    name = models.CharField(max_length=80)
    type = models.CharField(max_length=8, choices=WorkflowType.choices)
    status = models.CharField(max_length=16, choices=ExecutionStatus.choices, default=ExecutionStatus.RUNNING)
    input = models.TextField(default="{}")
    output = models.TextField(null=True, blank=True)
    error = models.CharField(max_length=256, null=True, blank=True)
    cause = models.TextField(null=True, blank=True)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    redrive_count = models.PositiveIntegerField(default=0)
    redriven_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=128, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When a runner should (re)run it: set at start and by every wake-up (a due timer, a
    # SendTask* call, a child execution's end); NULL while it is parked waiting for one.
    wake_at = models.DateTimeField(null=True, blank=True)
    # Redrives: how the engine's event ids map to stored ones (see runner/journal.py).
    redrive_segments = models.JSONField(default=list, blank=True)
    # The same for the histories of redriven Distributed Map iterations: scope -> segments.
    child_redrive_segments = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "name"],
                condition=models.Q(type=WorkflowType.STANDARD),
                name="standard_execution_name_unique_per_template",
            ),
        ]
        indexes = [
            models.Index(fields=["template", "-started_at"], name="execution_template_started"),
            # Workers look for open executions whose lease ran out.
            models.Index(fields=["status", "lease_expires_at"], name="execution_status_lease"),
            models.Index(fields=["status", "wake_at"], name="execution_status_wake"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name}/{self.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class HistoryEvent(models.Model):
    """One event; ``scope`` is "" for the execution's own history, else the key of a child
    execution run inside it (a Distributed Map iteration), which numbers its events apart."""

    # No index of its own: the unique (execution, scope, event_id) index serves every lookup,
    # and one B-tree fewer to update per event is what the history's insert rate is about.
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="events", db_index=False)
    scope = models.CharField(max_length=255, blank=True, default="")
    event_id = models.PositiveIntegerField()
    previous_event_id = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=64)
    timestamp = models.FloatField()
    details = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ["execution_id", "scope", "event_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["execution", "scope", "event_id"], name="history_event_id_unique_per_execution_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.event_id} {self.type}"

    @property
    def occurred_at(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, tz=timezone.utc)

    @property
    def details_value(self) -> dict[str, Any] | None:
        return None if self.details is None else json.loads(self.details)


class TaskTokenStatus(models.TextChoices):
    WAITING = "WAITING", "Waiting"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"
    TIMED_OUT = "TIMED_OUT", "Timed out"


class TaskToken(models.Model):
    """The token a ``.waitForTaskToken`` Task hands out, until SendTask* resolves it.

    ``after_event_id`` is the last event of the waiting thread of control: the
    ``previousEventId`` of the completion event the resolution will journal.
    """

    token = models.CharField(max_length=1024, unique=True)
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="task_tokens")
    state_name = models.CharField(max_length=80, blank=True, default="")
    state_entered_event_id = models.PositiveIntegerField()
    after_event_id = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=TaskTokenStatus.choices, default=TaskTokenStatus.WAITING)
    heartbeat_seconds = models.PositiveIntegerField(null=True, blank=True)
    heartbeat_deadline = models.DateTimeField(null=True, blank=True)
    timeout_at = models.DateTimeField(null=True, blank=True)  # the Task's TimeoutSeconds, from submission
    output = models.TextField(null=True, blank=True)
    error = models.CharField(max_length=256, null=True, blank=True)
    cause = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_deadline"], name="task_token_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.execution} {self.state_name} ({self.status})"


class TimerKind(models.TextChoices):
    WAIT = "WAIT", "Wait state"
    RETRY = "RETRY", "Retry back-off"
    TASK_TIMEOUT = "TASK_TIMEOUT", "Task timeout"
    HEARTBEAT = "HEARTBEAT", "Heartbeat timeout"
    EXECUTION_TIMEOUT = "EXECUTION_TIMEOUT", "Execution timeout"
    TASK_POLL = "TASK_POLL", "Task result poll"


class Timer(models.Model):
    """A wake-up call for a suspended execution: nothing holds a thread while it waits."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="timers")
    due_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=TimerKind.choices)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.execution} at {self.due_at:%Y-%m-%d %H:%M:%S}"
