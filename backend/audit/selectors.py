"""Searching the audit log."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from backend.audit.models import AuditEvent


def audit_search(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    client: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching every filter given, newest first; ``text`` looks in names and actor."""
    events = AuditEvent.objects.all()
    exact = {"actor_id": actor_id, "action": action, "object_type": object_type, "client": client,
             "object_id": None if object_id is None else str(object_id)}
    events = events.filter(**{field: value for field, value in exact.items() if value is not None})
    if since is not None:
        events = events.filter(timestamp__gte=since)
    if until is not None:
        events = events.filter(timestamp__lt=until)
    if text:
        events = events.filter(Q(object_name__icontains=text) | Q(actor_name__icontains=text))
    return events
