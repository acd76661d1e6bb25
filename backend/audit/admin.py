"""The audit log in the admin: searchable, never editable."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from backend.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "actor_name", "action", "object_type", "object_id", "object_name", "version",
                    "client")
    list_filter = ("action", "object_type", "client")
    search_fields = ("actor_name", "object_name", "object_id")
    date_hierarchy = "timestamp"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
