"""The REST API: templates, versions, roles, functions, executions, history, validation, errors."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from backend.engine.journal import Event
from backend.executions.models import Execution, ExecutionStatus
from backend.executions.services import execution_create, history_append
from backend.workflows.services import template_create
from tests.api.conftest import PASS_DEFINITION, SUM_SOURCE, client_for, grant

pytestmark = pytest.mark.django_db

BROKEN_DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]


# --- templates and versions ----------------------------------------------------------------


def test_template_create_get_update_makes_versions(alice_api: APIClient) -> None:
    created = alice_api.post("/api/templates/", {"name": "flow", "definition": PASS_DEFINITION}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "flow" and body["type"] == "STANDARD" and body["latest_version"] == 1
    template_id = body["id"]
    changed = {**PASS_DEFINITION, "Comment": "v2"}
    updated = alice_api.patch(f"/api/templates/{template_id}/", {"definition": json.dumps(changed)}, format="json")
    assert updated.status_code == 200 and updated.json()["latest_version"] == 2
    versions = alice_api.get(f"/api/templates/{template_id}/versions/").json()
    assert [v["number"] for v in versions["results"]] == [2, 1]
    first = alice_api.get(f"/api/templates/{template_id}/versions/1/").json()
    assert json.loads(first["definition"]) == PASS_DEFINITION
    assert error_of(alice_api.get(f"/api/templates/{template_id}/versions/9/"))["code"] == "StateMachineDoesNotExist"


def test_invalid_definition_names_the_pointer(alice_api: APIClient) -> None:
    response = alice_api.post("/api/templates/", {"name": "bad", "definition": BROKEN_DEFINITION}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "InvalidDefinition"
    assert error["pointer"] == "/States/A/Next"
    assert any(d["location"] == "/States/A/Next" for d in error["details"])


def test_duplicate_name_and_type_change_are_refused(alice_api: APIClient) -> None:
    first = alice_api.post("/api/templates/", {"name": "flow", "definition": PASS_DEFINITION}, format="json").json()
    again = alice_api.post("/api/templates/", {"name": "flow", "definition": PASS_DEFINITION}, format="json")
    assert again.status_code == 409 and error_of(again)["code"] == "StateMachineAlreadyExists"
    retype = alice_api.patch(f"/api/templates/{first['id']}/", {"type": "EXPRESS"}, format="json")
    assert retype.status_code == 400 and "cannot be changed" in error_of(retype)["message"]


def test_template_list_filters_and_orders(alice_api: APIClient) -> None:
    for name, kind in (("b-flow", "STANDARD"), ("a-flow", "EXPRESS"), ("c-other", "STANDARD")):
        alice_api.post("/api/templates/", {"name": name, "definition": PASS_DEFINITION, "type": kind}, format="json")
    names = [t["name"] for t in alice_api.get("/api/templates/?ordering=-name").json()["results"]]
    assert names == ["c-other", "b-flow", "a-flow"]
    assert [t["name"] for t in alice_api.get("/api/templates/?type=EXPRESS").json()["results"]] == ["a-flow"]
    assert [t["name"] for t in alice_api.get("/api/templates/?name=flow").json()["results"]] == ["a-flow", "b-flow"]
    assert alice_api.get("/api/templates/?limit=1").json()["count"] == 3
    assert error_of(alice_api.get("/api/templates/?ordering=owner"))["field"] == "ordering"


def test_template_delete_refuses_while_executions_run(alice_api: APIClient, alice_things: dict[str, Any]) -> None:
    template = alice_things["template"]
    execution = execution_create(template=template, name="run-1").execution
    refused = alice_api.delete(f"/api/templates/{template.pk}/")
    assert refused.status_code == 409 and error_of(refused)["code"] == "ResourceInUse"
    Execution.objects.filter(pk=execution.pk).update(status=ExecutionStatus.SUCCEEDED)
    assert alice_api.delete(f"/api/templates/{template.pk}/").status_code == 204
    assert alice_api.get(f"/api/templates/{template.pk}/").status_code == 404


# --- roles and functions -------------------------------------------------------------------


def test_roles_crud(alice_api: APIClient) -> None:
    role = alice_api.post("/api/roles/", {"name": "r1", "allowed_resources": ["arn:aws:lambda:*"]}, format="json").json()
    patched = alice_api.patch(f"/api/roles/{role['id']}/", {"allowed_resources": []}, format="json").json()
    assert patched["allowed_resources"] == []
    bad = alice_api.post("/api/roles/", {"name": "r2", "allowed_resources": [""]}, format="json")
    assert bad.status_code == 400
    assert alice_api.delete(f"/api/roles/{role['id']}/").status_code == 204


def test_writing_function_code_needs_its_own_permission(alice: User) -> None:
    plain = client_for(alice)
    payload = {"name": "sum", "source": SUM_SOURCE}
    refused = plain.post("/api/functions/", payload, format="json")
    assert refused.status_code == 403 and "workflows.add_function" in error_of(refused)["message"]
    writer = client_for(grant(alice, "add_function", "change_function"))
    created = writer.post("/api/functions/", payload, format="json")
    assert created.status_code == 201, created.content
    bad_source = writer.patch(f"/api/functions/{created.json()['id']}/", {"source": "def handler(:"}, format="json")
    assert bad_source.status_code == 400 and error_of(bad_source)["message"].startswith("source:")
    # Writing does not give the right to call.
    assert writer.post(f"/api/functions/{created.json()['id']}/invoke/", {}, format="json").status_code == 403
    # Reading one's own functions needs neither.
    assert plain.get("/api/functions/").json()["count"] == 1


# --- executions and history ----------------------------------------------------------------


def test_execution_list_filters_orders_and_pages(alice_api: APIClient, alice_things: dict[str, Any]) -> None:
    template = alice_things["template"]
    now = timezone.now()
    for index, status in enumerate([ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.SUCCEEDED]):
        execution = execution_create(template=template, name=f"run-{index}", now=now - timedelta(hours=3 - index))
        Execution.objects.filter(pk=execution.execution.pk).update(status=status)
    listed = alice_api.get("/api/executions/").json()
    assert [e["name"] for e in listed["results"]] == ["run-2", "run-1", "run-0"]
    assert [e["name"] for e in alice_api.get("/api/executions/?ordering=started_at").json()["results"]][0] == "run-0"
    assert [e["name"] for e in alice_api.get("/api/executions/?status=FAILED").json()["results"]] == ["run-1"]
    after = (now - timedelta(hours=1, minutes=30)).isoformat()
    window = alice_api.get("/api/executions/", {"started_after": after}).json()
    assert [e["name"] for e in window["results"]] == ["run-2"]
    page = alice_api.get("/api/executions/?limit=2&offset=2").json()
    assert page["count"] == 3 and [e["name"] for e in page["results"]] == ["run-0"]
    other = template_create(owner=template.owner, name="other", definition=json.dumps(PASS_DEFINITION))
    assert alice_api.get(f"/api/executions/?workflow={other.pk}").json()["count"] == 0
    assert error_of(alice_api.get("/api/executions/?status=DONE"))["field"] == "status"


def test_history_pages_by_event_id(alice_api: APIClient, alice_things: dict[str, Any]) -> None:
    execution = execution_create(template=alice_things["template"], name="run").execution
    history_append(execution_id=execution.pk, events=[
        Event(i, i - 1, 1_700_000_000.0 + i, "PassStateEntered", {"name": "A", "input": {"i": i}}) for i in range(1, 6)
    ])
    first = alice_api.get(f"/api/executions/{execution.pk}/history/?limit=2").json()
    assert [e["id"] for e in first["events"]] == [1, 2] and first["next_after"] == 2
    assert first["events"][0]["details"] == {"name": "A", "input": {"i": 1}}
    rest = alice_api.get(f"/api/executions/{execution.pk}/history/?after=2&limit=10").json()
    assert [e["id"] for e in rest["events"]] == [3, 4, 5] and rest["next_after"] is None


def test_start_execution_goes_through_the_runner(alice_api: APIClient, alice_things: dict[str, Any]) -> None:
    template = alice_things["template"]
    started = alice_api.post("/api/executions/", {"workflow": template.pk, "name": "r1", "input": {"a": 1}}, format="json")
    assert started.status_code == 201, started.content
    assert started.json()["status"] == "RUNNING" and json.loads(started.json()["input"]) == {"a": 1}
    conflict = alice_api.post("/api/executions/", {"workflow": template.pk, "name": "r1", "input": {"a": 2}}, format="json")
    assert conflict.status_code == 409 and error_of(conflict)["code"] == "ExecutionAlreadyExists"
    stopped = alice_api.post(f"/api/executions/{started.json()['id']}/stop/", {"error": "E", "cause": "c"}, format="json")
    assert stopped.status_code == 200 and stopped.json()["status"] == "ABORTED"
    missing = alice_api.post("/api/executions/", {"workflow": 999999}, format="json")
    assert missing.status_code == 404 and error_of(missing)["code"] == "StateMachineDoesNotExist"


def test_express_executions_run_within_the_request(alice_api: APIClient) -> None:
    created = alice_api.post("/api/templates/", {"name": "fast", "definition": PASS_DEFINITION, "type": "EXPRESS"},
                             format="json").json()
    started = alice_api.post("/api/executions/", {"workflow": created["id"], "input": {"a": 1}}, format="json")
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["status"] == "SUCCEEDED" and json.loads(body["output"]) == {"ok": True} and body["type"] == "EXPRESS"
    assert alice_api.get(f"/api/executions/{body['id']}/").json()["status"] == "SUCCEEDED"


def test_task_callbacks_answer_step_functions_errors(alice_api: APIClient) -> None:
    bad = alice_api.post("/api/tasks/success/", {"task_token": "short", "output": {}}, format="json")
    assert error_of(bad)["code"] == "InvalidToken"
    unknown = alice_api.post("/api/tasks/heartbeat/", {"task_token": "A" * 64}, format="json")
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "TaskDoesNotExist"


# --- validation ---------------------------------------------------------------------------


def test_validate_returns_the_engine_diagnostics(alice_api: APIClient) -> None:
    ok = alice_api.post("/api/validate/", {"definition": PASS_DEFINITION}, format="json").json()
    assert ok == {"result": "OK", "diagnostics": [], "truncated": False}
    failed = alice_api.post("/api/validate/", {"definition": json.dumps(BROKEN_DEFINITION)}, format="json").json()
    assert failed["result"] == "FAIL"
    assert failed["diagnostics"][0]["location"] == "/States/A/Next"
    assert failed["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"


# --- malformed requests: one error format, never a 500 -------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("post", "/api/templates/", b"{not json", "application/json"),
        ("post", "/api/templates/", b"[1, 2]", "application/json"),
        ("post", "/api/templates/", b'"just a string"', "application/json"),
        ("post", "/api/templates/", b'{"name": 5, "definition": 7}', "application/json"),
        ("post", "/api/templates/", b'{"name": "x", "definition": "{", "type": "BATCH"}', "application/json"),
        ("post", "/api/templates/", b"name=x", "application/x-www-form-urlencoded"),
        ("post", "/api/executions/", b'{"workflow": "abc"}', "application/json"),
        ("post", "/api/executions/", b'{"workflow": 99999999999999999999999}', "application/json"),
        ("post", "/api/validate/", b'{"definition": 12}', "application/json"),
        ("post", "/api/validate/", b'{"definition": {}, "strict": "maybe"}', "application/json"),
        ("patch", "/api/templates/1/", b'{"role_id": "x"}', "application/json"),
        ("get", "/api/executions/?started_after=yesterday", b"", "application/json"),
        ("get", "/api/executions/1/history/?limit=-5", b"", "application/json"),
        ("post", "/api/tasks/failure/", b'{"task_token": ["a"]}', "application/json"),
        ("delete", "/api/templates/", b"", "application/json"),
    ],
)
def test_malformed_requests_get_a_client_error_in_one_format(
    alice_api: APIClient, alice_things: dict[str, Any], method: str, path: str, body: bytes, content_type: str
) -> None:
    response = getattr(alice_api, method)(path, data=body, content_type=content_type)
    assert 400 <= response.status_code < 500, (response.status_code, response.content)
    error_of(response)


def test_huge_bodies_are_refused_before_parsing(alice_api: APIClient) -> None:
    body = b'{"definition": "' + b"x" * 3_000_000 + b'"}'
    response = alice_api.post("/api/validate/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "PayloadTooLarge"


def test_openapi_schema_and_docs_are_served(alice_api: APIClient) -> None:
    schema = alice_api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {"/api/templates/", "/api/executions/{execution_id}/history/", "/api/validate/"} <= set(paths)
    docs = alice_api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    # Swagger UI is served by this server, not a CDN.
    assert b"cdn.jsdelivr" not in docs.content and b"/static/drf_spectacular_sidecar/" in docs.content
