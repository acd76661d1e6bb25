"""Templates, constants, $states, variables and result conversion."""

from __future__ import annotations

import pytest
from backend.engine.jsonata_query import compile_jsonata_value, is_jsonata
from tests.engine.jsonata.support import FakeScope, evaluate


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{% 1 %}", True),
        ("{%1%}", True),
        (" {% 1 %}", False),
        ("{% 1 %} ", False),
        ("{% 1", False),
        ("$.a", False),
        (1, False),
        (None, False),
    ],
)
def test_is_jsonata_needs_the_exact_delimiters(value, expected):
    assert is_jsonata(value) is expected


def test_constant_value_is_returned_as_it_is():
    literal = {"a": [1, {"b": "{ % not an expression % }"}], "c": "text"}
    compiled = compile_jsonata_value(literal, pointer="/States/S/Output")
    assert compiled.is_constant
    assert compiled.evaluate({"input": {}}, FakeScope(), field="Output") is literal


def test_expressions_nested_anywhere_are_evaluated_and_literals_kept():
    value = {
        "sum": "{% $states.input.a + 1 %}",
        "literal": "kept",
        "list": [1, "{% $states.input.a * 10 %}", {"deep": "{% $uppercase($states.input.s) %}"}],
        "fixed": {"x": [1, 2]},
    }
    compiled = compile_jsonata_value(value, pointer="/States/S/Output")
    assert not compiled.is_constant
    result = compiled.evaluate({"input": {"a": 2, "s": "hi"}}, FakeScope(), field="Output")
    assert result == {"sum": 3, "literal": "kept", "list": [1, 20, {"deep": "HI"}], "fixed": {"x": [1, 2]}}
    assert list(result) == ["sum", "literal", "list", "fixed"]
    # Constant sub-trees are shared, not rebuilt.
    assert result["fixed"] is value["fixed"]


def test_every_evaluation_builds_a_new_container():
    compiled = compile_jsonata_value({"a": "{% $states.input %}"}, pointer="/x")
    first = compiled.evaluate({"input": 1}, FakeScope(), field="Output")
    second = compiled.evaluate({"input": 2}, FakeScope(), field="Output")
    assert first == {"a": 1} and second == {"a": 2}


def test_states_parts_are_readable():
    states = {"input": {"i": 1}, "result": {"r": 2}, "errorOutput": {"Error": "E"}, "context": {"c": 3}}
    value = {
        "i": "{% $states.input.i %}",
        "r": "{% $states.result.r %}",
        "e": "{% $states.errorOutput.Error %}",
        "c": "{% $states.context.c %}",
    }
    assert evaluate(value, states) == {"i": 1, "r": 2, "e": "E", "c": 3}


def test_context_comes_from_the_scope_only_when_needed():
    scope = FakeScope(context={"Execution": {"Name": "run-7"}})
    assert evaluate("{% $states.context.Execution.Name %}", {"input": {}}, scope) == "run-7"
    assert scope.context_calls == 1
    evaluate("{% $states.input %}", {"input": {}}, scope)
    assert scope.context_calls == 1


def test_input_is_not_mutated():
    execution_input = {"a": None, "b": [1.0, None]}
    result = evaluate("{% $states.input ~> |$|{'c': 1}| %}", {"input": execution_input})
    assert result == {"a": None, "b": [1, None], "c": 1}
    assert execution_input == {"a": None, "b": [1.0, None]}


def test_variables_are_bound_by_name():
    scope = FakeScope({"count": 2, "name": "x", "unused": 1})
    assert evaluate("{% $name & '-' & $string($count) %}", scope=scope) == "x-2"
    assert sorted(scope.looked_up) == ["count", "name"]


def test_local_names_and_called_functions_are_not_looked_up():
    scope = FakeScope({"k": 3})
    result = evaluate("{% ($f := function($v){ $v * $k }; $sum($map([1, 2], $f))) %}", scope=scope)
    assert result == 9
    assert scope.looked_up == ["k"]


def test_variable_holding_null_is_null_not_undefined():
    assert evaluate({"v": "{% $nothing %}"}, scope=FakeScope({"nothing": None})) == {"v": None}


