"""Failures: AWS's cause texts, the field named inside the value, definition errors."""

from __future__ import annotations

import pytest

from backend.engine.errors import DefinitionError, StatesError
from backend.engine.jsonata_query import QueryEvaluationError, compile_jsonata_value
from tests.engine.jsonata.support import FakeScope, evaluate


def failure(value, states=None, scope=None, field="Output", **kw) -> QueryEvaluationError:
    with pytest.raises(QueryEvaluationError) as caught:
        evaluate(value, states, scope, field=field, **kw)
    assert caught.value.error == "States.QueryEvaluationError"
    assert isinstance(caught.value, StatesError)
    return caught.value


def test_undefined_result_names_the_expression_and_field():
    error = failure("{% $doesNotExist %}")
    assert error.cause == (
        "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined)."
    )
    assert error.location == "Output"


@pytest.mark.parametrize(
    ("value", "field", "location"),
    [
        ({"result": "{% $doesNotExist %}"}, "Output", "Output/result"),
        ({"result": "{% $doesNotExist %}"}, "Assign", "Assign/result"),
        ({"a": {"b": [0, "{% $doesNotExist %}"]}}, "Output", "Output/a/b[1]"),
        ([1, "{% $doesNotExist %}"], "Items", "Items[1]"),
    ],
)
def test_the_field_path_inside_the_value_is_named(value, field, location):
    error = failure(value, field=field)
    assert error.location == location
    assert f"specified for the field '{location}' returned nothing" in error.cause


def test_state_prefix_when_the_state_is_given():
    error = failure("{% $doesNotExist %}", state_name="State0", entered_event_id=2)
    assert error.cause == (
        "An error occurred while executing the state 'State0' (entered at the event id #2). "
        "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined)."
    )
    assert error.detail.startswith("The JSONata expression '$doesNotExist'")


def test_unset_variable_reads_as_undefined_and_set_one_does_not():
    assert failure("{% $missing %}", scope=FakeScope({"other": 1})).location == "Output"
    assert evaluate("{% $other %}", scope=FakeScope({"other": 1})) == 1


def test_calling_an_undefined_function_is_t1006():
    # Recorded on AWS (intrinsic_functions test_math_random_seeded).
    error = failure(
        {"FunctionResult": "{% $randomSeeded($states.input.FunctionInput.fst) %}"},
        {"input": {"FunctionInput": "fst"}},
        state_name="State_0",
        entered_event_id=2,
    )
    assert error.cause == (
        "An error occurred while executing the state 'State_0' (entered at the event id #2). "
        "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field "
        "'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function"
    )


def test_eval_is_not_available():
    assert failure("{% $eval('1 + 1') %}").cause.endswith("T1006: Attempted to invoke a non-function")


@pytest.mark.parametrize(
    ("expression", "detail"),
    [
        ("'a' + 1", 'T2001: The left side of the "+" operator must evaluate to a number'),
        ("1 - 'a'", 'T2002: The right side of the "-" operator must evaluate to a number'),
        ("$error('boom')", "D3137: boom"),
        ("$number('x')", 'D3030: Unable to cast value to a number: "x"'),
        ("-'a'", 'D1002: Cannot negate a non-numeric value: "a"'),
        (
            "$toMillis('garbage')",
            'D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given "garbage"',
        ),
        ("$replace('a', '', 'b')", "D3010: Second argument of replace function cannot be an empty string"),
        ("$sum(['a'])", 'T0412: Argument 1 of function "sum" must be an array of "numbers"'),
        ("$number('nan')", 'D3030: Unable to cast value to a number: "nan"'),
    ],
)
def test_runtime_errors_carry_jsonata_code_and_message(expression, detail):
    cause = failure("{% " + expression + " %}").cause
    assert cause == (
        f"The JSONata expression '{expression}' specified for the field 'Output' "
        f"threw an error during evaluation. {detail}"
    )


def test_invoking_a_non_function_prints_nothing(capsys):
    # stdout carries the CLI's answer; the library would print "Proc not found" here.
    cause = failure("{% $states.input.a() %}", {"input": {"a": 1}}).cause
    assert cause.endswith("T1006: Attempted to invoke a non-function")
    assert capsys.readouterr().out == ""


def test_a_function_as_result_is_unsupported():
    # Recorded on AWS (scenarios test_map_state_items_eval_jsonata_fail[function]).
    error = failure("{% $fn := function($x){$x} %}", field="Items")
    assert error.cause == (
        "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' "
        "returned an unsupported result type."
    )


def test_runaway_recursion_fails_instead_of_hanging():
    cause = failure("{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000)) %}").cause
    assert "threw an error during evaluation. D1011" in cause or "D1012" in cause


@pytest.mark.parametrize(
    "source",
    ["{% a[1,2) %}", "{% 'open %}", "{% %}", "{% $x ?? 1 %}", "{% $x ?: 1 %}"],
)
def test_bad_syntax_is_a_definition_error_at_the_pointer(source):
    with pytest.raises(DefinitionError) as caught:
        compile_jsonata_value({"a": [source]}, pointer="/States/S/Output")
    assert caught.value.pointer == "/States/S/Output/a/0"
    assert caught.value.code == "INVALID_JSONATA_EXPRESSION"


def test_conditional_operator_is_not_mistaken_for_the_elvis_operator():
    assert evaluate("{% $states.input.a ? '?:' : 'no' %}", {"input": {"a": True}}) == "?:"
