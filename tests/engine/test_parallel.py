from __future__ import annotations

from backend.engine.clock import FakeClock
from tests.engine.support import event_types, run_definition


def branch(*states: tuple[str, dict]) -> dict:
    names = [name for name, _ in states]
    body = {}
    for i, (name, state) in enumerate(states):
        body[name] = {**state, **({"Next": names[i + 1]} if i + 1 < len(names) else
                                  ({} if state["Type"] in ("Fail", "Succeed") else {"End": True}))}
    return {"StartAt": names[0], "States": body}


def test_results_are_in_branch_order_even_when_branches_finish_out_of_order():
    clock = FakeClock(0.0)
    definition = {"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": True, "Branches": [
        branch(("Slow", {"Type": "Wait", "Seconds": 10}), ("A", {"Type": "Pass", "Result": "a"})),
        branch(("Fast", {"Type": "Wait", "Seconds": 1}), ("B", {"Type": "Pass", "Result": "b"})),
    ]}}}
    result = run_definition(definition, {}, clock=clock)
    assert result.output == ["a", "b"]
    assert clock.now() == 10.0  # the waits overlapped


def test_failing_branch_fails_the_state_with_its_own_error():
    definition = {"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": True, "Branches": [
        branch(("Ok", {"Type": "Pass"})),
        branch(("Boom", {"Type": "Fail", "Error": "MyError", "Cause": "bad"})),
    ]}}}
    result = run_definition(definition, {})
    assert (result.status, result.error, result.cause) == ("FAILED", "MyError", "bad")
    assert "ParallelStateFailed" in event_types(result)


def test_catch_on_parallel_puts_error_output_at_result_path():
    definition = {"StartAt": "Par", "States": {
        "Par": {"Type": "Parallel", "Next": "Done", "Branches": [branch(("Boom", {"Type": "Fail", "Error": "E"}))],
                "Catch": [{"ErrorEquals": ["E"], "ResultPath": "$.err", "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}
    assert run_definition(definition, {"x": 1}).output == {"x": 1, "err": {"Error": "E"}}


def test_branch_variables_are_invisible_outside():
    definition = {"StartAt": "Par", "States": {
        "Par": {"Type": "Parallel", "Next": "Read", "Branches": [
            branch(("Set", {"Type": "Pass", "Assign": {"inner": 1}}))]},
        "Read": {"Type": "Pass", "Parameters": {"v.$": "$inner"}, "End": True}}}
    result = run_definition(definition, {})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")


def test_parallel_event_sequence():
    definition = {"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": True, "Branches": [
        branch(("A", {"Type": "Pass"}))]}}}
    assert event_types(run_definition(definition, {})) == [
        "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted", "PassStateEntered",
        "PassStateExited", "ParallelStateExited", "ExecutionSucceeded"]


def test_in_flight_siblings_are_aborted_when_a_branch_fails():
    definition = {"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": True, "Branches": [
        branch(("Slow", {"Type": "Wait", "Seconds": 100})),
        branch(("Boom", {"Type": "Fail", "Error": "E"})),
    ]}}}
    clock = FakeClock(0.0)
    result = run_definition(definition, {}, clock=clock)
    assert result.error == "E"
    assert clock.now() == 0.0  # nobody waited for the aborted Wait
    types = event_types(result)
    assert types.index("WaitStateAborted") < types.index("ParallelStateFailed")
