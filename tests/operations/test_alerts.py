"""Alerts: rules evaluated under a fake clock; webhooks to a real loopback receiver."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.core import mail
from django.test import override_settings

from backend.alerts.models import Alert, DeliveryStatus
from backend.alerts.services import InvalidAlertRule, alert_rule_create, alerts_deliver, alerts_evaluate, alerts_tick
from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner.api import execution_start
from backend.executions.runner.run import drive

from .receiver import WebhookReceiver

UTC = timezone.utc
T0 = datetime(2026, 1, 5, tzinfo=UTC)
SECRET = "s3cret-shared-with-the-receiver"
FAIL = '{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "bad input"}}}'


def run_to_end(template, name: str) -> Execution:  # type: ignore[no-untyped-def]
    execution = execution_start(template=template, name=name).execution
    drive(execution.pk, "alerts-test")
    return Execution.objects.get(pk=execution.pk)


def ended(template, name: str, status: str, at: datetime) -> Execution:  # type: ignore[no-untyped-def]
    """An execution closed at ``at`` (as the runner records it), for windows under a fake clock."""
    execution = execution_start(template=template, name=name).execution
    Execution.objects.filter(pk=execution.pk).update(status=status, stopped_at=at, started_at=at - timedelta(1))
    return Execution.objects.get(pk=execution.pk)


def test_each_failure_delivers_exactly_one_signed_webhook_retried_until_accepted(make_template) -> None:
    template = make_template(name="nightly", definition=FAIL)
    ok = make_template(name="fine")
    start = datetime.now(UTC) - timedelta(seconds=1)
    with WebhookReceiver(SECRET, reject_first=2) as receiver:
        alert_rule_create(template=template, name="on-failure", kind="any_failure", webhook_url=receiver.url,
                          webhook_secret=SECRET, now=start)
        alert_rule_create(template=ok, name="on-failure", kind="any_failure", webhook_url=receiver.url,
                          webhook_secret=SECRET, now=start)
        failed = [run_to_end(template, f"run-{i}") for i in range(3)]
        assert run_to_end(ok, "fine-run").status == ExecutionStatus.SUCCEEDED
        assert {execution.status for execution in failed} == {ExecutionStatus.FAILED}
        now = datetime.now(UTC)
        for step in range(12):  # fake time moves on by a minute a pass: past every back-off
            alerts_tick(now=now + timedelta(minutes=step))
    assert receiver.bad_signatures == 0
    assert sorted(body["execution"]["name"] for body in receiver.accepted) == ["run-0", "run-1", "run-2"]
    assert {body["execution"]["error"] for body in receiver.accepted} == {"Boom"}
    assert set(receiver.attempts.values()) == {3}  # two refusals, then accepted; never again
    alerts = Alert.objects.all()
    assert [(a.webhook_status, a.attempts) for a in alerts] == [(DeliveryStatus.DELIVERED, 3)] * 3
    assert sorted(body["alertId"] for body in receiver.accepted) == sorted(a.pk for a in alerts)


def test_back_off_waits_between_attempts(make_template) -> None:
    template = make_template(definition=FAIL)
    with WebhookReceiver(SECRET, reject_first=100) as receiver:
        alert_rule_create(template=template, name="hook", kind="any_failure", webhook_url=receiver.url,
                          webhook_secret=SECRET, now=T0)
        ended(template, "x", ExecutionStatus.FAILED, T0 + timedelta(seconds=10))
        now = T0 + timedelta(seconds=20)
        alerts_tick(now=now)  # attempt 1; the next one is due 5 s later, then 10 s, 20 s ...
        alerts_deliver(now=now + timedelta(seconds=4))
        assert sum(receiver.attempts.values()) == 1
        alerts_deliver(now=now + timedelta(seconds=5))
        alerts_deliver(now=now + timedelta(seconds=14))
        assert sum(receiver.attempts.values()) == 2
        alerts_deliver(now=now + timedelta(seconds=15))
        assert sum(receiver.attempts.values()) == 3


@override_settings(ALERTS_WEBHOOK_MAX_ATTEMPTS=4)
def test_delivery_gives_up_after_the_last_attempt(make_template) -> None:
    template = make_template(definition=FAIL)
    with WebhookReceiver(SECRET, reject_first=100) as receiver:
        alert_rule_create(template=template, name="hook", kind="any_failure", webhook_url=receiver.url,
                          webhook_secret=SECRET, now=T0)
        ended(template, "x", ExecutionStatus.FAILED, T0 + timedelta(seconds=1))
        for hour in range(1, 10):
            alerts_tick(now=T0 + timedelta(hours=hour))
    alert = Alert.objects.get()
    assert (alert.webhook_status, alert.attempts, alert.last_error) == (DeliveryStatus.FAILED, 4, "HTTP 503")
    assert sum(receiver.attempts.values()) == 4 and receiver.accepted == []


def test_a_refusing_or_absent_receiver_is_retried(make_template) -> None:
    template = make_template(definition=FAIL)
    with WebhookReceiver(SECRET) as receiver:
        url = receiver.url
    alert_rule_create(template=template, name="hook", kind="any_failure", webhook_url=url, webhook_secret=SECRET,
                      now=T0)
    ended(template, "x", ExecutionStatus.FAILED, T0 + timedelta(seconds=1))
    alerts_tick(now=T0 + timedelta(seconds=2))  # nobody listens on that port any more
    alert = Alert.objects.get()
    assert alert.webhook_status == DeliveryStatus.PENDING and alert.attempts == 1 and alert.last_error


def test_failures_over_n_in_m_minutes(make_template) -> None:
    template = make_template(definition=FAIL)
    alert_rule_create(template=template, name="three-in-ten", kind="failure_count", threshold_count=3,
                      window_minutes=10, email_to="ops@example.com", now=T0)
    ended(template, "a", ExecutionStatus.FAILED, T0 + timedelta(minutes=1))
    ended(template, "b", ExecutionStatus.TIMED_OUT, T0 + timedelta(minutes=5))
    ended(template, "ok", ExecutionStatus.SUCCEEDED, T0 + timedelta(minutes=6))
    assert alerts_evaluate(now=T0 + timedelta(minutes=6)) == []
    ended(template, "c", ExecutionStatus.FAILED, T0 + timedelta(minutes=12))  # "a" has left the window
    assert alerts_evaluate(now=T0 + timedelta(minutes=12)) == []
    ended(template, "d", ExecutionStatus.FAILED, T0 + timedelta(minutes=13))
    [alert] = alerts_evaluate(now=T0 + timedelta(minutes=13))
    assert alert.payload["failures"] == 3 and alert.payload["execution"]["name"] == "d"
    ended(template, "e", ExecutionStatus.FAILED, T0 + timedelta(minutes=14))
    assert alerts_evaluate(now=T0 + timedelta(minutes=14)) == []  # one alert per window


def test_an_execution_running_longer_than_t(make_template) -> None:
    template = make_template()
    alert_rule_create(template=template, name="slow", kind="long_running", duration_seconds=600,
                      email_to="ops@example.com", now=T0)
    execution = execution_start(template=template, name="slow-run").execution
    Execution.objects.filter(pk=execution.pk).update(started_at=T0)
    assert alerts_evaluate(now=T0 + timedelta(seconds=599)) == []
    [alert] = alerts_evaluate(now=T0 + timedelta(seconds=601))
    assert alert.execution_id == execution.pk
    assert alerts_evaluate(now=T0 + timedelta(seconds=900)) == []


def test_timed_out_rule_ignores_other_failures_and_emails(make_template) -> None:
    template = make_template(definition=FAIL)
    alert_rule_create(template=template, name="timeouts", kind="timed_out",
                      email_to="ops@example.com, oncall@example.com", now=T0)
    ended(template, "failed", ExecutionStatus.FAILED, T0 + timedelta(seconds=5))
    ended(template, "late", ExecutionStatus.TIMED_OUT, T0 + timedelta(seconds=6))
    assert alerts_tick(now=T0 + timedelta(seconds=10)) == 1
    alerts_tick(now=T0 + timedelta(seconds=20))
    [message] = mail.outbox
    assert message.to == ["ops@example.com", "oncall@example.com"]
    assert "late" in message.subject and "timed out" in message.subject
    assert Alert.objects.get().webhook_status == DeliveryStatus.NONE


def test_executions_that_ended_before_the_rule_raise_nothing(make_template) -> None:
    template = make_template(definition=FAIL)
    ended(template, "old", ExecutionStatus.FAILED, T0 - timedelta(seconds=1))
    alert_rule_create(template=template, name="r", kind="any_failure", email_to="ops@example.com", now=T0)
    assert alerts_evaluate(now=T0 + timedelta(minutes=5)) == []


@pytest.mark.parametrize("fields, field", [
    ({"kind": "sometimes", "email_to": "a@b.c"}, "kind"),
    ({"kind": "failure_count", "threshold_count": 3, "email_to": "a@b.c"}, "threshold_count"),
    ({"kind": "long_running", "email_to": "a@b.c"}, "duration_seconds"),
    ({"kind": "any_failure", "webhook_url": "ftp://x", "webhook_secret": "k"}, "webhook_url"),
    ({"kind": "any_failure", "webhook_url": "http://127.0.0.1/x"}, "webhook_secret"),
    ({"kind": "any_failure"}, "webhook_url or email_to"),
])
def test_invalid_rules_are_refused_naming_the_field(template, fields: dict, field: str) -> None:
    with pytest.raises(InvalidAlertRule, match=f"Invalid alert rule: {field}"):
        alert_rule_create(template=template, name="bad", **fields)


def test_the_webhook_secret_is_stored_sealed(template) -> None:
    rule = alert_rule_create(template=template, name="r", kind="any_failure", webhook_url="http://127.0.0.1/x",
                             webhook_secret=SECRET)
    assert rule.webhook_secret_sealed and SECRET not in rule.webhook_secret_sealed
