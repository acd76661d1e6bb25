from __future__ import annotations

from tests.engine.support import FakeFunctions, lambda_arn, run_definition


def task_machine(state: dict) -> dict:
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": lambda_arn("f"), "End": True, **state}}}


def test_full_jsonpath_pipeline_in_order():
    functions = FakeFunctions({"f": lambda event: {"sum": event["x"] + event["y"], "noise": 1}})
    state = {
        "InputPath": "$.numbers",
        "Parameters": {"x.$": "$.a", "y.$": "$.b"},
        "ResultSelector": {"total.$": "$.sum"},
        "ResultPath": "$.result",
        "OutputPath": "$.result",
    }
    result = run_definition(task_machine(state), {"numbers": {"a": 1, "b": 2}, "other": True}, functions=functions)
    assert result.output == {"total": 3}
    assert functions.calls == [("f", {"x": 1, "y": 2})]


def test_null_paths():
    functions = FakeFunctions({"f": lambda event: event})
    result = run_definition(task_machine({"InputPath": None, "ResultPath": None}), {"a": 1}, functions=functions)
    assert functions.calls == [("f", {})]
    assert result.output == {"a": 1}
    result = run_definition(task_machine({"OutputPath": None}), {"a": 1}, functions=functions)
    assert result.output == {}


def test_missing_input_path_fails_with_states_runtime_and_aws_cause():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.nope", "End": True}}}
    result = run_definition(definition, {"a": 1})
    assert result.error == "States.Runtime"
    assert result.cause == ("An error occurred while executing the state 'P' (entered at the event id #2). "
                            "Invalid path '$.nope' : No results for path: $['nope']")


def test_missing_parameter_path_names_the_field():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "$.nope"}, "End": True}}}
    result = run_definition(definition, {"a": 1})
    assert result.error == "States.Runtime"
    assert "The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input" in result.cause


def test_states_runtime_is_never_caught():
    functions = FakeFunctions({"f": lambda event: {"ok": True}})
    state = {"OutputPath": "$.no.such", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}]}
    definition = task_machine(state)
    definition["States"]["H"] = {"Type": "Pass", "End": True}
    result = run_definition(definition, {}, functions=functions)
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
