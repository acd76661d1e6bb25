"""Endpoints in the admin. API keys are listed by prefix; new keys are issued through the REST API
(``POST /api/endpoints/<id>/keys/``), since a key is shown only once, to whoever creates it."""

from __future__ import annotations

from django.contrib import admin

from backend.endpoints.models import Endpoint, EndpointApiKey


class EndpointApiKeyInline(admin.TabularInline):
    model = EndpointApiKey
    extra = 0
    fields = ("name", "prefix", "created_at")
    readonly_fields = ("name", "prefix", "created_at")
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "template", "version", "enabled", "auth", "rate_limit_per_second",
                    "max_body_bytes", "created_at")
    list_filter = ("enabled", "auth")
    search_fields = ("slug", "name", "template__name")
    raw_id_fields = ("template",)
    inlines = [EndpointApiKeyInline]
