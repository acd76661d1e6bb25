from django.contrib import admin

from backend.accounts.models import ApiCredential


@admin.register(ApiCredential)
class ApiCredentialAdmin(admin.ModelAdmin):
    list_display = ["secret_id", "owner", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["secret_id", "owner__username"]
    readonly_fields = ["secret_id", "sealed_secret_key", "created_at", "last_used_at"]
