"""Per-workflow log delivery settings (Step Functions' LoggingConfiguration of a state machine)."""

from __future__ import annotations

from django.db import models

from backend.workflows.models import WorkflowTemplate


class LogLevel(models.TextChoices):
    ALL = "ALL", "All events"
    ERROR = "ERROR", "Errors"
    FATAL = "FATAL", "The execution's failure only"
    OFF = "OFF", "Off"


class WorkflowLogging(models.Model):
    """Overrides EXECUTION_LOG_LEVEL / EXECUTION_LOG_INCLUDE_DATA for one workflow's executions.

    Where the events go stays the server's EXECUTION_LOG_DELIVERY: without it nothing is delivered.
    """

    template = models.OneToOneField(WorkflowTemplate, on_delete=models.CASCADE, related_name="logging_config")
    level = models.CharField(max_length=8, choices=LogLevel.choices, default=LogLevel.ALL)
    include_data = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "workflow logging"
        verbose_name_plural = "workflow logging"

    def __str__(self) -> str:
        return f"{self.template} ({self.level})"
