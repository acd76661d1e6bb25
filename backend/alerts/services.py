"""Alert rules, their evaluation over executions, and the delivery of alerts.

``alerts_tick(now)`` = ``alerts_evaluate`` (create alerts for what happened) then
``alerts_deliver`` (send webhooks and emails that are due). Both take the time as an
argument, so a fake clock drives them in tests, and both are safe to run concurrently:
alert keys are unique per rule, and a delivery is claimed before it is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.secret_box import open_sealed, seal
from backend.alerts.models import Alert, AlertKind, AlertRule, DeliveryStatus
from backend.alerts.settings import alerts_setting
from backend.executions.models import Execution, ExecutionStatus
from backend.workflows.errors import ServiceError
from backend.workflows.models import WorkflowTemplate
from backend.workflows.names import check_name

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Signature-256"
FAILED_STATUSES = (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT)


class InvalidAlertRule(ServiceError):
    code = "ValidationException"


# --- rules -----------------------------------------------------------------------------------


class AlertRuleAlreadyExists(InvalidAlertRule):
    code = "ResourceAlreadyExists"


_RULE_EDITABLE = ("kind", "threshold_count", "window_minutes", "duration_seconds", "webhook_url", "email_to",
                  "enabled")


def _check_rule(rule: AlertRule) -> None:
    """The rule's fields make sense together (its webhook secret already sealed on it)."""
    if rule.kind not in AlertKind.values:
        raise InvalidAlertRule(f"Invalid alert rule: kind: must be one of {AlertKind.values}")
    if rule.kind == AlertKind.FAILURE_COUNT and not (rule.threshold_count and rule.window_minutes):
        raise InvalidAlertRule("Invalid alert rule: threshold_count and window_minutes: both needed, above 0")
    if rule.kind == AlertKind.LONG_RUNNING and not rule.duration_seconds:
        raise InvalidAlertRule("Invalid alert rule: duration_seconds: needed, above 0")
    if rule.webhook_url:
        if not rule.webhook_url.startswith(("http://", "https://")):
            raise InvalidAlertRule("Invalid alert rule: webhook_url: must be an http:// or https:// URL")
        if not rule.webhook_secret_sealed:
            raise InvalidAlertRule("Invalid alert rule: webhook_secret: a webhook needs a shared secret")
    if not rule.webhook_url and not rule.email_recipients:
        raise InvalidAlertRule("Invalid alert rule: webhook_url or email_to: say whom to notify")


def alert_rule_create(
    *,
    template: WorkflowTemplate,
    name: str,
    kind: str,
    threshold_count: int | None = None,
    window_minutes: int | None = None,
    duration_seconds: int | None = None,
    webhook_url: str = "",
    webhook_secret: str = "",
    email_to: str = "",
    enabled: bool = True,
    now: datetime | None = None,
) -> AlertRule:
    """A rule; it watches what happens from ``now`` on (no alerts for older executions)."""
    now = now or timezone.now()
    rule = AlertRule(template=template, name=check_name(name, what="alert rule"), kind=kind,
                     threshold_count=threshold_count, window_minutes=window_minutes,
                     duration_seconds=duration_seconds, webhook_url=webhook_url, email_to=email_to,
                     enabled=enabled, checked_until=now, created_at=now)
    if webhook_url and webhook_secret:
        rule.webhook_secret_sealed = seal(webhook_secret)
    _check_rule(rule)
    if AlertRule.objects.filter(template=template, name=rule.name).exists():
        raise AlertRuleAlreadyExists(f"Invalid alert rule: name: '{rule.name}' is already used by this workflow")
    rule.save()
    return rule


def alert_rule_update(*, rule: AlertRule, webhook_secret: str | None = None, now: datetime | None = None,
                      **changes: Any) -> AlertRule:
    """Change what a rule watches and whom it tells (the fields in ``_RULE_EDITABLE``).

    ``webhook_secret`` replaces the shared secret (None keeps it); removing the webhook
    URL drops it. A rule enabled again looks forward, like a new one: what ended while it
    was disabled raises nothing.
    """
    unknown = set(changes) - set(_RULE_EDITABLE)
    if unknown:
        raise InvalidAlertRule(f"Invalid alert rule: cannot change {', '.join(sorted(unknown))}")
    was_enabled = rule.enabled
    for field, value in changes.items():
        setattr(rule, field, value)
    fields = list(changes)
    if webhook_secret is not None:
        rule.webhook_secret_sealed = seal(webhook_secret) if webhook_secret else ""
        fields.append("webhook_secret_sealed")
    if not rule.webhook_url and rule.webhook_secret_sealed:
        rule.webhook_secret_sealed = ""
        fields.append("webhook_secret_sealed")
    _check_rule(rule)
    if rule.enabled and not was_enabled:
        # Evaluations look back ALERTS_SETTLE_SECONDS before ``checked_until``: moving it
        # that far ahead makes the next one start exactly now.
        settle = timedelta(seconds=float(alerts_setting("ALERTS_SETTLE_SECONDS")))
        rule.checked_until = (now or timezone.now()) + settle
        fields.append("checked_until")
    if fields:
        rule.save(update_fields=sorted(set(fields)))
    return rule


