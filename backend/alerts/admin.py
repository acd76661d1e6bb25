"""Alert rules (the secret is write-only) and the alerts they raised (read-only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from backend.accounts.secret_box import seal
from backend.alerts.models import Alert, AlertRule


class AlertRuleForm(forms.ModelForm):
    webhook_url = forms.URLField(required=False, assume_scheme="https")
    webhook_secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                     help_text="leave empty to keep the current one")

    class Meta:
        model = AlertRule
        exclude = ("webhook_secret_sealed",)

    def save(self, commit: bool = True) -> AlertRule:
        rule = super().save(commit=False)
        if self.cleaned_data.get("webhook_secret"):
            rule.webhook_secret_sealed = seal(self.cleaned_data["webhook_secret"])
        if commit:
            rule.save()
        return rule


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    form = AlertRuleForm
    list_display = ("name", "template", "kind", "threshold_count", "window_minutes", "duration_seconds",
                    "webhook_url", "email_to", "enabled")
    list_filter = ("kind", "enabled")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("created_at", "rule", "key", "webhook_status", "attempts", "delivered_at", "emailed_at")
    list_filter = ("webhook_status", "rule__kind")
    readonly_fields = [field.name for field in Alert._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
