"""Stored functions called by Tasks, in real sandbox worker processes, through the real engine."""

from __future__ import annotations

import json

import pytest

from backend.engine.resources import TaskCall, parse_resource
from backend.integrations import build_registry
from backend.integrations.functions import StoredFunctions
from backend.workflows.services import function_create, function_update
from tests.integrations.support import caught, run_workflow, task

SUM = 'def handler(event, context):\n    return sum(event["values"])\n'
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:{}"
SCF = "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/{}"
INVOKE = "arn:aws:states:::lambda:invoke"
VALUES = {"values": [1, 2, 3, 4, 5]}


@pytest.fixture
def registry(owner, open_role, function_pool):
    return build_registry(owner=owner, role=open_role, pool=function_pool)


@pytest.mark.parametrize("resource", [LAMBDA.format("sum"), SCF.format("sum")], ids=["lambda-arn", "tcsl-scf"])
def test_function_resources_return_the_handlers_value(owner, registry, resource: str) -> None:
    function_create(owner=owner, name="sum", source=SUM)

    result = run_workflow(task(resource), VALUES, registry)

    assert (result.status, result.output) == ("SUCCEEDED", 15)


def test_lambda_invoke_returns_lambdas_response_envelope(owner, registry) -> None:
    function_create(owner=owner, name="sum", source=SUM)
    definition = task(INVOKE, Parameters={"FunctionName": LAMBDA.format("sum") + ":$LATEST", "Payload.$": "$"})

    result = run_workflow(definition, VALUES, registry)

    assert result.status == "SUCCEEDED", result.cause
    assert result.output["Payload"] == 15
    assert result.output["StatusCode"] == 200
    assert result.output["ExecutedVersion"] == "$LATEST"
    assert result.output["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] == "2"


def test_the_context_carries_the_function_arn_and_a_request_id_stable_per_attempt(owner, registry) -> None:
    source = "def handler(event, context):\n    return [context.invoked_function_arn, context.aws_request_id]\n"
    function_create(owner=owner, name="who", source=source)

    arn, request_id = run_workflow(task(LAMBDA.format("who")), {}, registry, name="e1").output
    _, again = run_workflow(task(LAMBDA.format("who")), {}, registry, name="e1").output
    _, other = run_workflow(task(LAMBDA.format("who")), {}, registry, name="e2").output

    assert arn == LAMBDA.format("who")
    assert request_id == again != other  # the attempt (execution, state, retry) names the request


def test_an_edit_is_what_the_next_execution_runs(owner, open_role, function_pool) -> None:
    function = function_create(owner=owner, name="f", source="def handler(event, context):\n    return 1\n")
    first = build_registry(owner=owner, role=open_role, pool=function_pool)
    assert run_workflow(task(LAMBDA.format("f")), {}, first).output == 1

    function_update(function=function, source="def handler(event, context):\n    return 2\n")
    second = build_registry(owner=owner, role=open_role, pool=function_pool)

    assert run_workflow(task(LAMBDA.format("f")), {}, second).output == 2


@pytest.mark.parametrize(("max_age_s", "after_edit"), [(0, 2), (3600, 1)])
def test_a_looked_up_function_is_reused_for_max_age(owner, function_pool, max_age_s: float, after_edit: int) -> None:
    function = function_create(owner=owner, name="f", source="def handler(event, context):\n    return 1\n")
    functions = StoredFunctions(owner_id=owner.pk, pool=function_pool, max_age_s=max_age_s)
    call = TaskCall(parse_resource(LAMBDA.format("f")), {}, "Call", "arn", "k", None)
    assert functions(call).output == 1

    function_update(function=function, source="def handler(event, context):\n    return 2\n")

    assert functions(call).output == after_edit


def test_an_unknown_function_is_lambdas_resource_not_found(registry) -> None:
    result = run_workflow(task(LAMBDA.format("missing")), {}, registry)

    assert result.error == "Lambda.ResourceNotFoundException"
    assert result.cause.startswith("Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing")


def test_another_owners_function_is_not_found(owner, registry, django_user_model) -> None:
    other = django_user_model.objects.create_user(username="bob")
    function_create(owner=other, name="sum", source=SUM)

    result = run_workflow(task(LAMBDA.format("sum")), VALUES, registry)

    assert result.error == "Lambda.ResourceNotFoundException"


def test_lambda_invoke_without_a_function_name_says_so(registry) -> None:
    result = run_workflow(task(INVOKE, Parameters={"Payload": {}}), {}, registry)

    assert result.error == "States.Runtime"
    assert "Parameters.FunctionName" in result.cause


def test_a_raised_exception_is_caught_by_its_class_name(owner, registry) -> None:
    source = (
        "class OutOfStock(Exception):\n    pass\n\n"
        "def handler(event, context):\n    raise OutOfStock('no ' + event['item'])\n"
    )
    function_create(owner=owner, name="order", source=source)
    definition = caught(LAMBDA.format("order"))
    definition["States"]["Call"]["Catch"].insert(
        0, {"ErrorEquals": ["OutOfStock"], "ResultPath": "$.error", "Next": "Caught"}
    )

    result = run_workflow(definition, {"item": "tea"}, registry)

    assert result.status == "SUCCEEDED"
    assert result.output["error"]["Error"] == "OutOfStock"
    cause = json.loads(result.output["error"]["Cause"])
    assert cause["errorMessage"] == "no tea"
    assert cause["errorType"] == "OutOfStock"


def test_retry_calls_the_function_again(owner, registry, tmp_path) -> None:
    counter = tmp_path / "count"
    source = (
        "import pathlib\n"
        f"PATH = pathlib.Path({str(counter)!r})\n"
        "def handler(event, context):\n"
        "    n = int(PATH.read_text()) + 1 if PATH.exists() else 1\n"
        "    PATH.write_text(str(n))\n"
        "    if n < 2:\n"
        "        raise ConnectionError('flaky')\n"
        "    return n\n"
    )
    function_create(owner=owner, name="flaky", source=source)
    retry = [{"ErrorEquals": ["ConnectionError"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 1}]

    result = run_workflow(task(LAMBDA.format("flaky"), Retry=retry), {}, registry)

    assert (result.status, result.output) == ("SUCCEEDED", 2)


@pytest.mark.parametrize(
    ("body", "settings", "error", "message"),
    [
        ("import time\n    time.sleep(30)", {"timeout_s": 0.5}, "Sandbox.Timedout",
         "Task timed out after 0.50 seconds"),
        ("return len(bytearray(512 * 1024 * 1024))", {"memory_mb": 64}, "Runtime.OutOfMemory",
         "memory limit of 64 MB exceeded"),
        ("import os\n    os._exit(3)", {}, "Runtime.ExitError", "exit status 3"),
        ("return {1, 2}", {}, "Runtime.MarshalError", "Object of type set is not JSON serializable"),
    ],
    ids=["timeout", "memory", "os._exit", "not-json"],
)
def test_a_misbehaving_function_fails_its_task_and_the_next_execution_works(
    owner, registry, body: str, settings: dict, error: str, message: str
) -> None:
    function_create(owner=owner, name="bad", source=f"def handler(event, context):\n    {body}\n", **settings)
    function_create(owner=owner, name="sum", source=SUM)

    failed = run_workflow(caught(LAMBDA.format("bad")), {}, registry)
    after = run_workflow(task(LAMBDA.format("sum")), VALUES, registry)

    assert failed.status == "SUCCEEDED"  # caught
    assert failed.output["error"]["Error"] == error
    assert message in json.loads(failed.output["error"]["Cause"])["errorMessage"]
    assert (after.status, after.output) == ("SUCCEEDED", 15)


def test_a_task_timeout_shorter_than_the_functions_is_states_timeout(owner, registry) -> None:
    function_create(owner=owner, name="slow", source="import time\ndef handler(event, context):\n    time.sleep(30)\n",
                    timeout_s=30)

    result = run_workflow(task(LAMBDA.format("slow"), TimeoutSeconds=1), {}, registry)

    assert (result.status, result.error, result.cause) == ("FAILED", "States.Timeout", None)
    assert [e.type for e in result.events][-2] == "LambdaFunctionTimedOut"


def test_a_result_over_256_kib_is_data_limit_exceeded(owner, registry) -> None:
    function_create(owner=owner, name="big", source="def handler(event, context):\n    return 'x' * 300000\n")

    result = run_workflow(task(SCF.format("big")), {}, registry)

    assert result.error == "States.DataLimitExceeded"