# --- evaluation ------------------------------------------------------------------------------


def _execution_summary(execution: Execution) -> dict[str, Any]:
    return {
        "id": execution.pk, "name": execution.name, "status": execution.status,
        "error": execution.error, "cause": execution.cause,
        "startedAt": execution.started_at.isoformat(),
        "stoppedAt": execution.stopped_at.isoformat() if execution.stopped_at else None,
    }


def _alert_create(rule: AlertRule, key: str, *, now: datetime, message: str,
                  execution: Execution | None = None, extra: dict[str, Any] | None = None) -> Alert | None:
    """The alert, or None when one with this key exists (another evaluator made it)."""
    payload = {
        "rule": rule.name, "kind": rule.kind, "workflow": rule.template.name, "workflowId": rule.template_id,
        "message": message, "createdAt": now.isoformat(),
        "execution": _execution_summary(execution) if execution is not None else None, **(extra or {}),
    }
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=rule, execution=execution, key=key, created_at=now, payload=payload,
                webhook_status=DeliveryStatus.PENDING if rule.webhook_url else DeliveryStatus.NONE,
                next_attempt_at=now if rule.webhook_url else None,
            )
    except IntegrityError:
        return None
    alert.payload["alertId"] = alert.pk
    Alert.objects.filter(pk=alert.pk).update(payload=alert.payload)
    return alert


def _ended_since(rule: AlertRule, statuses: tuple[str, ...], since: datetime, now: datetime):  # type: ignore[no-untyped-def]
    return Execution.objects.filter(template_id=rule.template_id, status__in=statuses,
                                    stopped_at__gt=since, stopped_at__lte=now).order_by("stopped_at", "pk")


def _evaluate_rule(rule: AlertRule, now: datetime) -> list[Alert]:
    settle = timedelta(seconds=float(alerts_setting("ALERTS_SETTLE_SECONDS")))
    since = max(rule.checked_until - settle, rule.created_at)
    made: list[Alert | None] = []
    if rule.kind in (AlertKind.ANY_FAILURE, AlertKind.TIMED_OUT):
        statuses = FAILED_STATUSES if rule.kind == AlertKind.ANY_FAILURE else (ExecutionStatus.TIMED_OUT,)
        for execution in _ended_since(rule, statuses, since, now):
            made.append(_alert_create(rule, f"ended:{execution.pk}:{execution.redrive_count}", now=now,
                                      execution=execution,
                                      message=f"Execution {execution.name} of {rule.template.name} "
                                              f"{execution.status.lower().replace('_', ' ')}"))
    elif rule.kind == AlertKind.FAILURE_COUNT:
        assert rule.threshold_count and rule.window_minutes
        window = timedelta(minutes=rule.window_minutes)
        failures = list(_ended_since(rule, FAILED_STATUSES, max(now - window, rule.created_at), now))
        recent = Alert.objects.filter(rule=rule, created_at__gt=now - window).exists()
        if len(failures) >= rule.threshold_count and not recent:
            newest = failures[-1]
            made.append(_alert_create(rule, f"count:{newest.pk}", now=now, execution=newest,
                                      message=f"{len(failures)} executions of {rule.template.name} failed "
                                              f"within {rule.window_minutes} minutes",
                                      extra={"failures": len(failures)}))
    elif rule.kind == AlertKind.LONG_RUNNING:
        assert rule.duration_seconds
        limit = now - timedelta(seconds=rule.duration_seconds)
        alerted = Alert.objects.filter(rule=rule, execution__isnull=False).values("execution_id")
        running = (Execution.objects.filter(template_id=rule.template_id, status=ExecutionStatus.RUNNING,
                                            started_at__lt=limit).exclude(pk__in=alerted))
        for execution in running:
            made.append(_alert_create(rule, f"long:{execution.pk}", now=now,
                                      execution=execution,
                                      message=f"Execution {execution.name} of {rule.template.name} has run "
                                              f"longer than {rule.duration_seconds} seconds"))
    AlertRule.objects.filter(pk=rule.pk, checked_until__lt=now).update(checked_until=now)
    return [alert for alert in made if alert is not None]