def test_variable_references_are_reported():
    compiled = compile_jsonata_value({"a": "{% $x + $y %}", "b": ["{% $y & $states.input %}"]}, pointer="/x")
    assert compiled.variable_references == ("x", "y")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{% 2.0 %}", 2),
        ("{% $states.input.f %}", 3),
        ("{% 1.5 * 2 %}", 3),
        ("{% 7 / 2 %}", 3.5),
        ("{% $parse('-0') %}", 0),
        ("{% 1e20 %}", 100000000000000000000),
        ("{% 1e21 %}", 1e21),
    ],
)
def test_numbers_come_out_as_javascript_prints_them(expression, expected):
    result = evaluate(expression, {"input": {"f": 3.0}})
    assert result == expected
    assert type(result) is type(expected)


def test_sequences_become_lists_and_nulls_stay():
    states = {"input": {"items": [{"v": 1}, {"v": None}, {"v": 3}]}}
    # JSON null is a value (only undefined drops out of a sequence).
    assert evaluate("{% $states.input.items.v %}", states) == [1, None, 3]
    assert evaluate("{% $states.input.items.w %}", {"input": {"items": [{"w": 1}, {}, {"w": 3}]}}) == [1, 3]
    assert evaluate("{% $states.input.items[1].v %}", states) is None
    assert evaluate("{% [$states.input.items[0].v] %}", states) == [1]
    result = evaluate("{% $states.input.items.v %}", states)
    assert type(result) is list


def test_a_single_match_is_the_value_itself():
    assert evaluate("{% $states.input.items[$ > 2] %}", {"input": {"items": [1, 2, 3]}}) == 3


def test_local_assignments_stay_local():
    scope = FakeScope({"x": 1})
    assert evaluate("{% ($x := 5; $x) %}", scope=scope) == 5
    assert scope.variables == {"x": 1}


def test_now_reads_the_clock_at_evaluation():
    compiled = compile_jsonata_value("{% $millis() %}", pointer="/x")
    compile_jsonata_value("{% 1 %}", pointer="/y")  # another instance becomes the port's "current" one
    import time

    before = int(time.time() * 1000)
    assert compiled.evaluate({"input": {}}, FakeScope(), field="Output") >= before


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # Plain dotted paths are read straight from the data; arrays hand them back to JSONata.
        ("$states.input.order.id", 7),
        ("$states.input.order.lines.sku", ["a", "b"]),
        ("$states.input.order.lines[0].sku", "a"),
        ("$states.input.order.single.sku", "s"),
        ("$map($states.input.order.lines, function($l){ $l.qty * 2 })", [2, 6]),
        ("$states.input.order.lines.qty ~> $sum()", 4),
        ("$count($states.input.order.lines)", 2),
        ("$states.input.order.none", None),
        ("{'id': $states.input.order.id, 'first': $states.input.order.lines[0].qty}", {"id": 7, "first": 1}),
    ],
)
def test_paths_through_objects_and_arrays(expression, expected):
    order = {"id": 7, "none": None, "lines": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 3}], "single": [{"sku": "s"}]}
    assert evaluate("{% " + expression + " %}", {"input": {"order": order}}) == expected


def test_a_path_from_a_variable_holding_an_array():
    scope = FakeScope({"rows": [{"v": 1}, {"v": 2}], "row": {"v": 5}})
    assert evaluate("{% $rows.v %}", scope=scope) == [1, 2]
    assert evaluate("{% $row.v %}", scope=scope) == 5


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1/0", "Infinity"),
        ("-1/0", "-Infinity"),
        ("0/0", "NaN"),
        ("1e308 * 10", "Infinity"),
        ("[1/0]", ["Infinity"]),
        ("5.5 % 2", 1.5),
        ("-5.5 % 2", -1.5),
        ("5 % 0", "NaN"),
    ],
)
def test_arithmetic_is_javascript_arithmetic(expression, expected):
    assert evaluate("{% " + expression + " %}") == expected


def test_a_non_finite_operand_is_refused():
    from backend.engine.jsonata_query import QueryEvaluationError

    with pytest.raises(QueryEvaluationError) as caught:
        evaluate("{% (1/0) + 1 %}")
    assert caught.value.cause.endswith("threw an error during evaluation. D1001: Number out of range: null")
