"""Admin pages for templates (with their read-only versions), run roles and functions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from backend.workflows.errors import InvalidDefinition, ServiceError
from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowVersion
from backend.workflows.services import (
    definition_check,
    function_check,
    role_patterns_check,
    template_create,
    template_update,
)


class ReadOnlyInline(admin.TabularInline):
    """Rows that are history, not input: shown, never added, edited or deleted here."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class WorkflowVersionInline(ReadOnlyInline):
    model = WorkflowVersion
    fields = ("number", "role", "description", "created_at")
    readonly_fields = fields
    ordering = ("-number",)


class WorkflowTemplateForm(forms.ModelForm):
    """Checks the definition as the services do, listing every error with its JSON pointer."""

    class Meta:
        model = WorkflowTemplate
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        definition = cleaned.get("definition")
        workflow_type = self.instance.type if self.instance.pk else cleaned.get("type")
        if definition is not None and workflow_type:
            try:
                definition_check(definition=definition, workflow_type=workflow_type)
            except InvalidDefinition as error:
                raise ValidationError(
                    {
                        "definition": [
                            f"{d.location}: {d.code}: {d.message}" for d in error.diagnostics if d.severity == "ERROR"
                        ]
                    }
                ) from None
        return cleaned


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(admin.ModelAdmin):
    form = WorkflowTemplateForm
    list_display = ("name", "type", "owner", "role", "version_count", "updated_at")
    list_filter = ("type", "owner")
    search_fields = ("name", "description")
    readonly_fields = ("next_version_number", "created_at", "updated_at")
    inlines = [WorkflowVersionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowTemplate]:
        return super().get_queryset(request).select_related("owner", "role").annotate(version_total=Count("versions"))

    @admin.display(description="versions", ordering="version_total")
    def version_count(self, obj: WorkflowTemplate) -> int:
        return obj.version_total

    def get_readonly_fields(self, request: HttpRequest, obj: WorkflowTemplate | None = None) -> tuple[str, ...]:
        # Name and type are chosen once, at creation.
        return (*self.readonly_fields, "name", "type") if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: WorkflowTemplate, form: forms.ModelForm, change: bool) -> None:
        """Through the services, so every definition or role change becomes a version."""
        if change:
            stored = WorkflowTemplate.objects.get(pk=obj.pk)
            saved = template_update(
                template=stored, definition=obj.definition, role=obj.role, description=obj.description
            )
        else:
            saved = template_create(
                owner=obj.owner,
                name=obj.name,
                definition=obj.definition,
                type=obj.type,
                role=obj.role,
                description=obj.description,
            )
        obj.pk = saved.pk
        obj.next_version_number = saved.next_version_number


@admin.register(WorkflowVersion)
class WorkflowVersionAdmin(admin.ModelAdmin):
    list_display = ("template", "number", "role", "created_at")
    list_filter = ("template__type", "template__owner")
    search_fields = ("template__name",)
    list_select_related = ("template", "role")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # immutable: publish a new version instead

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from editing or publishing the template


class RunRoleForm(forms.ModelForm):
    class Meta:
        model = RunRole
        fields = "__all__"

    def clean_allowed_resources(self) -> list[str]:
        try:
            return role_patterns_check(allowed_resources=self.cleaned_data["allowed_resources"] or [])
        except (ServiceError, TypeError) as error:
            raise ValidationError(str(error)) from None


@admin.register(RunRole)
class RunRoleAdmin(admin.ModelAdmin):
    form = RunRoleForm
    list_display = ("name", "owner", "pattern_count", "updated_at")
    list_filter = ("owner",)
    search_fields = ("name", "description")

    @admin.display(description="patterns")
    def pattern_count(self, obj: RunRole) -> int:
        return len(obj.allowed_resources or [])


class FunctionForm(forms.ModelForm):
    class Meta:
        model = Function
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            candidate = Function(**{field: cleaned.get(field) for field in ("name", "source", "handler", "timeout_s",
                                                                             "memory_mb", "environment")})
            try:
                function_check(function=candidate)
            except ServiceError as error:
                raise ValidationError(error.message) from None
        return cleaned


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    form = FunctionForm
    list_display = ("name", "owner", "handler", "timeout_s", "memory_mb", "updated_at")
    list_filter = ("owner",)
    search_fields = ("name", "description")
    readonly_fields = ("content_hash", "created_at", "updated_at")
