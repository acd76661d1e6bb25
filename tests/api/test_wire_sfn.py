"""The Step Functions wire API: botocore-signed requests, shapes, errors, SigV4 failures."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from backend.api.wire.signatures import SignatureProblem, verify_sigv4
from backend.executions.models import Execution, ExecutionStatus
from tests.api.conftest import PASS_DEFINITION
from tests.api.signing import send_sigv4, sfn_call, sigv4_signed

pytestmark = pytest.mark.django_db
ROLE = "arn:aws:iam::123456789012:role/alice-role"


def ok(client: Client, keys: tuple[str, str], operation: str, **params: Any) -> dict[str, Any]:
    status, body = sfn_call(client, operation, params, keys)
    assert status == 200, body
    return body


def failed(client: Client, keys: tuple[str, str], operation: str, **params: Any) -> tuple[int, str]:
    status, body = sfn_call(client, operation, params, keys)
    assert status >= 400 and set(body) == {"__type", "message"}, body
    return status, body["__type"]


def test_state_machine_lifecycle(client: Client, alice_keys: tuple[str, str]) -> None:
    created = ok(client, alice_keys, "CreateStateMachine", name="sm", definition=json.dumps(PASS_DEFINITION), roleArn=ROLE)
    arn = created["stateMachineArn"]
    assert arn.startswith("arn:aws:states:us-east-1:") and arn.endswith(":stateMachine:sm")
    assert isinstance(created["creationDate"], float)
    described = ok(client, alice_keys, "DescribeStateMachine", stateMachineArn=arn)
    assert described["status"] == "ACTIVE" and described["type"] == "STANDARD" and described["name"] == "sm"
    assert json.loads(described["definition"]) == PASS_DEFINITION
    assert failed(client, alice_keys, "CreateStateMachine", name="sm", definition=json.dumps(PASS_DEFINITION),
                  roleArn=ROLE)[1] == "StateMachineAlreadyExists"
    updated = ok(client, alice_keys, "UpdateStateMachine", stateMachineArn=arn,
                 definition=json.dumps({**PASS_DEFINITION, "Comment": "2"}))
    assert updated["revisionId"] == "2" and isinstance(updated["updateDate"], float)
    for index in range(3):
        ok(client, alice_keys, "CreateStateMachine", name=f"more-{index}", definition=json.dumps(PASS_DEFINITION),
           roleArn=ROLE)
    first = ok(client, alice_keys, "ListStateMachines", maxResults=3)
    second = ok(client, alice_keys, "ListStateMachines", maxResults=3, nextToken=first["nextToken"])
    names = [m["name"] for m in first["stateMachines"] + second["stateMachines"]]
    assert names == ["more-0", "more-1", "more-2", "sm"] and "nextToken" not in second
    assert ok(client, alice_keys, "DeleteStateMachine", stateMachineArn=arn) == {}
    assert failed(client, alice_keys, "DescribeStateMachine", stateMachineArn=arn)[1] == "StateMachineDoesNotExist"


def test_invalid_definition_message_has_the_pointer(client: Client, alice_keys: tuple[str, str]) -> None:
    broken = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}
    status, body = sfn_call(client, "CreateStateMachine", {"name": "x", "definition": json.dumps(broken), "roleArn": ROLE},
                            alice_keys)
    assert status == 400 and body["__type"] == "InvalidDefinition"
    assert body["message"].startswith("Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET")
    assert "at /States/A/Next" in body["message"]
    report = ok(client, alice_keys, "ValidateStateMachineDefinition", definition=json.dumps(broken))
    assert report["result"] == "FAIL" and report["diagnostics"][0]["location"] == "/States/A/Next"


def test_executions(client: Client, alice_keys: tuple[str, str]) -> None:
    from backend.engine.journal import Event
    from backend.executions.services import history_append

    arn = ok(client, alice_keys, "CreateStateMachine", name="sm", definition=json.dumps(PASS_DEFINITION),
             roleArn=ROLE)["stateMachineArn"]
    started = ok(client, alice_keys, "StartExecution", stateMachineArn=arn, name="r1", input='{"a": 1}')
    exec_arn = started["executionArn"]
    assert exec_arn.endswith(":execution:sm:r1") and isinstance(started["startDate"], float)
    # Idempotent by name, as AWS (a retried POST).
    assert ok(client, alice_keys, "StartExecution", stateMachineArn=arn, name="r1", input='{"a": 1}') == started
    assert failed(client, alice_keys, "StartExecution", stateMachineArn=arn, name="r1",
                  input='{"a": 2}')[1] == "ExecutionAlreadyExists"
    described = ok(client, alice_keys, "DescribeExecution", executionArn=exec_arn)
    assert described["status"] == "RUNNING" and described["input"] == '{"a": 1}' and "stopDate" not in described
    execution = Execution.objects.get(name="r1")
    history_append(execution_id=execution.pk, events=[
        Event(i, i - 1, 1_700_000_000.0 + i, "PassStateEntered", {"name": "A", "input": {"i": i}}) for i in range(1, 6)])
    page = ok(client, alice_keys, "GetExecutionHistory", executionArn=exec_arn, maxResults=2)
    assert [e["id"] for e in page["events"]] == [1, 2] and page["events"][0]["timestamp"] == 1_700_000_001.0
    assert json.loads(page["events"][0]["stateEnteredEventDetails"]["input"]) == {"i": 1}
    rest = ok(client, alice_keys, "GetExecutionHistory", executionArn=exec_arn, nextToken=page["nextToken"])
    assert [e["id"] for e in rest["events"]] == [3, 4, 5]
    backwards = ok(client, alice_keys, "GetExecutionHistory", executionArn=exec_arn, reverseOrder=True, maxResults=1)
    assert backwards["events"][0]["id"] == 5
    listed = ok(client, alice_keys, "ListExecutions", stateMachineArn=arn, statusFilter="RUNNING")
    assert [e["executionArn"] for e in listed["executions"]] == [exec_arn]
    stopped = ok(client, alice_keys, "StopExecution", executionArn=exec_arn, error="Why", cause="because")
    assert isinstance(stopped["stopDate"], float)
    assert Execution.objects.get(pk=execution.pk).status == ExecutionStatus.ABORTED
    assert ok(client, alice_keys, "ListExecutions", stateMachineArn=arn, statusFilter="RUNNING")["executions"] == []


def test_start_sync_execution_runs_express_workflows(client: Client, alice_keys: tuple[str, str]) -> None:
    arn = ok(client, alice_keys, "CreateStateMachine", name="ex", definition=json.dumps(PASS_DEFINITION),
             roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    result = ok(client, alice_keys, "StartSyncExecution", stateMachineArn=arn, input="{}")
    assert result["status"] == "SUCCEEDED" and json.loads(result["output"]) == {"ok": True}
    assert ":express:ex:" in result["executionArn"]
    standard = ok(client, alice_keys, "CreateStateMachine", name="std", definition=json.dumps(PASS_DEFINITION),
                  roleArn=ROLE)["stateMachineArn"]
    assert failed(client, alice_keys, "StartSyncExecution", stateMachineArn=standard)[1] == "StateMachineTypeNotSupported"


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        ("DescribeStateMachine", {}, "ValidationException"),
        ("DescribeStateMachine", {"stateMachineArn": "not-an-arn"}, "InvalidArn"),
        ("DescribeStateMachine", {"stateMachineArn": 7}, "ValidationException"),
        ("DescribeExecution", {"executionArn": "arn:aws:states:us-east-1:1:execution:a"}, "InvalidArn"),
        ("DescribeExecution", {"executionArn": "arn:aws:states:us-east-1:1:execution:a:b"}, "ExecutionDoesNotExist"),
        ("DescribeExecution", {"executionArn": "arn:aws:states:r:1:express:a:b:999999999999999999999999"},
         "ExecutionDoesNotExist"),
        ("CreateStateMachine", {"name": "a b", "definition": "{}", "roleArn": ROLE}, "InvalidName"),
        ("CreateStateMachine", {"name": "t", "definition": "{}", "roleArn": ROLE, "type": "BATCH"},
         "StateMachineTypeNotSupported"),
        ("CreateStateMachine", {"name": "t", "definition": "{}", "roleArn": "role"}, "InvalidArn"),
        ("ListStateMachines", {"nextToken": "%%%"}, "InvalidToken"),
        ("ListStateMachines", {"maxResults": "ten"}, "ValidationException"),
        ("StartExecution", {"stateMachineArn": "arn:aws:states:r:1:stateMachine:x", "input": "{"}, "InvalidExecutionInput"),
        ("SendTaskSuccess", {"taskToken": "x", "output": "{}"}, "InvalidToken"),
        ("SendTaskHeartbeat", {"taskToken": "A" * 64}, "TaskDoesNotExist"),
        ("UpdateStateMachine", {"stateMachineArn": "arn:aws:states:r:1:stateMachine:x"}, "MissingRequiredParameter"),
    ],
)
def test_bad_requests_get_step_functions_errors(client: Client, alice_keys: tuple[str, str], operation: str,
                                                params: dict[str, Any], code: str) -> None:
    status, body = sfn_call(client, operation, params, alice_keys)
    assert 400 <= status < 500 and body["__type"] == code, body


def test_unknown_operation_and_malformed_bodies(client: Client, alice_keys: tuple[str, str]) -> None:
    assert failed(client, alice_keys, "TagEverything")[1] == "UnknownOperationException"
    for raw in [b"{bad", b"[1]", b"\xff\xfe"]:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        request = AWSRequest(method="POST", url="http://testserver/", data=raw, headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.ListStateMachines"})
        SigV4Auth(Credentials(*alice_keys), "states", "us-east-1").add_auth(request)
        response = send_sigv4(client, {"Host": "testserver", **dict(request.headers.items())}, raw)
        assert response.status_code == 400 and json.loads(response.content)["__type"] == "SerializationException"
        assert response["x-amzn-ErrorType"] == "SerializationException"


def test_signature_failures(client: Client, alice_keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    headers, body = sigv4_signed("ListStateMachines", {}, *alice_keys)

    def reply(h: dict[str, str], b: bytes = body) -> tuple[int, str]:
        response = send_sigv4(client, h, b)
        return response.status_code, json.loads(response.content).get("__type", "")

    assert reply(headers)[0] == 200
    assert reply({k: v for k, v in headers.items() if k != "Authorization"}) == (403, "MissingAuthenticationTokenException")
    assert reply({**headers, "Authorization": "AWS4-HMAC-SHA256 Credential=x"}) == (400, "IncompleteSignatureException")
    assert reply(sigv4_signed("ListStateMachines", {}, "AKIDnobody", "k")[0]) == (400, "UnrecognizedClientException")
    assert reply(sigv4_signed("ListStateMachines", {}, alice_keys[0], "wrong")[0]) == (400, "InvalidSignatureException")
    assert reply(headers, b'{"maxResults": 1}') == (400, "InvalidSignatureException")
    assert reply({**headers, "X-Amz-Target": "AWSStepFunctions.DeleteStateMachine"}) == (400, "InvalidSignatureException")
    import botocore.auth

    with monkeypatch.context() as patched:
        patched.setattr(botocore.auth, "get_current_datetime",
                        lambda: datetime.datetime.utcnow() - datetime.timedelta(minutes=10))
        old_headers, _ = sigv4_signed("ListStateMachines", {}, *alice_keys)
    assert reply(old_headers) == (400, "InvalidSignatureException")


def test_sigv4_verifier_reproduces_the_published_get_vanilla_vector() -> None:
    """AWS's SigV4 test suite, case get-vanilla."""
    headers = {
        "Host": "example.amazonaws.com",
        "X-Amz-Date": "20150830T123600Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    }
    now = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.timezone.utc).timestamp()
    owner, region = verify_sigv4(method="GET", path="/", query_string="", headers=headers, body=b"", now=now,
                                 lookup=lambda key: ("owner", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                 service="service")
    assert (owner, region) == ("owner", "us-east-1")
    with pytest.raises(SignatureProblem) as problem:
        verify_sigv4(method="GET", path="/", query_string="", headers=headers, body=b"", now=now,
                     lookup=lambda key: ("owner", "another-secret"), service="service")
    assert problem.value.kind == "mismatch"
