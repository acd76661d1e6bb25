"""Audit events from other apps' model signals: their code needs no change.

What each save means: a template/role/function/schedule/connection/alert rule row created, changed or deleted;
a workflow version created = published; a Standard execution created = started, saved
with its ``status`` set to ABORTED = stopped, saved with a new ``redrive_count`` = redriven.
(Express executions have no row until they end, so they are not audited.)
Each event also records whose object it was and which workflow it belongs to (``_scope``).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from backend.audit.models import AuditAction
from backend.audit.services import audit_record

_UID = "backend.audit."
# Saves that only move a schedule's cursor are bookkeeping, not a change anyone made.
_BOOKKEEPING_FIELDS = frozenset({"last_tick_at", "next_tick_at"})


def _scope(instance: Any) -> dict[str, int | None]:
    """``owner_id`` (whose object it is) and ``workflow_id`` (which workflow it is or belongs to)."""
    from backend.workflows.models import WorkflowTemplate

    if isinstance(instance, WorkflowTemplate):
        return {"owner_id": instance.owner_id, "workflow_id": instance.pk}
    template_id = getattr(instance, "template_id", None)
    if template_id is not None:
        # Schedules, alert rules, versions, executions: the template's owner. A cascade from
        # the template's own deletion deletes these first, so the template row is still there.
        if type(instance).template.is_cached(instance):
            owner_id = instance.template.owner_id
        else:
            owner_id = WorkflowTemplate.objects.filter(pk=template_id).values_list("owner_id", flat=True).first()
        return {"owner_id": owner_id, "workflow_id": template_id}
    return {"owner_id": getattr(instance, "owner_id", None), "workflow_id": None}


def _lifecycle(object_type: str):  # type: ignore[no-untyped-def]
    def saved(sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
        if kwargs.get("raw") or (update_fields and set(update_fields) <= _BOOKKEEPING_FIELDS):
            return  # fixtures being loaded, or bookkeeping
        details = {"fields": sorted(update_fields)} if update_fields else {}
        audit_record(action=AuditAction.CREATED if created else AuditAction.CHANGED, object_type=object_type,
                     object_id=instance.pk, object_name=str(getattr(instance, "name", "")), details=details,
                     **_scope(instance))

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        audit_record(action=AuditAction.DELETED, object_type=object_type, object_id=instance.pk,
                     object_name=str(getattr(instance, "name", "")), **_scope(instance))

    return saved, deleted


def _version_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        audit_record(action=AuditAction.PUBLISHED, object_type="workflow", object_id=instance.template_id,
                     object_name=instance.template.name, version=instance.number, **_scope(instance))


def _execution_saved(sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    from backend.executions.models import ExecutionStatus
    from backend.workflows.models import WorkflowType

    if kwargs.get("raw") or instance.type != WorkflowType.STANDARD:
        return
    fields = set(update_fields or ())
    if created:
        action = AuditAction.STARTED
    elif "redrive_count" in fields:
        action = AuditAction.REDRIVEN
    elif "status" in fields and instance.status == ExecutionStatus.ABORTED:
        action = AuditAction.STOPPED
    else:
        return
    audit_record(action=action, object_type="execution", object_id=instance.pk,
                 object_name=f"{instance.template.name}:{instance.name}", version=instance.version.number,
                 details={"workflow_id": instance.template_id}, **_scope(instance))


def connect() -> None:
    from backend.alerts.models import AlertRule
    from backend.connections.models import Connection
    from backend.executions.models import Execution
    from backend.schedules.models import Schedule
    from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowVersion

    for model, object_type in ((WorkflowTemplate, "workflow"), (RunRole, "role"), (Function, "function"),
                               (Schedule, "schedule"), (Connection, "connection"), (AlertRule, "alert_rule")):
        saved, deleted = _lifecycle(object_type)
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{_UID}{object_type}.saved")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{_UID}{object_type}.deleted")
    post_save.connect(_version_saved, sender=WorkflowVersion, dispatch_uid=f"{_UID}version.saved")
    post_save.connect(_execution_saved, sender=Execution, dispatch_uid=f"{_UID}execution.saved")
