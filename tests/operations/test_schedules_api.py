"""REST for schedules: CRUD, validation naming the field, next run times in a time zone,
pause/resume, past runs, ownership, and the audit trail of REST changes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from backend.audit.models import AuditEvent
from backend.executions.runner.api import execution_start
from backend.schedules.models import Schedule
from backend.schedules.services import schedules_tick
from backend.workflows.models import WorkflowTemplate
from backend.workflows.services import template_create
from tests.api.conftest import PASS_DEFINITION, alice, alice_api, bob, client_for, staff  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

CRON = {"kind": "cron", "cron_expression": "30 9 * * 1-5", "timezone": "America/New_York"}


@pytest.fixture
def flow(alice: User) -> WorkflowTemplate:
    return template_create(owner=alice, name="nightly-etl", definition=json.dumps(PASS_DEFINITION))


def create(api: APIClient, flow: WorkflowTemplate, **fields: Any) -> Any:
    return api.post("/api/schedules/", {"workflow": flow.pk, "name": "daily", **CRON, **fields}, format="json")


def error_of(response: Any) -> dict[str, Any]:
    return response.json()["error"]


def test_create_get_list_change_and_delete(alice_api: APIClient, flow: WorkflowTemplate) -> None:
    created = create(alice_api, flow, input={"day": "today"}, missed_run_policy="run_once")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {key: body[key] for key in ("name", "workflow", "workflow_name", "version", "kind", "cron_expression",
                                       "rate_seconds", "timezone", "enabled", "missed_run_policy")} == {
        "name": "daily", "workflow": flow.pk, "workflow_name": "nightly-etl", "version": None, "kind": "cron",
        "cron_expression": "30 9 * * 1-5", "rate_seconds": None, "timezone": "America/New_York", "enabled": True,
        "missed_run_policy": "run_once"}
    assert json.loads(body["input"]) == {"day": "today"} and len(body["next_runs"]) == 5
    schedule_id = body["id"]
    assert alice_api.get(f"/api/schedules/{schedule_id}/").json() == body
    listing = alice_api.get("/api/schedules/", {"workflow": flow.pk}).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == schedule_id
    assert alice_api.get("/api/schedules/", {"enabled": "false"}).json()["count"] == 0

    changed = alice_api.patch(f"/api/schedules/{schedule_id}/", {"kind": "rate", "rate_seconds": 3600, "version": 1},
                              format="json")
    assert changed.status_code == 200, changed.content
    changed = changed.json()
    assert (changed["kind"], changed["rate_seconds"], changed["cron_expression"], changed["version"]) == (
        "rate", 3600, "", 1)
    gaps = {b - a for a, b in zip(map(_parse, changed["next_runs"]), map(_parse, changed["next_runs"][1:]))}
    assert gaps == {timedelta(hours=1)}

    assert alice_api.delete(f"/api/schedules/{schedule_id}/").status_code == 204
    assert alice_api.get(f"/api/schedules/{schedule_id}/").status_code == 404
    assert not Schedule.objects.exists()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_next_runs_of_a_cron_in_a_time_zone_follow_its_daylight_saving_time(
        alice_api: APIClient, flow: WorkflowTemplate) -> None:
    # 09:30 New York on weekdays from Thursday 2030-03-07; clocks go forward on Sunday 2030-03-10.
    body = create(alice_api, flow, start_at="2030-03-07T00:00:00Z").json()
    assert body["next_runs"] == ["2030-03-07T14:30:00Z", "2030-03-08T14:30:00Z", "2030-03-11T13:30:00Z",
                                 "2030-03-12T13:30:00Z", "2030-03-13T13:30:00Z"]
    # An end time cuts the list short.
    short = alice_api.patch(f"/api/schedules/{body['id']}/", {"end_at": "2030-03-11T14:00:00Z"}, format="json").json()
    assert short["next_runs"] == body["next_runs"][:3]


@pytest.mark.parametrize("fields, field", [
    ({"cron_expression": "61 * * * *"}, "cron_expression"),
    ({"cron_expression": "every day"}, "cron_expression"),
    ({"cron_expression": ""}, "cron_expression"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"start_at": "2030-01-02T00:00:00Z", "end_at": "2030-01-01T00:00:00Z"}, "end_at"),
    ({"kind": "rate", "rate_seconds": 5}, "rate_seconds"),
    ({"kind": "rate"}, "rate_seconds"),
    ({"kind": "hourly"}, "kind"),
    ({"missed_run_policy": "run_twice"}, "missed_run_policy"),
    ({"version": 7}, "version"),
    ({"name": "bad name?"}, "name"),
    ({"start_at": "next tuesday"}, "start_at"),
    ({"kind": "rate", "rate_seconds": 60, "start_at": "9999-12-31T23:59:00Z"}, "start_at"),  # no overflow
    ({"cron_expression": "0 0 31 2 *"}, "cron_expression"),  # never fires
])
def test_invalid_schedules_are_refused_naming_the_field(alice_api: APIClient, flow: WorkflowTemplate,
                                                        fields: dict[str, Any], field: str) -> None:
    response = create(alice_api, flow, **fields)
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["field"] == field and error["code"] in {"ValidationException", "InvalidName"}, error
    assert not Schedule.objects.exists()


def test_invalid_changes_are_refused_naming_the_field_and_change_nothing(
        alice_api: APIClient, flow: WorkflowTemplate) -> None:
    schedule_id = create(alice_api, flow).json()["id"]
    for fields, field in [({"cron_expression": "* * *"}, "cron_expression"), ({"timezone": "Nowhere"}, "timezone"),
                          ({"start_at": "2030-01-02T00:00:00Z", "end_at": "2029-01-01T00:00:00Z"}, "end_at")]:
        response = alice_api.patch(f"/api/schedules/{schedule_id}/", fields, format="json")
        assert response.status_code == 400 and error_of(response)["field"] == field, response.content
    row = Schedule.objects.get(pk=schedule_id)
    assert (row.cron_expression, row.timezone, row.end_at) == ("30 9 * * 1-5", "America/New_York", None)


def test_a_name_is_used_once_per_workflow(alice_api: APIClient, flow: WorkflowTemplate) -> None:
    assert create(alice_api, flow).status_code == 201
    again = create(alice_api, flow)
    assert again.status_code == 409 and error_of(again)["code"] == "ResourceAlreadyExists"
    assert error_of(again)["field"] == "name"


def test_pause_and_resume(alice_api: APIClient, flow: WorkflowTemplate) -> None:
    schedule_id = create(alice_api, flow).json()["id"]
    paused = alice_api.post(f"/api/schedules/{schedule_id}/pause/")
    assert paused.status_code == 200 and paused.json()["enabled"] is False and paused.json()["next_runs"] == []
    assert alice_api.get("/api/schedules/", {"enabled": "false"}).json()["count"] == 1
    resumed = alice_api.post(f"/api/schedules/{schedule_id}/resume/").json()
    assert resumed["enabled"] is True and len(resumed["next_runs"]) == 5
    # PATCH can pause too.
    assert alice_api.patch(f"/api/schedules/{schedule_id}/", {"enabled": False}, format="json").json()["enabled"] is False


def test_runs_are_the_executions_the_schedule_started(alice_api: APIClient, flow: WorkflowTemplate) -> None:
    schedule_id = create(alice_api, flow, kind="rate", rate_seconds=60, cron_expression="").json()["id"]
    schedule = Schedule.objects.get(pk=schedule_id)
    first = schedule.next_tick_at
    schedules_tick(now=first + timedelta(seconds=1))
    schedules_tick(now=first + timedelta(seconds=61))
    execution_start(template=flow, name="by-hand")  # same workflow, not the schedule's
    runs = alice_api.get(f"/api/schedules/{schedule_id}/runs/").json()
    assert runs["count"] == 2
    assert [run["name"] for run in runs["results"]] == [
        f"sched-{schedule_id}-{(first + timedelta(seconds=60)):%Y%m%dT%H%M%SZ}",
        f"sched-{schedule_id}-{first:%Y%m%dT%H%M%SZ}"]
    assert {run["workflow_id"] for run in runs["results"]} == {flow.pk}
    assert alice_api.get(f"/api/schedules/{schedule_id}/runs/", {"limit": 1}).json()["next"]


def test_another_users_schedules_are_invisible_and_untouchable(
        alice_api: APIClient, flow: WorkflowTemplate, bob: User, staff: User) -> None:
    schedule_id = create(alice_api, flow).json()["id"]
    bob_api = client_for(bob)
    for method, path, body in [
        ("get", f"/api/schedules/{schedule_id}/", None),
        ("patch", f"/api/schedules/{schedule_id}/", {"cron_expression": "* * * * *"}),
        ("delete", f"/api/schedules/{schedule_id}/", None),
        ("post", f"/api/schedules/{schedule_id}/pause/", None),
        ("post", f"/api/schedules/{schedule_id}/resume/", None),
        ("get", f"/api/schedules/{schedule_id}/runs/", None),
        ("post", "/api/schedules/", {"workflow": flow.pk, "name": "hijack", **CRON}),
    ]:
        response = getattr(bob_api, method)(path, body, format="json")
        assert response.status_code == 404, (method, path, response.content)
        assert error_of(response)["code"] in {"ResourceNotFound", "StateMachineDoesNotExist"}
    assert bob_api.get("/api/schedules/").json()["count"] == 0
    row = Schedule.objects.get()
    assert (row.name, row.cron_expression, row.enabled) == ("daily", "30 9 * * 1-5", True)
    # Staff see and manage everyone's.
    staff_api = client_for(staff)
    assert staff_api.get("/api/schedules/").json()["count"] == 1
    assert staff_api.post(f"/api/schedules/{schedule_id}/pause/").json()["enabled"] is False
    # The owner of an unknown id and of a huge one: the same answer.
    assert alice_api.get("/api/schedules/999999/").status_code == 404
    assert alice_api.get(f"/api/schedules/{10**30}/").status_code == 404


def test_rest_changes_are_audited_with_the_actor_and_the_rest_client(
        alice_api: APIClient, flow: WorkflowTemplate) -> None:
    schedule_id = create(alice_api, flow).json()["id"]
    alice_api.patch(f"/api/schedules/{schedule_id}/", {"timezone": "Europe/Paris"}, format="json")
    alice_api.post(f"/api/schedules/{schedule_id}/pause/")
    alice_api.delete(f"/api/schedules/{schedule_id}/")
    trail = [(e.action, e.client, e.actor_name, e.workflow_id, e.owner_id)
             for e in AuditEvent.objects.filter(object_type="schedule").order_by("id")]
    assert trail == [(action, "rest", "alice", flow.pk, flow.owner_id)
                     for action in ("created", "changed", "changed", "deleted")]


def test_the_schema_describes_the_schedule_endpoints(alice_api: APIClient) -> None:
    paths = alice_api.get("/api/schema/?format=json").json()["paths"]
    assert {"/api/schedules/", "/api/schedules/{schedule_id}/", "/api/schedules/{schedule_id}/pause/",
            "/api/schedules/{schedule_id}/resume/", "/api/schedules/{schedule_id}/runs/"} <= set(paths)
    listing = paths["/api/schedules/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing["$ref"].endswith("PaginatedScheduleOutputList")
