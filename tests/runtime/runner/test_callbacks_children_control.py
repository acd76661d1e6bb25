"""Callbacks, child workflows, StopExecution, TimeoutSeconds, redrive and crash recovery."""

from __future__ import annotations

import json
import time

import pytest
from django.utils import timezone

from backend.executions.errors import ExecutionNotRedrivable, TaskTimedOut
from backend.executions.models import Execution, ExecutionStatus, TaskToken
from backend.executions.runner import (
    execution_redrive,
    execution_start,
    execution_stop,
    send_task_failure,
    send_task_heartbeat,
    send_task_success,
)
from backend.executions.runner.run import PARKED, drive
from tests.runtime.runner.support import OWNER_ID, finished, history_types, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

ECHO = "def handler(event, context):\n    return event\n"
CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken"


def callback_flow(**task: object) -> dict:
    return {"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": CALLBACK,
        "Parameters": {"FunctionName": "echo", "Payload": {"token.$": "$$.Task.Token"}},
        "End": True, **task}}}


def parked_token(execution: Execution) -> str:
    assert drive(execution.pk, OWNER_ID) == PARKED
    return TaskToken.objects.get(execution=execution).token


def test_send_task_success_completes_the_waiting_task(workflow, function):
    function("echo", ECHO)
    execution = execution_start(template=workflow(callback_flow()), name="cb").execution
    token = parked_token(execution)
    send_task_success(token=token, output='{"approved": true}')
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED
    assert json.loads(execution.output) == {"approved": True}
    assert "TaskSubmitted" in history_types(execution)
    with pytest.raises(TaskTimedOut):  # a token resolves once
        send_task_success(token=token, output="{}")


def test_send_task_failure_is_catchable(workflow, function):
    function("echo", ECHO)
    definition = callback_flow(Catch=[{"ErrorEquals": ["Rejected"], "Next": "Handled"}])
    definition["States"]["Ask"].pop("End")
    definition["States"]["Ask"]["Next"] = "Never"
    definition["States"]["Never"] = {"Type": "Pass", "End": True}
    definition["States"]["Handled"] = {"Type": "Pass", "Result": "handled", "End": True}
    execution = execution_start(template=workflow(definition), name="cbf").execution
    send_task_failure(token=parked_token(execution), error="Rejected", cause="no")
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED and json.loads(execution.output) == "handled"


def test_heartbeat_seconds_times_out_a_silent_task_and_heartbeats_extend_it(workflow, function):
    function("echo", ECHO)
    execution = execution_start(template=workflow(callback_flow(HeartbeatSeconds=1)), name="hb").execution
    token = parked_token(execution)
    time.sleep(0.6)
    send_task_heartbeat(token=token)  # the deadline moves to ~1.6 s after the start
    time.sleep(0.6)
    from backend.executions.runner.wake import fire_due_timers

    fire_due_timers()
    drive(execution.pk, OWNER_ID)  # the first heartbeat deadline has passed, the extended one not
    assert finished(execution).status == ExecutionStatus.RUNNING
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.FAILED
    assert (execution.error, execution.cause) == ("States.Timeout", None)  # as AWS records a heartbeat lapse
    assert "TaskTimedOut" in history_types(execution)
    assert time.time() - execution.started_at.timestamp() >= 1.5


@pytest.mark.parametrize("lapse, caught", [({"HeartbeatSeconds": 1}, True), ({"TimeoutSeconds": 1}, False)])
def test_states_heartbeat_timeout_catches_only_a_heartbeat_lapse(workflow, function, lapse, caught):
    function("echo", ECHO)
    definition = callback_flow(**lapse, Catch=[{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Handled"}])
    definition["States"]["Handled"] = {"Type": "Pass", "End": True}
    execution = execution_start(template=workflow(definition), name="hb-catch").execution
    parked_token(execution)
    run_until_idle()
    execution = finished(execution)
    if caught:
        assert execution.status == ExecutionStatus.SUCCEEDED
        assert json.loads(execution.output) == {"Error": "States.Timeout"}
    else:
        assert (execution.status, execution.error) == (ExecutionStatus.FAILED, "States.Timeout")


def test_task_timeout_seconds_applies_to_callbacks(workflow, function):
    function("echo", ECHO)
    execution = execution_start(template=workflow(callback_flow(TimeoutSeconds=1)), name="to").execution
    parked_token(execution)
    run_until_idle()
    execution = finished(execution)
    assert (execution.status, execution.error) == (ExecutionStatus.FAILED, "States.Timeout")
    assert "TaskTimedOut" in history_types(execution)


def test_execution_timeout_seconds_while_waiting_for_a_callback(workflow, function):
    function("echo", ECHO)
    definition = {**callback_flow(), "TimeoutSeconds": 1}
    execution = execution_start(template=workflow(definition), name="exec-to").execution
    parked_token(execution)
    run_until_idle()
    execution = finished(execution)
    assert (execution.status, execution.error) == (ExecutionStatus.TIMED_OUT, "States.Timeout")
    assert history_types(execution)[-1] == "ExecutionTimedOut"


CHILD = {"StartAt": "Double", "States": {"Double": {
    "Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": True}}}
FAILING_CHILD = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "ChildBroke", "Cause": "c"}}}


