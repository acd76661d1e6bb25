"""Parsing of intrinsic calls: arguments, string escapes, path boundaries, errors."""

from __future__ import annotations

import pytest

from backend.engine.intrinsics.syntax import (
    Call,
    IntrinsicSyntaxError,
    Literal,
    PathArgument,
    parse_intrinsic,
)


def test_literal_arguments_of_every_kind():
    call = parse_intrinsic("States.Array('a b', 12, -3, 1.5, 2e3, null, true, false)")
    assert call.name == "States.Array"
    assert [arg.value for arg in call.arguments] == ["a b", 12, -3, 1.5, 2000.0, None, True, False]
    assert type(call.arguments[1].value) is int
    assert type(call.arguments[3].value) is float


def test_no_arguments_and_blanks_between_tokens():
    assert parse_intrinsic("States.UUID()") == Call("States.UUID", ())
    assert parse_intrinsic("  States.MathAdd ( 1 ,\t2 )  ").arguments == (Literal(1), Literal(2))


def test_string_escapes_are_removed_but_raw_text_is_kept():
    (arg,) = parse_intrinsic(r"States.Format('it\'s \{\} a \\ b {}')").arguments
    assert arg.value == "it's {} a \\ b {}"
    assert arg.raw == r"it\'s \{\} a \\ b {}"


def test_string_may_hold_commas_parentheses_and_braces():
    (arg,) = parse_intrinsic("""States.StringToJson('{"a": "x, (y)"}')""").arguments
    assert arg.value == '{"a": "x, (y)"}'


@pytest.mark.parametrize(
    "path",
    [
        "$",
        "$.a.b",
        "$$.Execution.Input",
        "$var",
        "$var.items[0]",
        "$.a[?(@.b == 'x, y)')]",
        '$.a["k,1"]',
        "$['x)']",
        "$.a[1,2]",
        "$..c",
    ],
)
def test_a_path_ends_at_the_next_top_level_comma(path):
    call = parse_intrinsic(f"States.Array({path}, 1)")
    assert call.arguments == (PathArgument(path), Literal(1))


def test_a_path_ends_at_the_closing_parenthesis_and_blanks():
    assert parse_intrinsic("States.Array($.a )").arguments == (PathArgument("$.a"),)
    assert parse_intrinsic("States.Array($.a)").arguments == (PathArgument("$.a"),)


def test_nested_calls():
    call = parse_intrinsic("States.ArrayGetItem(States.StringSplit($.arn, ':'), 5)")
    inner, index = call.arguments
    assert inner == Call("States.StringSplit", (PathArgument("$.arn"), Literal(":", raw=":")))
    assert index == Literal(5)


def _nested(depth: int) -> str:
    return "States.Array(" * depth + "1" + ")" * depth


def test_ten_levels_of_nesting_are_allowed_eleven_are_not():
    parse_intrinsic(_nested(10))
    with pytest.raises(IntrinsicSyntaxError, match="at most 10"):
        parse_intrinsic(_nested(11))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("States.Array(1", "not closed"),
        ("States.Array(1 2)", "expected ',' or ')'"),
        ("States.Array(1,,2)", "unexpected character ','"),
        ("States.Array('abc)", "string literal is not closed"),
        ("States.Array(tru)", "unexpected character 't'"),
        ("States.Array() extra", "unexpected text after"),
        ("States.(1)", "expected a function name"),
        ("States.Array 1", "expected '('"),
        ("Foo.Bar()", "expected an intrinsic function call"),
        ("States.Array($.a[0)", "not closed"),
        ("States.Array(01)", "expected ',' or ')'"),
    ],
)
def test_malformed_calls(text, reason):
    with pytest.raises(IntrinsicSyntaxError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_intrinsic(text)
