"""Standard executions through the runner: start, run, suspend on timers, resume."""

from __future__ import annotations

import json

import pytest

from backend.executions.errors import ExecutionAlreadyExists
from backend.executions.models import ExecutionStatus, Timer
from backend.executions.runner import execution_start
from backend.executions.runner.run import NOT_CLAIMED, PARKED, drive
from tests.runtime.runner.support import OWNER_ID, finished, history_types, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

SUM = "def handler(event, context):\n    return sum(event['values'])\n"


def test_task_calling_a_stored_function(workflow, function):
    function("sum", SUM)
    template = workflow({"StartAt": "Sum", "States": {"Sum": {
        "Type": "Task", "Resource": "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum",
        "End": True}}})
    execution = execution_start(template=template, name="one", input='{"values": [1, 2, 3, 4, 5]}').execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED
    assert json.loads(execution.output) == 15
    assert history_types(execution) == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                        "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]


def test_start_is_idempotent_by_name(workflow):
    template = workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    first = execution_start(template=template, name="same", input='{"a": 1}')
    again = execution_start(template=template, name="same", input='{"a": 1}')
    assert first.created and not again.created and again.execution.pk == first.execution.pk
    with pytest.raises(ExecutionAlreadyExists):
        execution_start(template=template, name="same", input='{"a": 2}')


def test_long_wait_parks_on_a_timer_and_resumes_when_due(workflow):
    template = workflow({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1, "Next": "P"}, "P": {"Type": "Pass", "Result": "done", "End": True}}})
    execution = execution_start(template=template, name="w").execution
    assert drive(execution.pk, OWNER_ID) == PARKED
    parked = finished(execution)
    assert parked.wake_at is None and parked.lease_owner == ""
    timer = Timer.objects.get(execution=execution)
    assert timer.kind == "WAIT"
    assert drive(execution.pk, OWNER_ID) == NOT_CLAIMED  # parked: nothing to do until the timer fires
    run_until_idle()
    done = finished(execution)
    assert done.status == ExecutionStatus.SUCCEEDED and json.loads(done.output) == "done"
    assert history_types(done).count("WaitStateEntered") == 1
    assert not Timer.objects.filter(execution=execution).exists()


def test_failure_is_recorded_with_error_and_cause(workflow):
    template = workflow({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "why"}}})
    execution = execution_start(template=template, name="f").execution
    run_until_idle()
    execution = finished(execution)
    assert (execution.status, execution.error, execution.cause) == (ExecutionStatus.FAILED, "Boom", "why")


def test_a_run_role_that_does_not_allow_the_resource_fails_the_task(workflow, function, owner):
    from backend.workflows.services import role_create

    function("sum", SUM)
    narrow = role_create(owner=owner, name="narrow", allowed_resources=["arn:aws:lambda:*:*:function:other"])
    template = workflow({"StartAt": "Sum", "States": {"Sum": {
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:sum", "End": True}}},
        role=narrow)
    execution = execution_start(template=template, name="denied", input='{"values": [1]}').execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.FAILED
    assert execution.error == "States.Permissions"
    assert "narrow" in execution.cause and "function:sum" in execution.cause


def test_distributed_map_iterations_get_their_own_histories(workflow):
    template = workflow({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "End": True,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Wait", "States": {
                              "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Echo"},
                              "Echo": {"Type": "Pass", "End": True}}}}}})
    execution = execution_start(template=template, name="dmap", input='{"items": [1, 2, 3]}').execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED, execution.cause
    assert json.loads(execution.output) == [1, 2, 3]
    scopes = set(execution.events.exclude(scope="").values_list("scope", flat=True))
    assert len(scopes) == 3
    assert "MapRunStarted" in history_types(execution)
