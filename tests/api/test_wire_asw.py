"""The ASW action API: requests signed by the official Tencent SDK, its shapes and its errors."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from backend.executions.models import Execution, ExecutionStatus
from tests.api.conftest import PASS_DEFINITION
from tests.api.signing import asw_call, send_tc3, tc3_signed, tc3_signed_raw

pytestmark = pytest.mark.django_db


def error_code(response: dict[str, Any]) -> str:
    return response["Error"]["Code"]


def create_flow(client: Client, keys: tuple[str, str], name: str = "flow", **extra: Any) -> dict[str, Any]:
    params = {"FlowServiceName": name, "Definition": json.dumps(PASS_DEFINITION), "IsNewRole": False,
              "Type": "STANDARD", "FlowServiceChineseName": "流程", "Input": '{"x": 1}', **extra}
    return asw_call(client, "CreateFlowService", params, keys)


def test_create_describe_list_modify(client: Client, alice_keys: tuple[str, str]) -> None:
    created = create_flow(client, alice_keys, Description="d")
    qrn = created["FlowServiceResource"]
    assert qrn.startswith("qrn:qcs:asw:ap-guangzhou:") and qrn.endswith(":stateMachine:flow")
    assert created["CreateDate"].isdigit() and abs(int(created["CreateDate"]) - time.time()) < 60
    assert created["RequestId"]
    detail = asw_call(client, "DescribeFlowServiceDetail", {"FlowServiceResource": qrn}, alice_keys)
    assert detail["FlowServiceName"] == "flow" and detail["Status"] == "Online" and detail["Type"] == "STANDARD"
    assert detail["FlowServiceChineseName"] == "流程" and detail["FlowInput"] == '{"x": 1}'
    assert json.loads(detail["Definition"]) == PASS_DEFINITION
    listed = asw_call(client, "DescribeFlowServices", {"Filters": [{"Name": "Type", "Values": ["STANDARD"]}]}, alice_keys)
    assert listed["TotalCount"] == 1 and listed["FlowServiceSet"][0]["FlowServiceResource"] == qrn
    changed = json.dumps({**PASS_DEFINITION, "Comment": "v2"})
    modified = asw_call(client, "ModifyFlowService", {
        "FlowServiceResource": qrn, "Definition": changed, "FlowServiceName": "flow",
        "FlowServiceChineseName": "新", "IsNewRole": False, "Type": "STANDARD", "RoleResource": ""}, alice_keys)
    assert modified["FlowServiceResource"] == qrn and modified["UpdateDate"].isdigit()
    assert asw_call(client, "DescribeFlowServiceDetail", {"FlowServiceResource": qrn}, alice_keys)["Definition"] == changed


def test_is_new_role_creates_a_role_allowing_the_definitions_resources(client: Client, alice_keys: tuple[str, str]) -> None:
    from backend.workflows.models import RunRole

    resource = "qrn:qcs:asw:ap-guangzhou:1:sdk:json:qcloud:scf:Invoke/sum"
    definition = {"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": resource, "End": True}}}
    asw_call(client, "CreateFlowService", {"FlowServiceName": "f", "Definition": json.dumps(definition),
                                           "IsNewRole": True, "Type": "STANDARD",
                                           "RoleResource": "qcs::cam::uin/1:roleName/made"}, alice_keys)
    assert RunRole.objects.get(name="made").allowed_resources == [resource]


def test_executions_describe_list_history_stop(client: Client, alice_keys: tuple[str, str]) -> None:
    qrn = create_flow(client, alice_keys)["FlowServiceResource"]
    started = asw_call(client, "StartExecution", {"StateMachineResourceName": qrn, "Input": '{"a": 1}', "Name": "r1"},
                       alice_keys)
    exec_qrn = started["ExecutionResourceName"]
    assert exec_qrn.endswith(":execution:flow:r1") and started["StartDate"].isdigit()
    described = asw_call(client, "DescribeExecution", {"ExecutionResourceName": exec_qrn}, alice_keys)
    assert described["Status"] == "RUNNING" and described["StopDate"] == "0" and described["Input"] == '{"a": 1}'
    assert json.loads(described["ExecutionDefinition"]) == PASS_DEFINITION
    listed = asw_call(client, "DescribeExecutions", {"StateMachineResourceName": qrn, "PageSize": 10, "PageIndex": 1},
                      alice_keys)
    assert listed["TotalCount"] == 1 and listed["Executions"][0]["ExecutionResourceName"] == exec_qrn
    none = asw_call(client, "DescribeExecutions", {"StateMachineResourceName": qrn, "PageSize": 10, "PageIndex": 1,
                                                   "FilterExecutionStatus": "SUCCEED"}, alice_keys)
    assert none["TotalCount"] == 0
    assert asw_call(client, "StopExecution", {"ExecutionQrn": exec_qrn}, alice_keys).keys() == {"RequestId"}
    stopped = asw_call(client, "DescribeExecution", {"ExecutionResourceName": exec_qrn}, alice_keys)
    assert stopped["Status"] == "TERMINATED" and stopped["StopDate"] != "0"
    history = asw_call(client, "DescribeExecutionHistory", {"ExecutionResourceName": exec_qrn}, alice_keys)["Events"]
    assert history[-1]["EventCategory"] == "ExecutionTerminate" and history[-1]["StepName"] == "END"


def test_history_maps_step_functions_events(client: Client, alice_keys: tuple[str, str]) -> None:
    from backend.engine.journal import Event
    from backend.executions.services import history_append

    qrn = create_flow(client, alice_keys)["FlowServiceResource"]
    exec_qrn = asw_call(client, "StartExecution", {"StateMachineResourceName": qrn, "Name": "r"},
                        alice_keys)["ExecutionResourceName"]
    execution = Execution.objects.get(name="r")
    history_append(execution_id=execution.pk, events=[
        Event(1, 0, 1_700_000_000.5, "ExecutionStarted", {"input": {"a": 1}}),
        Event(2, 1, 1_700_000_001.0, "PassStateEntered", {"name": "A", "input": {"a": 1}}),
        Event(3, 2, 1_700_000_001.0, "PassStateExited", {"name": "A", "output": {"ok": True}}),
        Event(4, 3, 1_700_000_002.0, "ExecutionFailed", {"error": "E", "cause": "C"}),
    ])
    Execution.objects.filter(pk=execution.pk).update(status=ExecutionStatus.FAILED)
    events = asw_call(client, "DescribeExecutionHistory", {"ExecutionResourceName": exec_qrn}, alice_keys)["Events"]
    assert [(e["EventId"], e["EventCategory"], e["StepName"]) for e in events] == [
        (1, "ExecutionStart", "START"), (2, "PassNodeEnter", "A"), (3, "PassNodeExit", "A"), (4, "ExecutionFail", "END")]
    assert events[0]["Timestamp"] == "1700000000500" and json.loads(events[2]["Content"]) == {"ok": True}
    assert json.loads(events[3]["Exception"]) == {"Error": "E", "Cause": "C"}


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("CreateFlowService", {"FlowServiceName": "x"}, "MissingParameter"),
        ("CreateFlowService", {"FlowServiceName": "x", "Definition": "{", "IsNewRole": False, "Type": "STANDARD"},
         "InvalidParameterValue"),
        ("CreateFlowService", {"FlowServiceName": 5, "Definition": "{}", "IsNewRole": False, "Type": "STANDARD"},
         "InvalidParameterValue"),
        ("CreateFlowService", {"FlowServiceName": "x", "Definition": "{}", "IsNewRole": "no", "Type": "STANDARD"},
         "InvalidParameterValue"),
        ("DescribeFlowServiceDetail", {"FlowServiceResource": "nope"}, "ResourceNotFound"),
        ("DescribeFlowServiceDetail", {"FlowServiceResource": "qrn:qcs:asw:r:1:bogus"}, "InvalidParameterValue"),
        ("DescribeFlowServices", {"Limit": 1000}, "InvalidParameterValue"),
        ("DescribeFlowServices", {"Filters": "all"}, "InvalidParameterValue"),
        ("DescribeExecution", {"ExecutionResourceName": "qrn:qcs:asw:r:1:execution:a:b"}, "ResourceNotFound"),
        ("DescribeExecution", {"ExecutionResourceName": "qrn:qcs:asw:r:99999999999999999:execution:a:b:99999999999999999999999"}, "InvalidParameterValue"),
        ("DescribeExecutions", {"StateMachineResourceName": "flow"}, "MissingParameter"),
        ("StartExecution", {"StateMachineResourceName": "flow", "Input": "[1]"}, "InvalidParameterValue"),
        ("StartExecution", {"StateMachineResourceName": "flow", "Input": "{"}, "InvalidParameterValue"),
        ("StopExecution", {}, "MissingParameter"),
        ("DeleteEverything", {}, "InvalidAction"),
    ],
)
def test_bad_requests_get_asw_error_codes(client: Client, alice_keys: tuple[str, str], action: str,
                                          params: dict[str, Any], code: str) -> None:
    create_flow(client, alice_keys)
    assert error_code(asw_call(client, action, params, alice_keys)) == code


def signed_describe(keys: tuple[str, str]) -> tuple[dict[str, str], str]:
    return tc3_signed("DescribeFlowServices", {}, *keys)


def test_signature_failures_answer_the_right_auth_codes(client: Client, alice_keys: tuple[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def code_of(headers: dict[str, str], body: str | bytes) -> str:
        response = send_tc3(client, headers, body)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        return response.json()["Response"]["Error"]["Code"]

    headers, body = signed_describe(alice_keys)
    assert "Error" not in send_tc3(client, headers, body).json()["Response"]
    assert code_of({**headers, "Authorization": "SKIP"}, body) == "AuthFailure.InvalidAuthorization"
    assert code_of({k: v for k, v in headers.items() if k != "Authorization"}, body) == "AuthFailure.InvalidAuthorization"
    assert code_of(signed_describe(("AKIDunknown", "whatever"))[0], body) == "AuthFailure.SecretIdNotFound"
    assert code_of(signed_describe((alice_keys[0], "wrong-key"))[0], body) == "AuthFailure.SignatureFailure"
    assert code_of(headers, body.replace("{}", '{"Limit": 1}') if body != "{}" else '{"Limit": 1}') == \
        "AuthFailure.SignatureFailure"
    assert code_of({**headers, "Host": "localhost"}, body) == "AuthFailure.SignatureFailure"
    assert code_of({**headers, "X-TC-Token": "tok"}, body) == "AuthFailure.TokenFailure"
    # Signed ten minutes ago with the SDK's own clock: expired.
    real_time = time.time
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: real_time() - 600)
        old_headers, old_body = signed_describe(alice_keys)
    assert code_of(old_headers, old_body) == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize("raw", ["{not json", "[1,2]", '"x"', b"\xff\xfe{", '{"Limit": "ten"}', '{"Offset": -1}',
                                 '{"Filters": [{"Name": "Type", "Values": [1]}]}'])
def test_malformed_bodies_signed_correctly_get_parameter_errors(client: Client, alice_keys: tuple[str, str],
                                                                raw: str | bytes) -> None:
    headers = tc3_signed_raw("DescribeFlowServices", raw, *alice_keys)
    response = send_tc3(client, headers, raw)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["Response"]["Error"]["Code"] in {"InvalidParameter", "InvalidParameterValue"}


def test_huge_body_is_a_protocol_error(client: Client, alice_keys: tuple[str, str]) -> None:
    headers, _ = tc3_signed("DescribeFlowServices", {}, *alice_keys)
    response = send_tc3(client, headers, '{"x": "' + "y" * 3_000_000 + '"}')
    assert response.status_code == 200
    assert response.json()["Response"]["Error"]["Code"] == "RequestSizeLimitExceeded"


def test_get_root_still_serves_the_landing_page(client: Client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.FRONTEND_DIST_DIR = tmp_path / "no-dist"  # the static page, whether or not the UI is built
    response = client.get("/")
    assert response.status_code == 200 and b"Workflow orchestrator" in response.content
    assert client.post("/").status_code == 405
