"""The audit log: recorded from model signals, append-only, searchable."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.admin.sites import site
from django.http import HttpResponse
from django.test import RequestFactory

from backend.audit.context import audit_context, request_client
from backend.audit.middleware import AuditContextMiddleware
from backend.audit.models import AppendOnlyError, AuditClient, AuditEvent
from backend.audit.selectors import audit_search
from backend.audit.services import audit_record
from backend.executions.runner.api import execution_start, execution_stop
from backend.schedules.services import schedule_create, schedule_set_enabled, schedules_tick
from backend.workflows.services import template_update

UTC = timezone.utc
T0 = datetime(2026, 1, 5, tzinfo=UTC)


def trail(**filters) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(e.action, e.object_type, e.version, e.client, e.actor_name)
            for e in audit_search(**filters).order_by("id")]


def test_workflow_lifecycle_is_recorded_with_actor_client_and_version(owner, make_template) -> None:
    with audit_context(client=AuditClient.REST, actor=owner):
        template = make_template(name="nightly")
        template_update(template=template, definition='{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}')
        template_update(template=template, description="only words")
    assert trail(object_type="workflow") == [
        ("created", "workflow", None, "rest", "ops"),
        ("published", "workflow", 1, "rest", "ops"),
        ("changed", "workflow", None, "rest", "ops"),
        ("published", "workflow", 2, "rest", "ops"),
        ("changed", "workflow", None, "rest", "ops"),
    ]
    template_id = template.pk
    with audit_context(client=AuditClient.BROWSER, actor=owner):
        template.delete()
    assert trail(action="deleted") == [("deleted", "workflow", None, "browser", "ops")]
    assert audit_search(object_id=str(template_id), object_type="workflow").count() == 6


def test_execution_start_stop_and_redrive_are_recorded(owner, template) -> None:
    from backend.executions.runner.api import execution_redrive

    with audit_context(client=AuditClient.SFN, actor=owner):
        execution = execution_start(template=template, name="run-1").execution
        execution_stop(execution=execution, error="Ops", cause="by hand")
        execution_redrive(execution=execution)
    assert trail(object_type="execution") == [
        ("started", "execution", 1, "sfn", "ops"),
        ("stopped", "execution", 1, "sfn", "ops"),
        ("redriven", "execution", 1, "sfn", "ops"),
    ]
    assert audit_search(object_type="execution").first().object_name == "etl:run-1"


def test_scheduled_starts_are_recorded_from_the_schedule_client_and_ticks_are_not_changes(owner, template) -> None:
    with audit_context(client=AuditClient.REST, actor=owner):
        schedule = schedule_create(template=template, name="minutely", kind="cron", cron_expression="* * * * *",
                                   now=T0)
        schedule = schedule_set_enabled(schedule=schedule, enabled=False, now=T0)
        schedule_set_enabled(schedule=schedule, enabled=True, now=T0)
    for minute in (1, 2):
        schedules_tick(now=T0 + timedelta(minutes=minute, seconds=1))
    assert trail(object_type="schedule") == [
        ("created", "schedule", None, "rest", "ops"),
        ("changed", "schedule", None, "rest", "ops"),
        ("changed", "schedule", None, "rest", "ops"),
    ]
    assert trail(object_type="execution") == [("started", "execution", 1, "schedule", "")] * 2


def test_audit_events_cannot_be_changed_or_deleted(owner) -> None:
    event = audit_record(action="created", object_type="workflow", object_id=1, actor=owner,
                         client=AuditClient.REST)
    event.action = "deleted"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="deleted")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "created"
    # Deleting the user keeps the events and who it was.
    owner.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "ops"


def test_audit_record_refuses_unknown_actions_and_clients(db: None) -> None:
    with pytest.raises(ValueError, match="action: "):
        audit_record(action="renamed", object_type="workflow", object_id=1)
    with pytest.raises(ValueError, match="client: "):
        audit_record(action="created", object_type="workflow", object_id=1, client="fax")
    assert not AuditEvent.objects.exists()


def test_search_filters(owner) -> None:
    for day, (action, client, name) in enumerate([("created", "rest", "alpha"), ("started", "asw", "beta"),
                                                  ("stopped", "asw", "alphabet")]):
        audit_record(action=action, object_type="execution", object_id=day, object_name=name, client=client,
                     actor=owner, now=T0 + timedelta(days=day))
    audit_record(action="created", object_type="workflow", object_id=9, client="system", now=T0)
    names = lambda **f: [e.object_name for e in audit_search(**f).order_by("id")]  # noqa: E731
    assert names(client="asw") == ["beta", "alphabet"]
    assert names(text="alpha") == ["alpha", "alphabet"]
    assert names(actor_id=owner.pk, since=T0 + timedelta(days=1)) == ["beta", "alphabet"]
    assert names(until=T0 + timedelta(days=1), object_type="execution") == ["alpha"]
    assert names(object_id=2) == ["alphabet"]
    # Newest first; equal times, the later record first.
    assert [e.object_name for e in audit_search()] == ["alphabet", "beta", "", "alpha"]


@pytest.mark.parametrize("path, headers, client", [
    ("/", {"HTTP_X_TC_ACTION": "StartExecution"}, "asw"),
    ("/", {"HTTP_X_AMZ_TARGET": "AWSStepFunctions.StartExecution"}, "sfn"),
    ("/api/templates/", {}, "rest"),
    ("/admin/", {}, "browser"),
])
def test_the_middleware_names_the_client_and_reads_the_user_after_authentication(
        owner, path: str, headers: dict, client: str) -> None:
    def view(request):  # type: ignore[no-untyped-def]
        request.user = owner  # what DRF's authentication does inside the view
        audit_record(action="created", object_type="workflow", object_id=1)
        return HttpResponse()

    request = RequestFactory().post(path, **headers)
    assert request_client(request) == client
    AuditContextMiddleware(view)(request)
    assert trail() == [("created", "workflow", None, client, "ops")]


def test_the_admin_shows_the_log_read_only(rf, owner) -> None:
    admin = site._registry[AuditEvent]
    request = rf.get("/admin/")
    request.user = owner
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)
