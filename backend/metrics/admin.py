from django.contrib import admin

from backend.metrics.models import WorkflowLogging


@admin.register(WorkflowLogging)
class WorkflowLoggingAdmin(admin.ModelAdmin):
    list_display = ("template", "level", "include_data", "updated_at")
    list_filter = ("level",)
    raw_id_fields = ("template",)
