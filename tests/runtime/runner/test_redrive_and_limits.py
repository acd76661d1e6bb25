"""Redrive details ($$.Execution.RedriveCount, Distributed Map) and the execution output quota."""

from __future__ import annotations

import json

import pytest

from backend.executions.models import ExecutionStatus
from backend.executions.runner import execution_redrive, execution_start
from tests.runtime.runner.support import finished, history_types, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:{}"


def flaky_source(calls, marker) -> str:
    """Logs each call's ``step``; fails for ``event['fail']`` until ``marker`` exists."""
    return (
        "import os\n"
        "def handler(event, context):\n"
        f"    open({str(calls)!r}, 'a').write(str(event['step']) + '\\n')\n"
        f"    if event['step'] == event.get('fail') and not os.path.exists({str(marker)!r}):\n"
        "        raise RuntimeError('not yet')\n"
        "    return event['step']\n")


def test_redrive_count_is_in_the_context_object(workflow, function, tmp_path):
    calls, marker = tmp_path / "calls", tmp_path / "fixed"
    function("flaky", flaky_source(calls, marker))
    template = workflow({"StartAt": "Before", "States": {
        "Before": {"Type": "Pass", "Parameters": {"redrives.$": "$$.Execution.RedriveCount"}, "ResultPath": "$.before",
                   "Next": "Flaky"},
        "Flaky": {"Type": "Task", "Resource": LAMBDA.format("flaky"), "Parameters": {"step": "flaky", "fail": "flaky"},
                  "ResultPath": None, "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"redrives.$": "$$.Execution.RedriveCount"}, "ResultPath": "$.after",
                  "End": True}}})
    execution = execution_start(template=template, name="counted").execution
    run_until_idle()
    assert finished(execution).status == ExecutionStatus.FAILED
    for redrive in (1, 2):
        if redrive == 2:
            marker.write_text("")
        execution_redrive(execution=execution)
        run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED, (execution.error, execution.cause)
    assert execution.redrive_count == 2
    # "Before" ran once, before any redrive (replayed since); "After" ran in the second redrive.
    assert json.loads(execution.output) == {"before": {"redrives": 0}, "after": {"redrives": 2}}
    assert calls.read_text().split() == ["flaky"] * 3


def test_redriving_a_failed_distributed_map_reruns_only_the_failed_iterations(workflow, function, tmp_path):
    calls, marker = tmp_path / "calls", tmp_path / "fixed"
    function("flaky", flaky_source(calls, marker))
    template = workflow({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "End": True,
        "ItemSelector": {"step.$": "$$.Map.Item.Value", "fail": 3},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Call", "States": {
                              "Call": {"Type": "Task", "Resource": LAMBDA.format("flaky"), "End": True}}}}}})
    execution = execution_start(template=template, name="dmap-redrive",
                                input='{"items": [1, 2, 3, 4, 5]}').execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.FAILED, execution.output
    first_run = calls.read_text().split()
    assert "3" in first_run and len(first_run) > 1  # the Map Run stops once an iteration failed
    marker.write_text("")
    execution_redrive(execution=execution)
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED, (execution.error, execution.cause)
    assert json.loads(execution.output) == [1, 2, 3, 4, 5]
    # Only the failed iteration (item 3) ran again; the completed ones were not called again
    # (the ones the first run never started ran once, in the redrive).
    assert sorted(calls.read_text().split()) == ["1", "2", "3", "3", "4", "5"]
    types = history_types(execution)
    assert types.count("ExecutionRedriven") == 1 and types[-1] == "ExecutionSucceeded"


def test_an_output_over_256_kib_fails_the_execution(workflow):
    big = "x" * 200_000  # each state's input and output stay under the quota; the two branches' do not
    template = workflow({"StartAt": "Twice", "States": {"Twice": {
        "Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}]}}})
    execution = execution_start(template=template, name="too-big", input=json.dumps({"big": big})).execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.FAILED
    assert execution.error == "States.DataLimitExceeded"
    assert execution.output is None
    assert history_types(execution)[-1] == "ExecutionFailed"

    fits = execution_start(template=workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                                             name="fits"), name="fits", input=json.dumps({"big": big})).execution
    run_until_idle()
    fits = finished(fits)
    assert fits.status == ExecutionStatus.SUCCEEDED
    assert json.loads(fits.output) == {"big": big}
