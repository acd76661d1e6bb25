from __future__ import annotations

from tests.engine.support import run_definition


def test_context_object_shape_on_a_pass_state():
    definition = {"StartAt": "S", "States": {"S": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}}}
    result = run_definition(definition, {"in": 1}, name="exec-1")
    context = result.output["c"]
    assert context["Execution"]["Input"] == {"in": 1}
    assert context["Execution"]["Name"] == "exec-1"
    assert context["Execution"]["Id"].endswith(":execution:StateMachine:exec-1")
    assert context["Execution"]["RedriveCount"] == 0
    assert context["State"]["Name"] == "S"
    assert context["State"]["EnteredTime"].endswith("Z")
    assert "RetryCount" not in context["State"] and "Task" not in context
    assert context["StateMachine"]["Name"] == "StateMachine"


def test_execution_input_is_the_original_input_after_transforms():
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"changed": True}, "Next": "B"},
        "B": {"Type": "Pass", "InputPath": "$$.Execution.Input", "End": True},
    }}
    assert run_definition(definition, {"orig": 1}).output == {"orig": 1}


def test_map_item_index_and_value_in_item_selector():
    definition = {"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items",
        "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "End": True}}}
    result = run_definition(definition, {"items": ["a", "b"], "k": 7})
    assert result.output == [{"i": 0, "v": "a", "k": 7}, {"i": 1, "v": "b", "k": 7}]


def test_express_context_has_no_redrive_count():
    definition = {"StartAt": "S", "States": {"S": {"Type": "Pass", "Parameters": {"c.$": "$$.Execution"},
                                                   "End": True}}}
    result = run_definition(definition, {}, workflow_type="EXPRESS")
    assert "RedriveCount" not in result.output["c"]
    assert ":express:" in result.output["c"]["Id"]
