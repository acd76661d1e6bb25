"""REST for the audit log: search filters, paging, ownership, and append-only (no route
changes or deletes an event: every writing method answers 405)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from backend.audit.context import audit_context
from backend.audit.models import AuditClient, AuditEvent
from backend.audit.services import audit_record
from backend.executions.runner.api import execution_start
from backend.workflows.models import WorkflowTemplate
from tests.api.conftest import PASS_DEFINITION, alice, alice_api, bob, bob_api, client_for, staff  # noqa: F401

pytestmark = pytest.mark.django_db

UTC = timezone.utc
T0 = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def flow(alice_api: APIClient) -> WorkflowTemplate:
    """alice's workflow, made over REST (created + published), with a run, a schedule and an old event."""
    body = alice_api.post("/api/templates/", {"name": "nightly-etl", "definition": PASS_DEFINITION},
                          format="json").json()
    alice_api.post("/api/executions/", {"workflow": body["id"], "name": "run-1"}, format="json")
    alice_api.post("/api/schedules/", {"workflow": body["id"], "name": "daily", "kind": "cron",
                                       "cron_expression": "0 3 * * *"}, format="json")
    return WorkflowTemplate.objects.get(pk=body["id"])


def search(api: APIClient, **filters: object) -> list[tuple[str, str, str]]:
    response = api.get("/api/audit/", filters)
    assert response.status_code == 200, response.content
    return [(event["action"], event["object_type"], event["client"]) for event in response.json()["results"]]


def test_rest_changes_are_recorded_with_actor_client_workflow_and_version(alice_api: APIClient,
                                                                          flow: WorkflowTemplate) -> None:
    events = alice_api.get("/api/audit/").json()
    assert events["count"] == 4
    assert [(e["action"], e["object_type"], e["object_name"], e["version"], e["client"], e["actor_name"],
             e["workflow"]) for e in events["results"]] == [
        ("created", "schedule", "daily", None, "rest", "alice", flow.pk),
        ("started", "execution", "nightly-etl:run-1", 1, "rest", "alice", flow.pk),
        ("published", "workflow", "nightly-etl", 1, "rest", "alice", flow.pk),
        ("created", "workflow", "nightly-etl", None, "rest", "alice", flow.pk),
    ]
    first = events["results"][0]
    assert alice_api.get(f"/api/audit/{first['id']}/").json() == first
    assert first["actor_id"] == flow.owner_id and first["timestamp"].endswith("Z")


