"""Typed fields: Items, Condition, seconds, concurrency and tolerated failures."""

from __future__ import annotations

import pytest

from backend.engine.jsonata_query import QueryEvaluationError, compile_jsonata_value, evaluate_field, field_rule
from tests.engine.jsonata.support import FakeScope


def field_value(source, field: str, states_input=None, variables=None, **kw):
    compiled = compile_jsonata_value(source, pointer="/States/S/" + field)
    states = {"input": states_input if states_input is not None else {}}
    return evaluate_field(compiled, states, FakeScope(variables), field=field, **kw)


def field_failure(source, field: str, **kw) -> QueryEvaluationError:
    with pytest.raises(QueryEvaluationError) as caught:
        field_value(source, field, **kw)
    return caught.value


@pytest.mark.parametrize(
    ("source", "cause_end"),
    [
        ("{% true %}", "Expected 'array', but was 'boolean' for value: true"),
        ("{% null %}", "Expected 'array', but was 'null' for value: null"),
        ("{% 1 %}", "Expected 'array', but was 'number' for value: 1"),
        ("{% 'string' %}", "Expected 'array', but was 'string' for value: \"string\""),
        ("{% {'foo': 'bar'} %}", "Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"),
    ],
)
def test_items_must_be_an_array(source, cause_end):
    # AWS-recorded: scenarios test_map_state_items_eval_jsonata_fail[*].
    error = field_failure(source, "Items", state_name="MapIterateState", entered_event_id=2)
    expression = source[2:-2].strip()
    assert error.cause == (
        "An error occurred while executing the state 'MapIterateState' (entered at the event id #2). "
        f"The JSONata expression '{expression}' specified for the field 'Items' "
        f"returned an unexpected result type. {cause_end}"
    )


def test_items_from_a_variable_and_from_a_literal_array():
    assert field_value("{% $ItemsVar %}", "Items", variables={"ItemsVar": [1, 2]}) == [1, 2]
    assert field_value([1, '{% $number("2") %}', 3], "Items") == [1, 2, 3]


def test_condition_must_be_a_boolean():
    assert field_value("{% $states.input.value >= 20 %}", "Choices[0]/Condition", {"value": 25}) is True
    error = field_failure("{% $states.input.value %}", "Choices[1]/Condition", states_input={"value": 1})
    assert error.location == "Choices[1]/Condition"
    assert error.cause.endswith("Expected 'boolean', but was 'number' for value: 1")


def test_whole_seconds_come_back_as_int():
    value = field_value("{% $states.input.s * 1.0 %}", "TimeoutSeconds", {"s": 3})
    assert value == 3 and type(value) is int


@pytest.mark.parametrize(("source", "field"), [("{% 1.5 %}", "Seconds"), ("{% '10' %}", "HeartbeatSeconds")])
def test_seconds_must_be_whole_numbers(source, field):
    assert "returned an unexpected result type. Expected 'integer'" in field_failure(source, field).cause


@pytest.mark.parametrize(
    ("source", "field", "message"),
    [
        ("{% 0 %}", "TimeoutSeconds", "TimeoutSeconds must be a positive integer."),
        ("{% -1 %}", "ToleratedFailureCount", "ToleratedFailureCount cannot be negative."),
        ("{% 100.1 %}", "ToleratedFailurePercentage", "ToleratedFailurePercentage must be between 0 and 100."),
        ("{% -1 %}", "ToleratedFailurePercentage", "ToleratedFailurePercentage must be between 0 and 100."),
    ],
)
def test_out_of_range_values(source, field, message):
    error = field_failure(source, field, state_name="MapState", entered_event_id=2)
    assert error.error == "States.QueryEvaluationError"
    assert error.cause == f"An error occurred while executing the state 'MapState' (entered at the event id #2). {message}"


def test_percentage_may_be_fractional_and_local_assignment_is_a_value():
    assert field_value("{% 12.5 %}", "ToleratedFailurePercentage") == 12.5
    # AWS-recorded: evaluate_jsonata test_base_map[TOLERATED_FAILURE_PERCENTAGE].
    assert field_value("{% $variable := 1 %}", "ToleratedFailurePercentage") == 1


def test_strings_for_fail_and_wait():
    assert field_value("{% $states.input.error %}", "Error", {"error": "Boom"}) == "Boom"
    assert "Expected 'string'" in field_failure("{% 1 %}", "Cause").cause


def test_fields_without_a_rule_are_plain():
    assert field_rule("Output") is None
    assert field_value({"a": "{% 1 %}"}, "Output") == {"a": 1}
