from __future__ import annotations

from tests.engine.support import FakeFunctions, lambda_arn, run_definition


def test_arguments_output_assign_and_states_binding():
    functions = FakeFunctions({"f": lambda event: {"double": event["n"] * 2}})
    definition = {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": lambda_arn("f"), "Arguments": {"n": "{% $states.input.n %}"},
              "Assign": {"seen": "{% $states.result.double %}"},
              "Output": {"out": "{% $states.result.double + 1 %}"}, "Next": "P"},
        "P": {"Type": "Pass", "Output": {"out": "{% $states.input.out %}", "seen": "{% $seen %}"}, "End": True}}}
    assert run_definition(definition, {"n": 4}, functions=functions).output == {"out": 9, "seen": 8}


def test_condition_choice_with_rule_output():
    definition = {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Default": "D", "Choices": [
            {"Condition": "{% $states.input.v > 1 %}", "Output": {"picked": "big"}, "Next": "D"}]},
        "D": {"Type": "Succeed"}}}
    assert run_definition(definition, {"v": 2}).output == {"picked": "big"}
    assert run_definition(definition, {"v": 0}).output == {"v": 0}


def test_undefined_result_is_a_query_evaluation_error_with_evaluation_failed_event():
    definition = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": "{% $doesNotExist %}", "End": True}}}
    result = run_definition(definition, {})
    assert result.error == "States.QueryEvaluationError"
    assert result.cause.startswith("An error occurred while executing the state 'P' (entered at the event id #2).")
    assert "EvaluationFailed" in [e.type for e in result.events]


def test_jsonata_map_items_must_be_an_array():
    definition = {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
        "Type": "Map", "Items": "{% 1 %}", "End": True,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}}
    result = run_definition(definition, {})
    assert result.error == "States.QueryEvaluationError"
    assert "Expected 'array', but was 'number' for value: 1" in result.cause


def test_jsonpath_state_inside_jsonata_machine_is_rejected():
    import pytest

    from backend.engine.errors import DefinitionError
    from backend.engine.program import compile_definition

    with pytest.raises(DefinitionError) as caught:
        compile_definition({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
            "P": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}}})
    assert caught.value.pointer == "/States/P"
