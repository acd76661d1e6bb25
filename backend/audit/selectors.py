"""Searching the audit log."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from backend.audit.models import AuditEvent


def audit_search(
    *,
    actor_id: int | None = None,
    actor_name: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    client: str | None = None,
    workflow_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
    within: QuerySet[AuditEvent] | None = None,
) -> QuerySet[AuditEvent]:
    """Events of ``within`` (default: all) matching every filter given, newest first.

    ``text`` looks in object names and actor names.
    """
    events = AuditEvent.objects.all() if within is None else within
    exact = {"actor_id": actor_id, "actor_name": actor_name, "action": action, "object_type": object_type,
             "client": client, "workflow_id": workflow_id, "object_id": None if object_id is None else str(object_id)}
    events = events.filter(**{field: value for field, value in exact.items() if value is not None})
    if since is not None:
        events = events.filter(timestamp__gte=since)
    if until is not None:
        events = events.filter(timestamp__lt=until)
    if text:
        events = events.filter(Q(object_name__icontains=text) | Q(actor_name__icontains=text))
    return events


def audit_visible(*, user_id: int, everything: bool = False) -> QuerySet[AuditEvent]:
    """The events a user may read: those about their own objects (all of them for staff).

    Events recorded before objects carried their owner (``owner_id`` empty) are the
    actor's own.
    """
    events = AuditEvent.objects.all()
    if everything:
        return events
    return events.filter(Q(owner_id=user_id) | Q(owner_id__isnull=True, actor_id=user_id))
