"""Admin for schedules: edit them, see their next run times."""

from __future__ import annotations

from django.contrib import admin

from backend.schedules.models import Schedule
from backend.schedules.selectors import schedule_next_run_times


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "template", "kind", "cron_expression", "rate_seconds", "timezone", "enabled",
                    "missed_run_policy", "last_tick_at", "next_runs")
    list_filter = ("enabled", "kind", "missed_run_policy")
    search_fields = ("name", "template__name")
    readonly_fields = ("last_tick_at", "created_at", "next_runs")

    @admin.display(description="next runs (UTC)")
    def next_runs(self, obj: Schedule) -> str:
        if obj.pk is None:
            return ""
        return ", ".join(f"{tick:%Y-%m-%d %H:%M}" for tick in schedule_next_run_times(schedule=obj, count=3))
