from __future__ import annotations

from backend.engine.clock import FakeClock
from backend.engine.resources import TaskOutcome
from tests.engine.support import FakeFunctions, lambda_arn, run_definition


def test_execution_timeout_during_a_wait_times_out_the_execution():
    clock = FakeClock(0.0)
    definition = {"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}}
    result = run_definition(definition, {}, clock=clock)
    assert (result.status, result.error) == ("TIMED_OUT", "States.Timeout")
    assert clock.now() == 5.0
    assert [e.type for e in result.events][-1] == "ExecutionTimedOut"


def test_task_timeout_outcome_is_catchable_as_states_timeout():
    functions = FakeFunctions({"f": lambda e: TaskOutcome.timed_out("")})
    definition = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5,
              "Parameters": {"FunctionName": "f"}, "Next": "H",
              "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "H"}]},
        "H": {"Type": "Pass", "End": True}}}
    result = run_definition(definition, {}, functions=functions)
    assert result.output == {"Error": "States.Timeout", "Cause": ""}
    assert "TaskTimedOut" in [e.type for e in result.events]


def test_timeout_seconds_path_reaches_the_dispatcher():
    seen = []

    class Recording(FakeFunctions):
        def __call__(self, call):
            seen.append((call.timeout_seconds, call.heartbeat_seconds))
            return TaskOutcome.succeeded({})

    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": lambda_arn("f"), "TimeoutSecondsPath": "$.t", "HeartbeatSeconds": 2,
        "End": True}}}
    run_definition(definition, {"t": 7}, functions=Recording())
    assert seen == [(7, 2)]


def test_bad_timeout_seconds_path_fails_with_states_runtime():
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": lambda_arn("f"), "TimeoutSecondsPath": "$.t", "End": True}}}
    result = run_definition(definition, {"t": -3}, functions=FakeFunctions({"f": lambda e: e}))
    assert result.error == "States.Runtime"
