from __future__ import annotations

from tests.engine.support import FakeFunctions, lambda_arn, run_definition


def test_assign_then_read_in_a_later_state():
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1, "y.$": "$.v"}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"x.$": "$x", "y.$": "$y"}, "End": True}}}
    assert run_definition(definition, {"v": "from-input"}).output == {"x": 1, "y": "from-input"}


def test_swap_uses_values_from_state_entry():
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
        "Swap": {"Type": "Pass", "Assign": {"x.$": "$y", "y.$": "$x"}, "Next": "Read"},
        "Read": {"Type": "Pass", "Parameters": {"x.$": "$x", "y.$": "$y"}, "End": True}}}
    assert run_definition(definition, {}).output == {"x": 2, "y": 1}


def test_assigned_variables_in_state_exited_event():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x": [1]}, "End": True}}}
    result = run_definition(definition, {})
    exited = [e for e in result.history() if e["type"] == "PassStateExited"][0]
    assert exited["stateExitedEventDetails"]["assignedVariables"] == {"x": "[1]"}


def test_task_assign_sees_the_result_and_map_iterations_read_outer_scope():
    functions = FakeFunctions({"f": lambda event: {"r": 5}})
    definition = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": lambda_arn("f"), "Assign": {"got.$": "$.r"}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.xs", "End": True, "ItemProcessor": {"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Parameters": {"outer.$": "$got"}, "End": True}}}}}}
    functions.functions["f"] = lambda event: {"r": 5, "xs": [1, 2]}
    assert run_definition(definition, {}, functions=functions).output == [{"outer": 5}, {"outer": 5}]


def test_catcher_assign_runs_instead_of_state_assign():
    from backend.engine.resources import TaskOutcome

    functions = FakeFunctions({"f": lambda event: TaskOutcome.failed("E", "c")})
    definition = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": lambda_arn("f"), "Assign": {"v": "state"}, "Next": "R",
              "Catch": [{"ErrorEquals": ["E"], "Assign": {"v.$": "$.Error"}, "Next": "R"}]},
        "R": {"Type": "Pass", "Parameters": {"v.$": "$v"}, "End": True}}}
    assert run_definition(definition, {}, functions=functions).output == {"v": "E"}
