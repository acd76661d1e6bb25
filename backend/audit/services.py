"""``audit_record``: append one audit event (the only way events are written)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from backend.audit.context import audit_context_get
from backend.audit.models import AuditAction, AuditClient, AuditEvent


def audit_record(
    *,
    action: str,
    object_type: str,
    object_id: Any,
    object_name: str = "",
    version: int | None = None,
    actor: Any = None,
    client: str | None = None,
    owner_id: int | None = None,
    workflow_id: int | None = None,
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Record ``action`` on an object; actor and client default to the current audit context.

    ``owner_id``: the account the object belongs to (who may read the event over REST);
    ``workflow_id``: the workflow the object is or belongs to (for searching by workflow).
    Without them, ``details["workflow_id"]`` gives the workflow, and the workflow its owner.
    """
    if action not in AuditAction.values:
        raise ValueError(f"action: must be one of {AuditAction.values}, not {action!r}")
    context = audit_context_get()
    client = client or context.client
    if client not in AuditClient.values:
        raise ValueError(f"client: must be one of {AuditClient.values}, not {client!r}")
    actor = actor if actor is not None else context.current_actor()
    if workflow_id is None and isinstance((details or {}).get("workflow_id"), int):
        workflow_id = details["workflow_id"]  # type: ignore[index]
    if owner_id is None and workflow_id is not None:
        from backend.workflows.models import WorkflowTemplate

        owner_id = WorkflowTemplate.objects.filter(pk=workflow_id).values_list("owner_id", flat=True).first()
    return AuditEvent.objects.create(
        timestamp=now or timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_name=object_name[:200],
        version=version,
        client=client,
        owner_id=owner_id,
        workflow_id=workflow_id,
        details=details or {},
    )
