"""Connections in the admin: the secret is write-only (a password field, never rendered)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone

from backend.accounts.secret_box import seal
from backend.connections.models import Connection
from backend.connections.services import InvalidConnection, check_connection


class ConnectionForm(forms.ModelForm):
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                             help_text="leave empty to keep the current one")

    class Meta:
        model = Connection
        exclude = ("secret_sealed", "updated_at")

    def clean_secret(self) -> str:
        secret = self.cleaned_data.get("secret") or ""
        if not secret and not (self.instance and self.instance.secret_sealed):
            raise forms.ValidationError("a new connection needs its secret")
        return secret

    def clean(self) -> dict:
        cleaned = super().clean()
        if "kind" in cleaned:
            try:  # the same rules as connection_create; a kept secret counts as given
                check_connection(cleaned["kind"], cleaned.get("parameters") or {}, cleaned.get("secret") or "kept")
            except InvalidConnection as exc:
                raise forms.ValidationError(exc.message) from None
        return cleaned

    def save(self, commit: bool = True) -> Connection:
        connection = super().save(commit=False)
        if self.cleaned_data.get("secret"):
            connection.secret_sealed = seal(self.cleaned_data["secret"])
        connection.updated_at = timezone.now()
        if commit:
            connection.save()
        return connection


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionForm
    list_display = ("name", "owner", "kind", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name",)
