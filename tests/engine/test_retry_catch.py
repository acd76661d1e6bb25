from __future__ import annotations

import pytest

from backend.engine.clock import FakeClock
from backend.engine.fields.retry_catch import error_matches
from backend.engine.resources import TaskOutcome
from tests.engine.support import FakeFunctions, event_types, lambda_arn, run_definition


def flaky(failures: list[str]):
    """A function failing with the given errors in turn, then succeeding."""
    remaining = list(failures)

    def call(event):
        if remaining:
            return TaskOutcome.failed(remaining.pop(0), "try again")
        return {"ok": True}

    return call


def task(**fields) -> dict:
    return {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": lambda_arn("f"), "End": True, **fields},
        "Handler": {"Type": "Pass", "End": True}}}


def test_retry_back_off_with_rate_and_cap():
    clock = FakeClock(0.0)
    functions = FakeFunctions({"f": flaky(["E", "E", "E"])})
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3, "MaxDelaySeconds": 10}]
    result = run_definition(task(Retry=retry), {}, functions=functions, clock=clock)
    assert result.output == {"ok": True}
    assert clock.sleeps == [2.0, 6.0, 10.0]
    assert len(functions.calls) == 4


def test_retries_exhausted_then_caught():
    functions = FakeFunctions({"f": flaky(["E"] * 5)})
    result = run_definition(task(Retry=[{"ErrorEquals": ["E"], "MaxAttempts": 2}],
                                 Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handler", "ResultPath": "$.e"}]),
                            {"in": 1}, functions=functions)
    assert result.output == {"in": 1, "e": {"Error": "E", "Cause": "try again"}}
    assert len(functions.calls) == 3
    types = event_types(result)
    assert types.count("LambdaFunctionScheduled") == 3 and types.count("TaskStateEntered") == 1


def test_counters_are_per_retrier_and_first_match_wins():
    functions = FakeFunctions({"f": flaky(["A", "B", "A", "B"])})
    retry = [{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]
    result = run_definition(task(Retry=retry), {}, functions=functions)
    assert (result.status, result.error) == ("FAILED", "A")  # second A exhausts the first retrier


def test_full_jitter_never_exceeds_the_computed_delay():
    clock = FakeClock(0.0)
    functions = FakeFunctions({"f": flaky(["E", "E"])})
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 4, "MaxAttempts": 2, "JitterStrategy": "FULL"}]
    run_definition(task(Retry=retry), {}, functions=functions, clock=clock)
    assert len(clock.sleeps) == 2 and 0 <= clock.sleeps[0] <= 4 and 0 <= clock.sleeps[1] <= 8


def test_retry_count_in_context():
    seen = []

    def record(event):
        seen.append(event["n"])
        return TaskOutcome.failed("E", None) if len(seen) < 3 else {}

    functions = FakeFunctions({"f": record})
    run_definition(task(Parameters={"n.$": "$$.State.RetryCount"}, Retry=[{"ErrorEquals": ["E"]}]), {},
                   functions=functions)
    assert seen == [0, 1, 2]


@pytest.mark.parametrize("names, error, expected", [
    (("States.ALL",), "Anything", True),
    (("States.ALL",), "States.Runtime", False),
    (("States.Runtime",), "States.Runtime", False),
    (("States.TaskFailed",), "Lambda.Unknown", True),
    (("States.TaskFailed",), "States.Timeout", False),
    (("States.ALL",), "States.DataLimitExceeded", True),
    (("A", "B"), "B", True),
    (("A",), "a", False),
])
def test_error_matching(names, error, expected):
    assert error_matches(names, error) is expected