def alerts_evaluate(*, now: datetime | None = None) -> list[Alert]:
    """Create the alerts every enabled rule calls for at ``now``; the new ones."""
    now = now or timezone.now()
    alerts: list[Alert] = []
    for rule in AlertRule.objects.filter(enabled=True).select_related("template"):
        alerts += _evaluate_rule(rule, now)
    return alerts


# --- delivery --------------------------------------------------------------------------------


def webhook_signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body>``: what the receiver recomputes with the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _backoff(attempts: int) -> timedelta:
    base = float(alerts_setting("ALERTS_BACKOFF_BASE_SECONDS"))
    return timedelta(seconds=min(base * 2 ** (attempts - 1), float(alerts_setting("ALERTS_BACKOFF_MAX_SECONDS"))))


def _post(url: str, body: bytes, headers: dict[str, str]) -> str | None:
    """None when the receiver answered 2xx, else what went wrong."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=float(alerts_setting("ALERTS_WEBHOOK_TIMEOUT_SECONDS"))) as r:
            return None if 200 <= r.status < 300 else f"HTTP {r.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"


def _deliver_webhook(alert: Alert, now: datetime) -> None:
    # Claim: move next_attempt_at past the call's timeout; only one deliverer wins.
    timeout = timedelta(seconds=float(alerts_setting("ALERTS_WEBHOOK_TIMEOUT_SECONDS")) + 1)
    if not Alert.objects.filter(pk=alert.pk, webhook_status=DeliveryStatus.PENDING,
                                next_attempt_at=alert.next_attempt_at).update(next_attempt_at=now + timeout):
        return
    rule = alert.rule
    secret = open_sealed(rule.webhook_secret_sealed) or ""
    body = json.dumps(alert.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "workflow-alerts",
               "X-Alert-Id": str(alert.pk), SIGNATURE_HEADER: webhook_signature(secret, body)}
    error = _post(rule.webhook_url, body, headers)
    attempts = alert.attempts + 1
    if error is None:
        Alert.objects.filter(pk=alert.pk).update(webhook_status=DeliveryStatus.DELIVERED, attempts=attempts,
                                                 delivered_at=now, next_attempt_at=None, last_error="")
        return
    gave_up = attempts >= int(alerts_setting("ALERTS_WEBHOOK_MAX_ATTEMPTS"))
    log.warning("alert %s: webhook attempt %d failed (%s)%s", alert.pk, attempts, error,
                "; giving up" if gave_up else "")
    Alert.objects.filter(pk=alert.pk).update(
        webhook_status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING, attempts=attempts,
        next_attempt_at=None if gave_up else now + _backoff(attempts), last_error=error)


def _deliver_email(alert: Alert, now: datetime) -> None:
    if not Alert.objects.filter(pk=alert.pk, emailed_at__isnull=True).update(emailed_at=now):
        return  # another deliverer sent it
    payload = alert.payload
    send_mail(subject=f"[workflow alert] {payload['message']}",
              message=json.dumps(payload, indent=2, sort_keys=True),
              from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
              recipient_list=alert.rule.email_recipients, fail_silently=False)


def alerts_deliver(*, now: datetime | None = None) -> int:
    """Send due webhooks (and not yet sent emails); how many alerts were looked at."""
    now = now or timezone.now()
    due = list(Alert.objects.filter(webhook_status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .select_related("rule"))
    for alert in due:
        _deliver_webhook(alert, now)
    unsent = list(Alert.objects.filter(emailed_at__isnull=True).exclude(rule__email_to="").select_related("rule"))
    for alert in unsent:
        try:
            _deliver_email(alert, now)
        except OSError as exc:  # the mail server: logged, not retried (the webhook is the retried channel)
            log.warning("alert %s: email failed (%s)", alert.pk, exc)
    return len(due) + len(unsent)


def alerts_tick(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    created = alerts_evaluate(now=now)
    alerts_deliver(now=now)
    return len(created)
