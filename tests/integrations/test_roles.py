"""Run roles: a Task calls only what its execution's role allows, else ``States.Permissions``."""

from __future__ import annotations

import pytest

from backend.integrations import build_registry
from backend.workflows.services import function_create, role_create
from tests.integrations.support import caught, run_workflow, task

SUM = 'def handler(event, context):\n    return sum(event["values"])\n'
SUM_ARN = "arn:aws:lambda:us-east-1:123456789012:function:sum"
SCF_SUM = "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum"
VALUES = {"values": [1, 2]}


@pytest.fixture
def sum_function(owner):
    return function_create(owner=owner, name="sum", source=SUM)


def test_a_resource_the_role_does_not_allow_is_states_permissions(owner, sum_function, function_pool) -> None:
    role = role_create(owner=owner, name="http-only", allowed_resources=["arn:aws:states:::http:invoke"])
    registry = build_registry(owner=owner, role=role, pool=function_pool)

    result = run_workflow(task(SUM_ARN), VALUES, registry)

    assert (result.status, result.error) == ("FAILED", "States.Permissions")
    assert result.cause == f"The run role 'http-only' does not allow calling the resource '{SUM_ARN}'."


def test_the_denial_is_catchable_and_nothing_is_called(owner, function_pool, tmp_path) -> None:
    marker = tmp_path / "called"
    function_create(owner=owner, name="touch",
                    source=f"import pathlib\ndef handler(event, context):\n    pathlib.Path({str(marker)!r}).touch()\n")
    role = role_create(owner=owner, name="none", allowed_resources=["qrn:*"])
    registry = build_registry(owner=owner, role=role, pool=function_pool)

    result = run_workflow(caught("arn:aws:lambda:us-east-1:1:function:touch"), {}, registry)

    assert result.output["error"]["Error"] == "States.Permissions"
    assert not marker.exists()


def test_an_execution_without_a_role_may_call_nothing(owner, sum_function, function_pool) -> None:
    registry = build_registry(owner=owner, role=None, pool=function_pool)

    result = run_workflow(task(SCF_SUM), VALUES, registry)
    pure = run_workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}}, {}, registry)

    assert result.error == "States.Permissions"
    assert result.cause.startswith(f"The execution has no run role, so it may not call the resource '{SCF_SUM}'.")
    assert (pure.status, pure.output) == ("SUCCEEDED", 1)


@pytest.mark.parametrize(
    ("pattern", "allowed"),
    [
        ("arn:aws:lambda:*:*:function:sum", True),   # the function's ARN covers lambda:invoke
        ("arn:aws:states:::lambda:invoke", True),    # the resource string itself
        ("arn:aws:lambda:*:*:function:other", False),
    ],
)
def test_lambda_invoke_is_allowed_by_the_function_arn_or_the_resource(
    owner, sum_function, function_pool, pattern: str, allowed: bool
) -> None:
    role = role_create(owner=owner, name="r", allowed_resources=[pattern])
    registry = build_registry(owner=owner, role=role, pool=function_pool)
    definition = task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "sum", "Payload.$": "$"})

    result = run_workflow(definition, VALUES, registry)

    if allowed:
        assert result.output["Payload"] == 3
    else:
        assert result.error == "States.Permissions"
        assert result.cause == (
            "The run role 'r' does not allow calling the resource 'arn:aws:states:::lambda:invoke' "
            "(function 'arn:aws:lambda:us-east-1:111111111111:function:sum')."
        )


def test_the_tcsl_and_lambda_forms_share_the_function_arn_pattern(owner, sum_function, function_pool) -> None:
    role = role_create(owner=owner, name="sum-only", allowed_resources=["arn:aws:lambda:*:*:function:sum"])
    registry = build_registry(owner=owner, role=role, pool=function_pool)

    assert run_workflow(task(SCF_SUM), VALUES, registry).output == 3
    assert run_workflow(task(SUM_ARN), VALUES, registry).output == 3


@pytest.mark.parametrize(
    ("resource", "parameters"),
    [
        ("arn:aws:states:::http:invoke", {"ApiEndpoint": "http://127.0.0.1:9/", "Method": "GET"}),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:http:invoke", {"ApiEndpoint": "http://127.0.0.1:9/", "Method": "GET"}),
        ("arn:aws:states:::celery:task.sync", {"TaskName": "shop.add"}),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:celery:shop.add", None),
        ("arn:aws:states:::states:startExecution.sync", {"StateMachineArn": "x"}),
    ],
)
def test_every_integration_is_checked_against_the_role(owner, resource: str, parameters: dict | None) -> None:
    role = role_create(owner=owner, name="functions", allowed_resources=["arn:aws:lambda:*:*:function:*"])
    registry = build_registry(owner=owner, role=role)
    fields = {"Parameters": parameters} if parameters is not None else {}

    result = run_workflow(task(resource, **fields), {}, registry)

    assert (result.error, result.cause) == (
        "States.Permissions", f"The run role 'functions' does not allow calling the resource '{resource}'.")


def test_an_allowed_resource_nobody_handles_is_a_task_failure(owner, open_role) -> None:
    registry = build_registry(owner=owner, role=open_role)

    result = run_workflow(task("arn:aws:states:::sqs:sendMessage", Parameters={}), {}, registry)

    assert result.error == "States.TaskFailed"
    assert "No handler is registered for the resource 'arn:aws:states:::sqs:sendMessage'" in result.cause
