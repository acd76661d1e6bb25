"""The ownership matrix: another user's objects are invisible and untouchable through every
REST endpoint, ASW action and Step Functions operation; staff see everything."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from backend.api.wire import resources
from backend.executions.models import Execution, ExecutionStatus, TaskToken, TaskTokenStatus
from backend.executions.services import execution_create, token_issue
from backend.workflows.models import Function, RunRole, WorkflowTemplate
from tests.api.conftest import PASS_DEFINITION, SUM_SOURCE, client_for, grant
from tests.api.signing import asw_call, sfn_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice_things: dict[str, Any]) -> dict[str, Any]:
    """alice's role, function, workflow, a running execution and its waiting task token."""
    execution = execution_create(template=alice_things["template"], name="run-1").execution
    token = token_issue(execution=execution, state_entered_event_id=1, after_event_id=1, state_name="A")
    return {**alice_things, "execution": execution, "token": token.token}


def rest_calls(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    t, r, f, e = w["template"].pk, w["role"].pk, w["function"].pk, w["execution"].pk
    return [
        ("get", f"/api/templates/{t}/", None),
        ("patch", f"/api/templates/{t}/", {"description": "mine now"}),
        ("delete", f"/api/templates/{t}/", None),
        ("get", f"/api/templates/{t}/versions/", None),
        ("get", f"/api/templates/{t}/versions/1/", None),
        ("get", f"/api/roles/{r}/", None),
        ("patch", f"/api/roles/{r}/", {"allowed_resources": ["*"]}),
        ("delete", f"/api/roles/{r}/", None),
        ("get", f"/api/functions/{f}/", None),
        ("patch", f"/api/functions/{f}/", {"source": SUM_SOURCE + "# changed\n"}),
        ("delete", f"/api/functions/{f}/", None),
        ("post", f"/api/functions/{f}/invoke/", {"event": {"values": [1]}}),
        ("post", "/api/executions/", {"workflow": t, "name": "hijack"}),
        ("get", f"/api/executions/{e}/", None),
        ("post", f"/api/executions/{e}/stop/", {}),
        ("post", f"/api/executions/{e}/redrive/", {}),
        ("get", f"/api/executions/{e}/history/", None),
        ("post", "/api/templates/", {"name": "uses-alice-role", "definition": PASS_DEFINITION, "role_id": r}),
        ("post", "/api/tasks/success/", {"task_token": w["token"], "output": {}}),
        ("post", "/api/tasks/failure/", {"task_token": w["token"]}),
        ("post", "/api/tasks/heartbeat/", {"task_token": w["token"]}),
    ]


def assert_untouched(w: dict[str, Any]) -> None:
    template = WorkflowTemplate.objects.get(pk=w["template"].pk)
    assert template.description == "" and template.next_version_number == 2
    assert RunRole.objects.get(pk=w["role"].pk).allowed_resources == ["arn:aws:lambda:*:*:function:*"]
    assert Function.objects.get(pk=w["function"].pk).source == SUM_SOURCE
    assert Execution.objects.get(pk=w["execution"].pk).status == ExecutionStatus.RUNNING
    assert Execution.objects.count() == 1
    assert TaskToken.objects.get(token=w["token"]).status == TaskTokenStatus.WAITING
    assert not WorkflowTemplate.objects.filter(name="uses-alice-role").exists()


def test_rest_endpoints_hide_other_users_objects(world: dict[str, Any], bob: User) -> None:
    bob_api = client_for(grant(bob, "add_function", "change_function", "delete_function", "invoke_function"))
    for method, path, body in rest_calls(world):
        response = getattr(bob_api, method)(path, body, format="json")
        assert response.status_code == 404, (method, path, response.status_code, response.content)
        assert response.json()["error"]["code"] in {"StateMachineDoesNotExist", "ExecutionDoesNotExist",
                                                    "ResourceNotFound", "TaskDoesNotExist"}
    for path in ("/api/templates/", "/api/roles/", "/api/functions/", "/api/executions/"):
        assert bob_api.get(path).json()["count"] == 0, path
    assert_untouched(world)


def test_staff_see_everyones_objects(world: dict[str, Any], staff: User) -> None:
    staff_api = client_for(staff)
    assert staff_api.get(f"/api/templates/{world['template'].pk}/").status_code == 200
    assert staff_api.get(f"/api/executions/{world['execution'].pk}/history/").status_code == 200
    assert staff_api.get("/api/executions/").json()["count"] == 1


def test_owner_reaches_their_own_objects(world: dict[str, Any], alice_api: APIClient) -> None:
    for path in (f"/api/templates/{world['template'].pk}/", f"/api/roles/{world['role'].pk}/",
                 f"/api/functions/{world['function'].pk}/", f"/api/executions/{world['execution'].pk}/"):
        assert alice_api.get(path).status_code == 200, path


def test_asw_actions_hide_other_users_objects(world: dict[str, Any], client: Client, bob_keys: tuple[str, str]) -> None:
    flow = resources.flow_service_qrn(world["template"], "ap-guangzhou")
    run = resources.execution_qrn(world["execution"], "ap-guangzhou")
    calls = [
        ("DescribeFlowServiceDetail", {"FlowServiceResource": flow}),
        ("ModifyFlowService", {"FlowServiceResource": flow, "Definition": json.dumps(PASS_DEFINITION),
                               "FlowServiceName": "alice-flow", "FlowServiceChineseName": "x", "IsNewRole": False,
                               "Type": "STANDARD", "RoleResource": ""}),
        ("StartExecution", {"StateMachineResourceName": flow, "Name": "hijack"}),
        ("DescribeExecutions", {"StateMachineResourceName": flow, "PageSize": 10, "PageIndex": 1}),
        ("DescribeExecution", {"ExecutionResourceName": run}),
        ("DescribeExecutionHistory", {"ExecutionResourceName": run}),
        ("StopExecution", {"ExecutionQrn": run}),
    ]
    for action, params in calls:
        response = asw_call(client, action, params, bob_keys)
        assert response.get("Error", {}).get("Code") == "ResourceNotFound", (action, response)
    assert asw_call(client, "DescribeFlowServices", {}, bob_keys)["TotalCount"] == 0
    # A bare name resolves in the caller's own account only.
    bare = asw_call(client, "DescribeFlowServiceDetail", {"FlowServiceResource": "alice-flow"}, bob_keys)
    assert bare["Error"]["Code"] == "ResourceNotFound"
    assert_untouched(world)


def test_sfn_operations_hide_other_users_objects(world: dict[str, Any], client: Client,
                                                 bob_keys: tuple[str, str]) -> None:
    machine = resources.state_machine_arn(world["template"], "us-east-1")
    run = resources.execution_arn(world["execution"], "us-east-1")
    calls = [
        ("DescribeStateMachine", {"stateMachineArn": machine}, "StateMachineDoesNotExist"),
        ("UpdateStateMachine", {"stateMachineArn": machine, "definition": json.dumps(PASS_DEFINITION)},
         "StateMachineDoesNotExist"),
        ("StartExecution", {"stateMachineArn": machine, "name": "hijack"}, "StateMachineDoesNotExist"),
        ("StartSyncExecution", {"stateMachineArn": machine}, "StateMachineDoesNotExist"),
        ("ListExecutions", {"stateMachineArn": machine}, "StateMachineDoesNotExist"),
        ("DescribeExecution", {"executionArn": run}, "ExecutionDoesNotExist"),
        ("GetExecutionHistory", {"executionArn": run}, "ExecutionDoesNotExist"),
        ("StopExecution", {"executionArn": run}, "ExecutionDoesNotExist"),
        ("RedriveExecution", {"executionArn": run}, "ExecutionDoesNotExist"),
        ("SendTaskSuccess", {"taskToken": world["token"], "output": "{}"}, "TaskDoesNotExist"),
        ("SendTaskFailure", {"taskToken": world["token"]}, "TaskDoesNotExist"),
        ("SendTaskHeartbeat", {"taskToken": world["token"]}, "TaskDoesNotExist"),
    ]
    for operation, params, code in calls:
        status, body = sfn_call(client, operation, params, bob_keys)
        assert status == 400 and body["__type"] == code, (operation, body)
    status, body = sfn_call(client, "ListStateMachines", {}, bob_keys)
    assert status == 200 and body["stateMachines"] == []
    # Deleting someone else's machine answers like a missing one and deletes nothing.
    assert sfn_call(client, "DeleteStateMachine", {"stateMachineArn": machine}, bob_keys) == (200, {})
    assert_untouched(world)


def test_owner_can_answer_their_own_task_tokens(world: dict[str, Any], alice_api: APIClient) -> None:
    assert alice_api.post("/api/tasks/heartbeat/", {"task_token": world["token"]}, format="json").status_code == 200
    done = alice_api.post("/api/tasks/success/", {"task_token": world["token"], "output": {"r": 1}}, format="json")
    assert done.status_code == 200, done.content
    token = TaskToken.objects.get(token=world["token"])
    assert token.status == TaskTokenStatus.SUCCEEDED and json.loads(token.output) == {"r": 1}
    again = alice_api.post("/api/tasks/success/", {"task_token": world["token"], "output": {}}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "TaskTimedOut"
