"""The operations admin pages render; secrets never appear on them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backend.alerts.models import Alert, AlertRule
from backend.alerts.services import alert_rule_create, alerts_evaluate
from backend.audit.models import AuditEvent
from backend.connections.models import Connection
from backend.connections.services import connection_create
from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner.api import execution_start
from backend.schedules.models import Schedule
from backend.schedules.services import schedule_create

SECRET = "admin-page-secret-91c2"


@pytest.fixture
def admin_client(template) -> Client:  # type: ignore[no-untyped-def]
    now = timezone.now()
    schedule_create(template=template, name="hourly", kind="cron", cron_expression="0 * * * *")
    connection_create(owner=template.owner, name="crm", kind="bearer", parameters={}, secret=SECRET)
    alert_rule_create(template=template, name="fail", kind="any_failure", webhook_url="http://127.0.0.1:9/x",
                      webhook_secret=SECRET, now=now - timedelta(minutes=1))
    execution = execution_start(template=template, name="broken").execution
    Execution.objects.filter(pk=execution.pk).update(status=ExecutionStatus.FAILED, stopped_at=now)
    assert alerts_evaluate(now=now + timedelta(seconds=1))
    admin = get_user_model().objects.create_superuser(username="root", password="pw-for-tests-only")
    client = Client()
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", [Schedule, AuditEvent, AlertRule, Alert, Connection], ids=lambda m: m.__name__)
def test_list_and_detail_pages_render_without_secrets(admin_client: Client, model) -> None:  # type: ignore[no-untyped-def]
    meta = model._meta
    listing = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    detail = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change",
                                      args=[model.objects.order_by("pk").first().pk]))
    assert detail.status_code == 200
    assert SECRET not in listing.content.decode() + detail.content.decode()


def test_the_audit_log_cannot_be_edited_from_the_admin(admin_client: Client) -> None:
    event = AuditEvent.objects.order_by("pk").first()
    url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
