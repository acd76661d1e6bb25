"""Writes of the metrics app: a workflow's own log delivery level."""

from __future__ import annotations

from backend.metrics import delivery
from backend.metrics.models import WorkflowLogging
from backend.workflows.models import WorkflowTemplate


def workflow_logging_set(*, template: WorkflowTemplate, level: str, include_data: bool = True) -> WorkflowLogging:
    row, _ = WorkflowLogging.objects.update_or_create(template=template,
                                                      defaults={"level": level, "include_data": include_data})
    delivery.forget_workflow_logging(template.pk)
    return row


def workflow_logging_clear(*, template: WorkflowTemplate) -> None:
    WorkflowLogging.objects.filter(template=template).delete()
    delivery.forget_workflow_logging(template.pk)
