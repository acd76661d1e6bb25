from __future__ import annotations

import pytest

from backend.engine.clock import FakeClock
from tests.engine.support import FakeFunctions, event_types, lambda_arn, run_definition


def map_machine(processor_states: dict, start: str, **fields) -> dict:
    return {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, "ItemProcessor": {"StartAt": start, "States": processor_states}, **fields}}}


DOUBLE = {"D": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.v, $.v)"}, "End": True}}


def test_items_path_and_results_in_order():
    result = run_definition(map_machine(DOUBLE, "D", ItemsPath="$.xs"), {"xs": [{"v": 1}, {"v": 2}, {"v": 3}]})
    assert result.output == [{"v": 2}, {"v": 4}, {"v": 6}]


def test_legacy_iterator_and_parameters():
    definition = {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, "Parameters": {"v.$": "$$.Map.Item.Value"},
        "Iterator": {"StartAt": "D", "States": DOUBLE}}}}
    assert run_definition(definition, [1, 2]).output == [{"v": 2}, {"v": 4}]


def test_map_history_events():
    types = event_types(run_definition(map_machine(DOUBLE, "D"), [{"v": 1}]))
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted",
                     "PassStateEntered", "PassStateExited", "MapIterationSucceeded", "MapStateSucceeded",
                     "MapStateExited", "ExecutionSucceeded"]


@pytest.mark.parametrize("concurrency, elapsed", [(0, 5.0), (1, 15.0), (2, 10.0)])
def test_max_concurrency_bounds_overlapping_iterations(concurrency, elapsed):
    clock = FakeClock(0.0)
    states = {"W": {"Type": "Wait", "Seconds": 5, "End": True}}
    result = run_definition(map_machine(states, "W", MaxConcurrency=concurrency), [1, 2, 3], clock=clock)
    assert result.output == [1, 2, 3]
    assert clock.now() == elapsed


def test_iteration_failure_fails_the_map_with_its_error():
    states = {"F": {"Type": "Fail", "Error": "ItemError", "Cause": "c"}}
    result = run_definition(map_machine(states, "F"), [1, 2])
    assert (result.status, result.error) == ("FAILED", "ItemError")
    assert "MapIterationFailed" in event_types(result) and "MapStateFailed" in event_types(result)


def test_tolerated_failures():
    functions = FakeFunctions({"f": lambda v: v if v % 2 else _failure()})
    states = {"T": {"Type": "Task", "Resource": lambda_arn("f"), "End": True}}

    def run(**tolerance):
        return run_definition(map_machine(states, "T", **tolerance), [1, 2, 3, 4], functions=functions)

    assert run().error == "Even"  # no tolerance: the first failure fails the map
    assert run(ToleratedFailureCount=2).status == "SUCCEEDED"
    assert run(ToleratedFailurePercentage=50).status == "SUCCEEDED"
    exceeded = run(ToleratedFailureCount=1)
    assert exceeded.error == "States.ExceedToleratedFailureThreshold"


def _failure():
    from backend.engine.resources import TaskOutcome

    return TaskOutcome.failed("Even", "even item")


def test_bad_tolerated_failure_percentage_path():
    result = run_definition(map_machine(DOUBLE, "D", ToleratedFailurePercentagePath="$.p", ItemsPath="$.xs"),
                            {"xs": [], "p": 101})
    assert result.error == "States.Runtime"
    assert result.cause.endswith("ToleratedFailurePercentage must be between 0 and 100.")


def test_item_batcher_groups_items():
    states = {"P": {"Type": "Pass", "End": True}}
    definition = map_machine(states, "P", ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"b": 1}})
    assert run_definition(definition, [1, 2, 3]).output == [
        {"Items": [1, 2], "BatchInput": {"b": 1}}, {"Items": [3], "BatchInput": {"b": 1}}]


def test_non_array_items_fail():
    result = run_definition(map_machine(DOUBLE, "D", ItemsPath="$.x"), {"x": "str"})
    assert result.status == "FAILED"


def test_distributed_map_iterations_are_child_executions_with_their_own_journals():
    from backend.engine.execution import Execution
    from backend.engine.journal import MemoryJournal
    from backend.engine.program import compile_definition

    functions = FakeFunctions({"f": lambda v: {"seen": v}})
    definition = {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, "MaxConcurrency": 2,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": lambda_arn("f"),
                                                           "End": True}}}}}}
    program = compile_definition(definition)
    journal = MemoryJournal()
    result = Execution(program, [1, 2], journal=journal, registry=functions.registry(), clock=FakeClock()).run()
    assert result.output == [{"seen": 1}, {"seen": 2}]
    assert event_types(result) == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                                   "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]
    children = list(journal.children.values())
    assert [e.type for e in children[0].events] == [
        "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
        "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"]

    # Replaying the parent and child journals re-invokes nothing.
    replay = MemoryJournal(journal.events)
    replay.children = {key: MemoryJournal(child.events) for key, child in journal.children.items()}
    again = FakeFunctions(functions.functions)
    resumed = Execution(program, None, journal=replay, registry=again.registry(), clock=FakeClock()).run()
    assert resumed.output == result.output and again.calls == []
