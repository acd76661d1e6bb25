"""What the ASW API carries that our workflow model does not: display name, log flag, default input."""

from __future__ import annotations

from django.db import models

from backend.workflows.models import WorkflowTemplate


class FlowServiceExtras(models.Model):
    template = models.OneToOneField(WorkflowTemplate, on_delete=models.CASCADE, related_name="asw_extras")
    chinese_name = models.CharField(max_length=200, blank=True, default="")
    enable_cls = models.BooleanField(default=False)
    default_input = models.TextField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ASW fields of {self.template}"
