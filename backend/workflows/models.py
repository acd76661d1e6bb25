"""Workflow templates, their immutable versions, run roles and functions.

Definitions are stored as the text the user gave (``TextField``, not ``JSONField``):
PostgreSQL's jsonb would reorder keys and drop duplicates, and the designer and the
API must get back exactly what was saved.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class WorkflowType(models.TextChoices):
    STANDARD = "STANDARD", "Standard"
    EXPRESS = "EXPRESS", "Express"


class RunRole(models.Model):
    """Which resources a workflow's Tasks may call: glob patterns over resource strings.

    ``*`` matches any run of characters (``:`` and ``/`` included), ``?`` one character,
    e.g. ``qrn:qcs:asw:*:*:sdk:json:qcloud:scf:Invoke/sum*`` or ``arn:aws:lambda:*:*:function:*``.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="run_roles")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, default="")
    allowed_resources = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner_id", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="run_role_name_unique_per_owner")]

    def __str__(self) -> str:
        return self.name


class WorkflowTemplate(models.Model):
    """A stored workflow: its current definition; every definition it had is a version.

    ``type`` is fixed at creation (Step Functions cannot turn a Standard state machine
    into an Express one either); ``save`` refuses to change it.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workflows")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, default="")
    type = models.CharField(max_length=8, choices=WorkflowType.choices, default=WorkflowType.STANDARD)
    role = models.ForeignKey(RunRole, on_delete=models.PROTECT, null=True, blank=True, related_name="workflows")
    definition = models.TextField()
    # The next version gets this number; it only grows, so deleted numbers are never reused.
    next_version_number = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="workflow_name_unique_per_owner"),
            models.CheckConstraint(condition=models.Q(type__in=WorkflowType.values), name="workflow_type_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        instance._stored_type = instance.__dict__.get("type")
        return instance

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        stored = getattr(self, "_stored_type", None)
        if self.pk is not None and stored is not None and self.type != stored:
            raise ValidationError(
                {"type": f"The type of workflow '{self.name}' is {stored} and cannot be changed to {self.type}."}
            )
        super().save(*args, **kwargs)
        self._stored_type = self.type


class WorkflowVersion(models.Model):
    """One numbered, immutable snapshot of a template's definition and run role.

    Executions pin the version they started on, so a later edit never changes what a
    running execution interprets.
    """

    template = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.TextField()
    role = models.ForeignKey(RunRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="workflow_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name}:{self.number}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValidationError(f"Version {self.number} of a workflow is immutable; publish a new version instead.")
        super().save(*args, **kwargs)


class Function(models.Model):
    """A user's Python function, ``handler(event, context)``, run in the sandbox's worker pool.

    ``content_hash`` names this exact code and configuration: the worker pool caches
    loaded modules by it, so any edit loads afresh and an unchanged function stays warm.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="functions")
    name = models.CharField(max_length=64)
    description = models.TextField(blank=True, default="")
    source = models.TextField()
    handler = models.CharField(max_length=100, default="handler")
    timeout_s = models.FloatField(default=3.0)
    memory_mb = models.PositiveIntegerField(default=128)
    environment = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner_id", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="function_name_unique_per_owner")]
        # Writing code runs it on the server; calling a function is a separate, lesser right.
        permissions = [("invoke_function", "Can invoke function")]

    def __str__(self) -> str:
        return self.name

    def compute_content_hash(self) -> str:
        material = json.dumps(
            [self.name, self.source, self.handler, float(self.timeout_s), int(self.memory_mb),
             sorted((self.environment or {}).items())],
            separators=(",", ":"),
        )
        return hashlib.sha256(material.encode()).hexdigest()

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.content_hash = self.compute_content_hash()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "content_hash" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "content_hash"]
        super().save(*args, **kwargs)
