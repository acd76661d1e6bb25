"""Admin pages for executions (history inline, read-only), task tokens and timers.

Executions are written by the runtime only: the admin shows them and never edits them.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from backend.engine.clock import iso8601
from backend.executions.models import Execution, HistoryEvent, TaskToken, Timer


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class HistoryEventInline(admin.TabularInline):
    model = HistoryEvent
    fields = ("scope", "event_id", "previous_event_id", "type", "time", "details")
    readonly_fields = fields
    ordering = ("scope", "event_id")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="timestamp")
    def time(self, obj: HistoryEvent) -> str:
        return iso8601(obj.timestamp)


@admin.register(Execution)
class ExecutionAdmin(ReadOnlyAdmin):
    list_display = ("name", "template", "version_number", "type", "status", "started_at", "stopped_at", "redrive_count")
    list_filter = ("status", "type", "template__owner")
    search_fields = ("name", "template__name")
    list_select_related = ("template", "version")
    date_hierarchy = "started_at"
    inlines = [HistoryEventInline]

    @admin.display(description="version", ordering="version__number")
    def version_number(self, obj: Execution) -> int:
        return obj.version.number


@admin.register(HistoryEvent)
class HistoryEventAdmin(ReadOnlyAdmin):
    list_display = ("execution", "scope", "event_id", "previous_event_id", "type", "time")
    list_filter = ("type", "execution__status")
    search_fields = ("execution__name", "type")
    list_select_related = ("execution__template",)

    @admin.display(description="timestamp", ordering="timestamp")
    def time(self, obj: HistoryEvent) -> str:
        return iso8601(obj.timestamp)


@admin.register(TaskToken)
class TaskTokenAdmin(ReadOnlyAdmin):
    list_display = ("execution", "state_name", "status", "heartbeat_deadline", "created_at", "resolved_at")
    list_filter = ("status",)
    search_fields = ("execution__name", "state_name", "token")
    list_select_related = ("execution__template",)


@admin.register(Timer)
class TimerAdmin(ReadOnlyAdmin):
    list_display = ("execution", "kind", "due_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("execution__name",)
    list_select_related = ("execution__template",)
