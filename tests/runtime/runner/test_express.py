"""Express executions: synchronous start, nothing journaled, a summary row, the five-minute cap."""

from __future__ import annotations

import json
import time

import pytest

from backend.executions.models import Execution, HistoryEvent
from backend.executions.runner import execution_start, execution_start_sync
from backend.executions.runner import programs
from backend.workflows.errors import WorkflowTypeNotSupported

pytestmark = pytest.mark.django_db(transaction=True)

THREE_STATES = {"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.x, 1)"}, "Next": "B"},
    "B": {"Type": "Choice", "Choices": [{"Variable": "$.sum", "NumericGreaterThan": 1, "Next": "C"}],
          "Default": "C"},
    "C": {"Type": "Pass", "End": True}}}


def test_start_sync_returns_the_output_and_records_only_a_summary(workflow):
    template = workflow(THREE_STATES, name="express", type="EXPRESS")
    result = execution_start_sync(template=template, input='{"x": 41}', name="quick")
    assert (result.status, json.loads(result.output), result.error) == ("SUCCEEDED", {"sum": 42}, None)
    assert ":express:express:quick:" in result.execution_arn
    row = Execution.objects.get(name="quick")
    assert (row.type, row.status, json.loads(row.output)) == ("EXPRESS", "SUCCEEDED", {"sum": 42})
    assert not HistoryEvent.objects.exists()


def test_start_sync_failure_carries_error_and_cause(workflow, settings):
    settings.ENGINE_EXPRESS_RECORD = False
    template = workflow({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}},
                        name="express-fail", type="EXPRESS")
    result = execution_start_sync(template=template, input="{}")
    assert (result.status, result.output, result.error, result.cause) == ("FAILED", None, "E", "C")
    assert not Execution.objects.exists()  # summaries switched off: no database write at all


def test_express_executions_are_capped_at_five_minutes(workflow, monkeypatch):
    monkeypatch.setattr(programs, "EXPRESS_MAX_SECONDS", 1)
    template = workflow({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3, "End": True}}},
                        name="express-slow", type="EXPRESS")
    started = time.monotonic()
    result = execution_start_sync(template=template, input="{}")
    assert (result.status, result.error) == ("TIMED_OUT", "States.Timeout")
    assert time.monotonic() - started < 2.5


def test_start_sync_refuses_standard_workflows(workflow):
    with pytest.raises(WorkflowTypeNotSupported):
        execution_start_sync(template=workflow(THREE_STATES), input="{}")


def test_asynchronous_express_start_runs_in_the_background(workflow):
    template = workflow(THREE_STATES, name="express-async", type="EXPRESS")
    start = execution_start(template=template, name="later", input='{"x": 1}')
    deadline = time.monotonic() + 10
    while not Execution.objects.filter(name="later").exists():
        assert time.monotonic() < deadline, "the Express execution never recorded its summary"
        time.sleep(0.05)
    assert start.execution.name == "later"
    assert json.loads(Execution.objects.get(name="later").output) == {"sum": 2}
