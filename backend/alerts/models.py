"""Alert rules (what to watch on a workflow, whom to tell) and alerts (one per notification).

An ``Alert`` is unique per rule and ``key`` (e.g. ``failed:<execution id>``): however many
evaluators run at once, one event makes one alert, and one alert is delivered once.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from backend.executions.models import Execution
from backend.workflows.models import WorkflowTemplate


class AlertKind(models.TextChoices):
    ANY_FAILURE = "any_failure", "Any failed or timed-out execution"
    FAILURE_COUNT = "failure_count", "N failures within M minutes"
    LONG_RUNNING = "long_running", "An execution running longer than T seconds"
    TIMED_OUT = "timed_out", "A timed-out execution"


class AlertRule(models.Model):
    template = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="alert_rules")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    threshold_count = models.PositiveIntegerField(null=True, blank=True)  # failure_count: N
    window_minutes = models.PositiveIntegerField(null=True, blank=True)  # failure_count: M
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)  # long_running: T
    webhook_url = models.URLField(blank=True, default="")
    # Sealed with backend.accounts.secret_box (Fernet); never shown or returned.
    webhook_secret_sealed = models.TextField(blank=True, default="", editable=False)
    email_to = models.CharField(max_length=500, blank=True, default="", help_text="comma-separated addresses")
    enabled = models.BooleanField(default=True)
    # Executions that ended before this were already looked at.
    checked_until = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["template_id", "name"]
        constraints = [models.UniqueConstraint(fields=["template", "name"], name="alert_rule_name_unique")]

    def __str__(self) -> str:
        return f"{self.template.name}/{self.name}"

    @property
    def email_recipients(self) -> list[str]:
        return [address.strip() for address in self.email_to.split(",") if address.strip()]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"
    NONE = "none", "No webhook"


class Alert(models.Model):
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    execution = models.ForeignKey(Execution, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField()
    payload = models.JSONField()
    webhook_status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="alert_key_unique_per_rule")]
        indexes = [models.Index(fields=["webhook_status", "next_attempt_at"], name="alert_delivery_due")]

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"
