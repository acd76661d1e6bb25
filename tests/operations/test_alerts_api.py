"""REST for alert rules (CRUD, validation naming the field, write-only webhook secret) and
fired alerts (list, filters, delivery status), with ownership and the audit trail."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from backend.accounts.secret_box import open_sealed
from backend.alerts.models import Alert, AlertRule
from backend.alerts.services import alert_rule_create, alerts_tick
from backend.audit.models import AuditEvent
from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner.api import execution_start
from backend.workflows.models import WorkflowTemplate
from backend.workflows.services import template_create
from tests.api.conftest import PASS_DEFINITION, alice, alice_api, bob, client_for, staff  # noqa: F401 (fixtures)

from .receiver import WebhookReceiver

pytestmark = pytest.mark.django_db

UTC = timezone.utc
SECRET = "alert-Hook-Secret-5e0a7c"


@pytest.fixture
def flow(alice: User) -> WorkflowTemplate:
    return template_create(owner=alice, name="nightly-etl", definition=json.dumps(PASS_DEFINITION))


def create(api: APIClient, flow: WorkflowTemplate, **fields: Any) -> Any:
    body = {"workflow": flow.pk, "name": "on-failure", "kind": "any_failure", "email_to": "ops@example.com", **fields}
    return api.post("/api/alerts/rules/", body, format="json")


def fail(flow: WorkflowTemplate, name: str, at: datetime, status: str = ExecutionStatus.FAILED) -> Execution:
    execution = execution_start(template=flow, name=name).execution
    Execution.objects.filter(pk=execution.pk).update(status=status, stopped_at=at, error="Boom",
                                                     started_at=at - timedelta(minutes=1))
    return Execution.objects.get(pk=execution.pk)


def test_rule_crud_keeps_the_webhook_secret_write_only(alice_api: APIClient, flow: WorkflowTemplate) -> None:
    created = create(alice_api, flow, webhook_url="http://127.0.0.1:9/hook", webhook_secret=SECRET)
    assert created.status_code == 201, created.content
    body = created.json()
    assert {key: body[key] for key in ("name", "workflow", "workflow_name", "kind", "webhook_url",
                                       "webhook_secret_set", "email_to", "enabled")} == {
        "name": "on-failure", "workflow": flow.pk, "workflow_name": "nightly-etl", "kind": "any_failure",
        "webhook_url": "http://127.0.0.1:9/hook", "webhook_secret_set": True, "email_to": "ops@example.com",
        "enabled": True}
    rule_id = body["id"]
    responses = [created, alice_api.get(f"/api/alerts/rules/{rule_id}/"), alice_api.get("/api/alerts/rules/"),
                 alice_api.get("/api/alerts/rules/", {"workflow": flow.pk})]
    assert responses[2].json()["results"] == [body] and responses[1].json() == body

    changed = alice_api.patch(f"/api/alerts/rules/{rule_id}/", {"kind": "failure_count", "threshold_count": 3,
                                                                 "window_minutes": 10}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["kind"], changed.json()["threshold_count"], changed.json()["webhook_secret_set"]) == (
        "failure_count", 3, True)
    rotated = alice_api.patch(f"/api/alerts/rules/{rule_id}/", {"webhook_secret": SECRET + "-2"}, format="json")
    assert open_sealed(AlertRule.objects.get().webhook_secret_sealed) == SECRET + "-2"
    # No webhook, no secret kept.
    dropped = alice_api.patch(f"/api/alerts/rules/{rule_id}/", {"webhook_url": ""}, format="json")
    assert dropped.json()["webhook_secret_set"] is False and AlertRule.objects.get().webhook_secret_sealed == ""
    responses += [changed, rotated, dropped, alice_api.get("/api/audit/", {"object_type": "alert_rule"})]
    assert all(SECRET not in response.content.decode() for response in responses)
    trail = [(e.action, e.client, e.actor_name, e.workflow_id)
             for e in AuditEvent.objects.filter(object_type="alert_rule").order_by("id")]
    assert trail == [("created", "rest", "alice", flow.pk)] + [("changed", "rest", "alice", flow.pk)] * 3

    assert alice_api.delete(f"/api/alerts/rules/{rule_id}/").status_code == 204
    assert alice_api.get(f"/api/alerts/rules/{rule_id}/").status_code == 404
    assert not AlertRule.objects.exists()


@pytest.mark.parametrize("fields, field", [
    ({"kind": "sometimes"}, "kind"),
    ({"kind": "failure_count", "threshold_count": 3}, "threshold_count"),
    ({"kind": "failure_count", "threshold_count": 0, "window_minutes": 5}, "threshold_count"),
    ({"kind": "long_running"}, "duration_seconds"),
    ({"webhook_url": "ftp://example.com/x", "webhook_secret": "k"}, "webhook_url"),
    ({"webhook_url": "http://127.0.0.1/hook"}, "webhook_secret"),
    ({"email_to": ""}, "webhook_url"),
    ({"name": ""}, "name"),
])
def test_invalid_rules_are_refused_naming_the_field(alice_api: APIClient, flow: WorkflowTemplate,
                                                    fields: dict[str, Any], field: str) -> None:
    response = create(alice_api, flow, **fields)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == field, response.json()
    assert not AlertRule.objects.exists()


def test_a_rule_name_is_used_once_per_workflow_and_bad_changes_change_nothing(
        alice_api: APIClient, flow: WorkflowTemplate) -> None:
    rule_id = create(alice_api, flow).json()["id"]
    again = create(alice_api, flow)
    assert again.status_code == 409 and again.json()["error"]["field"] == "name"
    response = alice_api.patch(f"/api/alerts/rules/{rule_id}/", {"kind": "long_running"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "duration_seconds"
    assert AlertRule.objects.get().kind == "any_failure"


def test_a_rule_enabled_again_looks_forward(alice_api: APIClient, flow: WorkflowTemplate) -> None:
    rule_id = create(alice_api, flow).json()["id"]
    alice_api.patch(f"/api/alerts/rules/{rule_id}/", {"enabled": False}, format="json")
    fail(flow, "while-disabled", datetime.now(UTC))
    alice_api.patch(f"/api/alerts/rules/{rule_id}/", {"enabled": True}, format="json")
    after = fail(flow, "after-enabled", datetime.now(UTC) + timedelta(seconds=1))
    alerts_tick(now=datetime.now(UTC) + timedelta(minutes=5))
    assert [alert.execution_id for alert in Alert.objects.all()] == [after.pk]


def test_fired_alerts_list_with_filters_and_delivery_status(alice_api: APIClient, flow: WorkflowTemplate,
                                                            alice: User) -> None:
    other = template_create(owner=alice, name="other", definition=json.dumps(PASS_DEFINITION))
    start = datetime.now(UTC) - timedelta(minutes=1)
    with WebhookReceiver(SECRET, reject_first=1) as receiver:
        hooked = alert_rule_create(template=flow, name="hook", kind="any_failure", webhook_url=receiver.url,
                                   webhook_secret=SECRET, now=start)
        mailed = alert_rule_create(template=other, name="mail", kind="timed_out", email_to="ops@example.com",
                                   now=start)
        failed = fail(flow, "run-1", start + timedelta(seconds=10))
        fail(other, "run-2", start + timedelta(seconds=20), status=ExecutionStatus.TIMED_OUT)
        now = datetime.now(UTC)
        alerts_tick(now=now)  # the webhook is refused once: pending, retried later
        pending = alice_api.get("/api/alerts/", {"workflow": flow.pk}).json()
        assert pending["count"] == 1
        alert = pending["results"][0]
        assert {key: alert[key] for key in ("rule", "rule_name", "kind", "workflow", "workflow_name", "execution",
                                            "webhook_status", "attempts")} == {
            "rule": hooked.pk, "rule_name": "hook", "kind": "any_failure", "workflow": flow.pk,
            "workflow_name": "nightly-etl", "execution": failed.pk, "webhook_status": "pending", "attempts": 1}
        assert alert["last_error"] == "HTTP 503" and "run-1" in alert["message"]
        assert alert["payload"]["execution"]["name"] == "run-1"
        for minute in range(1, 5):
            alerts_tick(now=now + timedelta(minutes=minute))
    delivered = alice_api.get(f"/api/alerts/{alert['id']}/").json()
    assert (delivered["webhook_status"], delivered["attempts"], delivered["delivered_at"] is not None) == (
        "delivered", 2, True)
    everything = alice_api.get("/api/alerts/").json()
    assert everything["count"] == 2
    assert [a["rule"] for a in alice_api.get("/api/alerts/", {"webhook_status": "none"}).json()["results"]] == [
        mailed.pk]
    assert alice_api.get("/api/alerts/", {"rule": mailed.pk}).json()["results"][0]["emailed_at"] is not None
    assert alice_api.get("/api/alerts/", {"execution": failed.pk}).json()["count"] == 1
    assert alice_api.get("/api/alerts/", {"since": (now + timedelta(hours=1)).isoformat()}).json()["count"] == 0
    assert alice_api.get("/api/alerts/", {"workflow": "x"}).status_code == 400
    assert SECRET not in json.dumps(everything)


def test_another_users_rules_and_alerts_are_invisible_and_untouchable(
        alice_api: APIClient, flow: WorkflowTemplate, bob: User, staff: User) -> None:
    rule_id = create(alice_api, flow).json()["id"]
    start = datetime.now(UTC) - timedelta(minutes=1)
    AlertRule.objects.filter(pk=rule_id).update(created_at=start, checked_until=start)
    fail(flow, "run-1", start + timedelta(seconds=5))
    alerts_tick(now=datetime.now(UTC))
    alert_id = Alert.objects.get().pk
    bob_api = client_for(bob)
    for method, path, body in [
        ("get", f"/api/alerts/rules/{rule_id}/", None),
        ("patch", f"/api/alerts/rules/{rule_id}/", {"email_to": "bob@example.com"}),
        ("delete", f"/api/alerts/rules/{rule_id}/", None),
        ("get", f"/api/alerts/{alert_id}/", None),
        ("post", "/api/alerts/rules/", {"workflow": flow.pk, "name": "hijack", "kind": "any_failure",
                                        "email_to": "bob@example.com"}),
    ]:
        response = getattr(bob_api, method)(path, body, format="json")
        assert response.status_code == 404, (method, path, response.content)
    assert bob_api.get("/api/alerts/rules/").json()["count"] == 0
    assert bob_api.get("/api/alerts/").json()["count"] == 0
    assert bob_api.get("/api/alerts/", {"workflow": flow.pk}).json()["count"] == 0
    assert AlertRule.objects.get().email_to == "ops@example.com" and AlertRule.objects.count() == 1
    staff_api = client_for(staff)
    assert staff_api.get("/api/alerts/rules/").json()["count"] == 1
    assert staff_api.get("/api/alerts/").json()["count"] == 1


def test_the_schema_describes_the_alert_endpoints(alice_api: APIClient) -> None:
    schema = alice_api.get("/api/schema/?format=json").json()
    assert {"/api/alerts/", "/api/alerts/{alert_id}/", "/api/alerts/rules/",
            "/api/alerts/rules/{rule_id}/"} <= set(schema["paths"])
    assert "webhook_secret" not in schema["components"]["schemas"]["AlertRuleOutput"]["properties"]
