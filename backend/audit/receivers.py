"""Audit events from other apps' model signals: their code needs no change.

What each save means: a template/role/function/schedule/connection row created, changed or deleted;
a workflow version created = published; a Standard execution created = started, saved
with its ``status`` set to ABORTED = stopped, saved with a new ``redrive_count`` = redriven.
(Express executions have no row until they end, so they are not audited.)
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from backend.audit.models import AuditAction
from backend.audit.services import audit_record

_UID = "backend.audit."
# Saves that only move a schedule's cursor are bookkeeping, not a change anyone made.
_BOOKKEEPING_FIELDS = frozenset({"last_tick_at", "next_tick_at"})


def _lifecycle(object_type: str):  # type: ignore[no-untyped-def]
    def saved(sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
        if kwargs.get("raw") or (update_fields and set(update_fields) <= _BOOKKEEPING_FIELDS):
            return  # fixtures being loaded, or bookkeeping
        details = {"fields": sorted(update_fields)} if update_fields else {}
        audit_record(action=AuditAction.CREATED if created else AuditAction.CHANGED, object_type=object_type,
                     object_id=instance.pk, object_name=str(getattr(instance, "name", "")), details=details)

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        audit_record(action=AuditAction.DELETED, object_type=object_type, object_id=instance.pk,
                     object_name=str(getattr(instance, "name", "")))

    return saved, deleted


def _version_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        audit_record(action=AuditAction.PUBLISHED, object_type="workflow", object_id=instance.template_id,
                     object_name=instance.template.name, version=instance.number)


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
                 details={"workflow_id": instance.template_id})


def connect() -> None:
    from backend.connections.models import Connection
    from backend.executions.models import Execution
    from backend.schedules.models import Schedule
    from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowVersion

    for model, object_type in ((WorkflowTemplate, "workflow"), (RunRole, "role"), (Function, "function"),
                               (Schedule, "schedule"), (Connection, "connection")):
        saved, deleted = _lifecycle(object_type)
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{_UID}{object_type}.saved")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{_UID}{object_type}.deleted")
    post_save.connect(_version_saved, sender=WorkflowVersion, dispatch_uid=f"{_UID}version.saved")
    post_save.connect(_execution_saved, sender=Execution, dispatch_uid=f"{_UID}execution.saved")
