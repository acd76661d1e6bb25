"""Audit events, append-only: the ORM refuses to change or delete one.

``actor_name`` keeps who it was after the user is deleted; ``object_id`` is text so
any kind of object (templates, executions, schedules, connections) fits. ``owner_id``
(the account the object belongs to) and ``workflow_id`` (the workflow it is or belongs
to) are plain numbers, not foreign keys, so they outlive the rows they name: the REST
search shows a user the events of their own objects, and filters by workflow.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    PUBLISHED = "published", "Published"
    STARTED = "started", "Started"
    STOPPED = "stopped", "Stopped"
    REDRIVEN = "redriven", "Redriven"


class AuditClient(models.TextChoices):
    BROWSER = "browser", "Browser"
    REST = "rest", "REST API"
    ASW = "asw", "ASW API"
    SFN = "sfn", "Step Functions API"
    SCHEDULE = "schedule", "Schedule"
    SYSTEM = "system", "System"  # commands, the runtime itself


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit event."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("audit events are append-only: they cannot be changed or deleted")


class AuditEventQuerySet(models.QuerySet):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    update_or_create = _refuse


class AuditEvent(models.Model):
    timestamp = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                              null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True, default="")
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    object_name = models.CharField(max_length=200, blank=True, default="")
    version = models.PositiveIntegerField(null=True, blank=True)
    client = models.CharField(max_length=16, choices=AuditClient.choices)
    owner_id = models.BigIntegerField(null=True, blank=True)
    workflow_id = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-timestamp"], name="audit_object_time"),
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_time"),
            models.Index(fields=["owner_id", "-timestamp"], name="audit_owner_time"),
            models.Index(fields=["workflow_id", "-timestamp"], name="audit_workflow_time"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()
