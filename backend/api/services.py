"""Write-side use cases the API needs that the runtime apps do not offer (yet)."""

from __future__ import annotations

from django.db import transaction

from backend.api.errors import ApiError
from backend.executions.models import OPEN_STATUSES
from backend.workflows.models import Function, RunRole, WorkflowTemplate


@transaction.atomic
def template_delete(*, template: WorkflowTemplate) -> None:
    """Delete a workflow with its versions and closed executions.

    Step Functions lets running executions finish first (status DELETING); we have no
    such state, so a workflow with open executions is refused until they end or are stopped.
    """
    if template.executions.filter(status__in=OPEN_STATUSES).exists():
        raise ApiError(
            "ResourceInUse",
            f"State machine '{template.name}' has running executions; stop them before deleting it.",
            status=409,
        )
    template.executions.all().delete()
    template.delete()


@transaction.atomic
def role_delete(*, role: RunRole) -> None:
    if role.workflows.exists():
        raise ApiError("ResourceInUse", f"Run role '{role.name}' is used by workflows.", status=409)
    role.delete()


def function_delete(*, function: Function) -> None:
    function.delete()
