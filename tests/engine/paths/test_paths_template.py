"""Payload templates: ``.$`` keys at any depth, literals, errors with JSON pointers."""

from __future__ import annotations

import copy

import pytest

from backend.engine import intrinsics
from backend.engine.errors import DefinitionError, StatesError
from backend.engine.paths import compile_payload_template

POINTER = "/States/P/Parameters"


def render(template, data, scope):
    return compile_payload_template(template, pointer=POINTER).render(data, scope)


# PT-02 / PT-03: any depth, inside arrays; $, $$ and $var values.
def test_dynamic_keys_at_any_depth(scope):
    template = {
        "a.$": "$.x",
        "nested": {"b.$": "$.y[1]", "lit": 1},
        "list": [{"c.$": "$$.Map.Item.Value"}, "plain", [{"d.$": "$order.total"}]],
        "whole.$": "$",
        "ctx.$": "$$.Execution.Id",
        "var.$": "$count",
    }
    data = {"x": "X", "y": [0, "Y"]}
    assert render(template, data, scope) == {
        "a": "X",
        "nested": {"b": "Y", "lit": 1},
        "list": [{"c": "x"}, "plain", [{"d": 9}]],
        "whole": data,
        "ctx": "arn:exec:1",
        "var": 3,
    }


def test_key_order_follows_the_template(scope):
    out = render({"z": 1, "a.$": "$.v", "m": 2}, {"v": 0}, scope)
    assert list(out) == ["z", "a", "m"]


def test_indefinite_path_value_is_a_list(scope):
    assert render({"ids.$": "$.items[*].id"}, {"items": [{"id": 1}, {"id": 2}]}, scope) == {"ids": [1, 2]}
    assert render({"item.$": "$.items[1:]"}, {}, scope) == {"item": []}


# PT-06: keys without .$ are literal, even when the value looks like a path.
def test_values_without_dollar_suffix_are_literal(scope):
    assert render({"p": "$.x", "q": "States.Format('{}', $.x)"}, {"x": 1}, scope) == {
        "p": "$.x",
        "q": "States.Format('{}', $.x)",
    }


def test_literal_subtrees_are_built_once_and_shared(scope):
    compiled = compile_payload_template({"lit": {"deep": [1, {"k": "v"}]}, "d.$": "$.a"}, pointer=POINTER)
    first = compiled.render({"a": 1}, scope)
    second = compiled.render({"a": 2}, scope)
    assert first["lit"] is second["lit"]
    assert first["d"] == 1 and second["d"] == 2


def test_fully_literal_template_renders_its_value(scope):
    template = {"a": [1, 2], "b": {"c": None}}
    assert render(template, {"ignored": True}, scope) == template


def test_empty_template_renders_an_empty_object(scope):
    assert render({}, {"x": 1}, scope) == {}


def test_render_does_not_mutate_data_or_template(scope):
    template = {"a.$": "$.x", "b": [{"c.$": "$.x.y"}]}
    data = {"x": {"y": [1]}}
    before = copy.deepcopy((template, data))
    out = render(template, data, scope)
    assert (template, data) == before
    assert out["a"] is data["x"]


# PATH-08 / PT-08: missing path in a .$ field -> States.Runtime with AWS's cause.
def test_missing_path_in_field_cause(scope):
    with pytest.raises(StatesError) as caught:
        render({"value.$": "$.no_such_jsonpath"}, {"int-literal": 0}, scope)
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == (
        "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found "
        "in the input '{\"int-literal\":0}'"
    )


def test_missing_path_in_nested_field_names_that_field(scope):
    with pytest.raises(StatesError) as caught:
        render({"outer": [{"inner.$": "$.nope"}]}, {}, scope)
    assert "specified for the field 'inner.$'" in caught.value.cause


# PT-01: a template must be an object.
@pytest.mark.parametrize("template", [[], "x", None, 1])
def test_template_must_be_an_object(template):
    with pytest.raises(DefinitionError) as caught:
        compile_payload_template(template, pointer=POINTER)
    assert caught.value.pointer == POINTER
    assert caught.value.code == "SCHEMA_VALIDATION_FAILED"


# PT-04: .$ values must be a path or an intrinsic call; the pointer names the field.
@pytest.mark.parametrize("value", [1, None, True, {"a": 1}, ["$.a"], "plain text", "", "Format('{}', $.a)"])
def test_dynamic_value_must_be_a_path_or_intrinsic(value):
    with pytest.raises(DefinitionError) as caught:
        compile_payload_template({"outer": [{"x.$": value}]}, pointer=POINTER)
    assert caught.value.pointer == POINTER + "/outer/0/x.$"
    assert caught.value.code == "SCHEMA_VALIDATION_FAILED"
    assert "is not a JSONPath or intrinsic function expression" in caught.value.message


def test_bad_path_syntax_points_at_the_field():
    with pytest.raises(DefinitionError) as caught:
        compile_payload_template({"a/b": {"c~d.$": "$.x["}}, pointer=POINTER)
    assert caught.value.pointer == POINTER + "/a~1b/c~0d.$"
    assert caught.value.code == "INVALID_JSONPATH"


# PT-05: duplicate keys after stripping.
def test_duplicate_key_after_stripping_is_a_definition_error():
    with pytest.raises(DefinitionError) as caught:
        compile_payload_template({"nested": {"a": 1, "a.$": "$.a"}}, pointer=POINTER)
    assert caught.value.pointer == POINTER + "/nested/a.$"
    assert caught.value.code == "SCHEMA_VALIDATION_FAILED"
    assert "'a'" in caught.value.message


# PT-03 / PT-09: intrinsic calls are compiled by the intrinsics module with the field's pointer.
def test_intrinsic_values_are_compiled_once_and_evaluated_per_render(scope, monkeypatch):
    compiled_calls = []

    def fake_compile(text, *, pointer, field=None):
        compiled_calls.append((text, pointer, field))
        return lambda data, scope: ("evaluated", text, data["n"])

    monkeypatch.setattr(intrinsics, "is_intrinsic", lambda text: text.startswith("States."))
    monkeypatch.setattr(intrinsics, "compile_intrinsic", fake_compile)

    compiled = compile_payload_template({"n.$": "States.MathAdd($.n, 1)"}, pointer=POINTER)
    assert compiled.render({"n": 1}, scope) == {"n": ("evaluated", "States.MathAdd($.n, 1)", 1)}
    assert compiled.render({"n": 5}, scope) == {"n": ("evaluated", "States.MathAdd($.n, 1)", 5)}
    assert compiled_calls == [("States.MathAdd($.n, 1)", POINTER + "/n.$", "n.$")]


def test_assign_style_template_with_variables(scope):
    # JSONPath Assign blocks are templates too: literal and .$ values side by side.
    assert render({"total.$": "$order.total", "flag": True}, {}, scope) == {"total": 9, "flag": True}


def test_real_intrinsics_in_a_template(scope):
    template = {"n.$": "States.MathAdd($.last.n, 1)", "s.$": "States.Format('{} of {}', $.a, $count)"}
    assert render(template, {"last": {"n": 41}, "a": "x"}, scope) == {"n": 42, "s": "x of 3"}


def test_unknown_intrinsic_is_a_definition_error_at_the_field():
    with pytest.raises(DefinitionError) as caught:
        compile_payload_template({"x": {"y.$": "States.NoSuchFunction(1)"}}, pointer=POINTER)
    assert caught.value.pointer == POINTER + "/x/y.$"