@pytest.mark.parametrize("resource", ["arn:aws:states:::states:startExecution.sync",
                                      "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:asw:StartExecution.sync"])
def test_sync_child_workflow_returns_its_output(workflow, resource):
    workflow(CHILD, name="child")
    parent = workflow({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": resource,
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:111111111111:stateMachine:child",
                       "Input": {"n.$": "$.n"}},
        "ResultSelector": {"out.$": "States.StringToJson($.Output)", "status.$": "$.Status"},
        "End": True}}}, name="parent")
    execution = execution_start(template=parent, name="p", input='{"n": 21}').execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED
    assert json.loads(execution.output) == {"out": {"doubled": 42}, "status": "SUCCEEDED"}
    assert Execution.objects.get(parent=execution).status == ExecutionStatus.SUCCEEDED


def test_sync2_child_failure_fails_the_task(workflow):
    workflow(FAILING_CHILD, name="bad-child")
    parent = workflow({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": "bad-child"}, "End": True}}}, name="parent2")
    execution = execution_start(template=parent, name="p2").execution
    run_until_idle()
    execution = finished(execution)
    assert (execution.status, execution.error) == (ExecutionStatus.FAILED, "States.TaskFailed")
    assert json.loads(execution.cause)["Error"] == "ChildBroke"


def test_request_response_child_does_not_wait(workflow):
    workflow({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}}, name="slow")
    parent = workflow({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
        "Parameters": {"StateMachineArn": "slow"}, "End": True}}}, name="fire-and-forget")
    execution = execution_start(template=parent, name="p3").execution
    drive(execution.pk, OWNER_ID)
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED
    assert json.loads(execution.output)["ExecutionArn"].endswith(":execution:slow:" +
                                                                 Execution.objects.get(parent=execution).name)


def test_stop_aborts_a_parked_execution(workflow):
    template = workflow({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}})
    execution = execution_start(template=template, name="stop-me").execution
    assert drive(execution.pk, OWNER_ID) == PARKED
    execution_stop(execution=execution, error="Manual", cause="test")
    execution = finished(execution)
    assert (execution.status, execution.error) == (ExecutionStatus.ABORTED, "Manual")
    assert history_types(execution)[-1] == "ExecutionAborted"
    assert not execution.timers.exists()


def test_redrive_reruns_only_the_failed_step(workflow, function, tmp_path):
    marker = tmp_path / "fixed"
    calls = tmp_path / "calls"
    function("flaky", (
        "import os\n"
        "def handler(event, context):\n"
        f"    open({str(calls)!r}, 'a').write(event['step'] + '\\n')\n"
        f"    if event['step'] == 'second' and not os.path.exists({str(marker)!r}):\n"
        "        raise RuntimeError('not yet')\n"
        "    return event['step']\n"))
    lam = "arn:aws:lambda:us-east-1:111111111111:function:flaky"
    template = workflow({"StartAt": "First", "States": {
        "First": {"Type": "Task", "Resource": lam, "Parameters": {"step": "first"}, "ResultPath": "$.a",
                  "Next": "Second"},
        "Second": {"Type": "Task", "Resource": lam, "Parameters": {"step": "second"}, "ResultPath": "$.b",
                   "End": True}}})
    execution = execution_start(template=template, name="redrive").execution
    run_until_idle()
    assert finished(execution).status == ExecutionStatus.FAILED
    with pytest.raises(ExecutionNotRedrivable):
        execution_redrive(execution=execution_start(template=workflow(CHILD, name="ok"), name="ok").execution)
    marker.write_text("")
    execution_redrive(execution=execution)
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED, (execution.error, execution.cause)
    assert json.loads(execution.output) == {"a": "first", "b": "second"}
    assert execution.redrive_count == 1
    assert calls.read_text().split() == ["first", "second", "second"]  # First was not called again
    types = history_types(execution)
    assert types.count("ExecutionRedriven") == 1 and types[-1] == "ExecutionSucceeded"
    ids = list(execution.events.filter(scope="").values_list("event_id", "previous_event_id"))
    assert [i for i, _ in ids] == list(range(1, len(ids) + 1))
    assert all(previous < event_id for event_id, previous in ids)


def test_a_crashed_runners_execution_is_resumed_after_its_lease_expires(workflow, settings):
    settings.ENGINE_INLINE_WAIT_SECONDS = 0
    template = workflow({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1, "Next": "P"}, "P": {"Type": "Pass", "End": True}}})
    execution = execution_start(template=template, name="crash").execution
    # A runner that claimed it and died: lease held, nothing recorded.
    Execution.objects.filter(pk=execution.pk).update(
        lease_owner="dead-runner", lease_expires_at=timezone.now() + timezone.timedelta(seconds=1))
    assert drive(execution.pk, OWNER_ID) == "NOT_CLAIMED"
    time.sleep(1.1)
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED
    assert history_types(execution).count("ExecutionStarted") == 1


def test_sync_express_child_runs_in_place(workflow):
    workflow(CHILD, name="express-child", type="EXPRESS")
    parent = workflow({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": "express-child", "Input": {"n": 4}},
        "OutputPath": "$.Output", "End": True}}}, name="parent-of-express")
    execution = execution_start(template=parent, name="pe").execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED
    assert json.loads(execution.output) == {"doubled": 8}