def test_search_filters(alice_api: APIClient, alice: User, flow: WorkflowTemplate) -> None:
    with audit_context(client=AuditClient.SFN, actor=alice):
        audit_record(action="stopped", object_type="execution", object_id=77, object_name="nightly-etl:old",
                     owner_id=alice.pk, workflow_id=flow.pk, now=T0)
    with audit_context(client=AuditClient.SCHEDULE):
        audit_record(action="started", object_type="execution", object_id=78, object_name="nightly-etl:sched",
                     owner_id=alice.pk, workflow_id=flow.pk, now=T0 + timedelta(days=1))
    assert search(alice_api, action="published") == [("published", "workflow", "rest")]
    assert search(alice_api, object_type="execution", client="sfn") == [("stopped", "execution", "sfn")]
    assert search(alice_api, object_type="execution", object_id="77") == [("stopped", "execution", "sfn")]
    assert len(search(alice_api, actor="alice")) == 5  # the schedule's start has no actor
    assert len(search(alice_api, actor_id=alice.pk)) == 5
    assert search(alice_api, actor="bob") == []
    assert len(search(alice_api, workflow=flow.pk)) == 6
    assert search(alice_api, workflow=flow.pk + 1000) == []
    assert search(alice_api, since=T0.isoformat(), until=(T0 + timedelta(days=1)).isoformat()) == [
        ("stopped", "execution", "sfn")]
    assert search(alice_api, until=(T0 + timedelta(days=2)).isoformat()) == [
        ("started", "execution", "schedule"), ("stopped", "execution", "sfn")]
    assert search(alice_api, q="sched") == [("started", "execution", "schedule")]
    # Paging: limit/offset, newest first, like every list of the API.
    page = alice_api.get("/api/audit/", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 6 and len(page["results"]) == 2 and page["next"] and page["previous"] is not None
    assert [e["action"] for e in page["results"]] == ["started", "published"]


@pytest.mark.parametrize("query, field", [
    ({"action": "renamed"}, "action"),
    ({"client": "fax"}, "client"),
    ({"since": "yesterday"}, "since"),
    ({"workflow": "x"}, "workflow"),
    ({"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "until"),
])
def test_bad_filters_name_the_field(alice_api: APIClient, query: dict, field: str) -> None:
    response = alice_api.get("/api/audit/", query)
    assert response.status_code == 400 and response.json()["error"]["field"] == field, response.content


def test_the_log_is_append_only_over_rest(alice_api: APIClient, flow: WorkflowTemplate, staff: User) -> None:
    event = AuditEvent.objects.order_by("id").first()
    before = list(AuditEvent.objects.order_by("id").values())
    for api in (alice_api, client_for(staff)):
        for method in ("put", "patch", "delete", "post"):
            for path in ("/api/audit/", f"/api/audit/{event.pk}/"):
                response = getattr(api, method)(path, {"action": "deleted"}, format="json")
                assert response.status_code == 405, (method, path, response.status_code)
                assert response.json()["error"]["code"] == "MethodNotAllowed"
    assert list(AuditEvent.objects.order_by("id").values()) == before
    schema = alice_api.get("/api/schema/?format=json").json()["paths"]
    assert set(schema["/api/audit/"]) == {"get"} and set(schema["/api/audit/{event_id}/"]) == {"get"}


def test_users_read_the_events_of_their_own_objects_and_staff_all(
        alice_api: APIClient, bob: User, staff: User, flow: WorkflowTemplate) -> None:
    bob_api = client_for(bob)
    bob_flow = bob_api.post("/api/templates/", {"name": "bobs", "definition": PASS_DEFINITION},
                            format="json").json()
    assert [e["object_name"] for e in bob_api.get("/api/audit/").json()["results"]] == ["bobs", "bobs"]
    assert bob_api.get("/api/audit/", {"workflow": flow.pk}).json()["count"] == 0
    alice_event = AuditEvent.objects.filter(owner_id=flow.owner_id).first()
    assert bob_api.get(f"/api/audit/{alice_event.pk}/").status_code == 404
    assert alice_api.get("/api/audit/", {"workflow": bob_flow["id"]}).json()["count"] == 0
    # Staff acting on alice's workflow: the event is alice's to read too.
    staff_api = client_for(staff)
    assert staff_api.patch(f"/api/templates/{flow.pk}/", {"description": "by staff"}, format="json").status_code == 200
    latest = alice_api.get("/api/audit/").json()["results"][0]
    assert (latest["action"], latest["actor_name"], latest["object_name"]) == ("changed", "root", "nightly-etl")
    assert staff_api.get("/api/audit/").json()["count"] == AuditEvent.objects.count() == 7
    # Events about deleted objects stay readable by their owner.
    template_id = bob_flow["id"]
    assert bob_api.delete(f"/api/templates/{template_id}/").status_code == 204
    assert bob_api.get("/api/audit/", {"workflow": template_id, "action": "deleted"}).json()["count"] == 1


def test_scheduled_starts_appear_with_the_schedule_client(alice_api: APIClient, flow: WorkflowTemplate) -> None:
    with audit_context(client=AuditClient.SCHEDULE):
        execution_start(template=flow, name="sched-x")
    started = alice_api.get("/api/audit/", {"client": "schedule"}).json()["results"]
    assert [(e["action"], e["object_name"], e["actor_name"], e["workflow"]) for e in started] == [
        ("started", "nightly-etl:sched-x", "", flow.pk)]
    assert json.dumps(started)  # plain JSON


def test_events_recorded_with_only_a_workflow_id_in_their_details_belong_to_its_owner(
        alice_api: APIClient, bob: User, flow: WorkflowTemplate) -> None:
    """What other apps record by hand (e.g. published endpoints) is scoped like the rest."""
    event = audit_record(action="published", object_type="endpoint", object_id=5, object_name="hook",
                         details={"workflow_id": flow.pk})
    assert (event.owner_id, event.workflow_id) == (flow.owner_id, flow.pk)
    assert search(alice_api, object_type="endpoint", workflow=flow.pk) == [("published", "endpoint", "system")]
    assert client_for(bob).get("/api/audit/", {"object_type": "endpoint"}).json()["count"] == 0
