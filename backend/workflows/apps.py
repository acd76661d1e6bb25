from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    """Workflow templates and their immutable versions, run roles and functions."""

    name = "backend.workflows"
    label = "workflows"
    verbose_name = "Workflows"
