"""Each States.* function evaluated through compile_intrinsic: results and run-time failures."""

from __future__ import annotations

import re

import pytest

from backend.engine.errors import INTRINSIC_FAILURE, RUNTIME, StatesError
from backend.engine.intrinsics import compile_intrinsic, is_intrinsic

POINTER = "/States/Step/Parameters/out.$"


def run(text: str, data=None, scope=None):
    return compile_intrinsic(text, pointer=POINTER)(data if data is not None else {}, scope)


def fails(text: str, data, scope=None, error: str = INTRINSIC_FAILURE) -> str:
    with pytest.raises(StatesError) as caught:
        run(text, data, scope)
    assert caught.value.error == error
    return caught.value.cause


def test_is_intrinsic():
    assert is_intrinsic("States.Format('x')")
    assert not is_intrinsic("$.States")
    assert not is_intrinsic(None)


# --- States.Format ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        (None, "null"),
        (True, "true"),
        (7, "7"),
        (1.0, "1.0"),
        (1.1, "1.1"),
        (-0.0, "-0.0"),
        (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"),
        (0.0001, "1.0E-4"),
        (0.001, "0.001"),
        ([1, "a", None, [2.5]], "[1, a, null, [2.5]]"),
        ({"Id": "x", "Name": "n", "n": {"b": False}}, "{Id=x, Name=n, n={b=false}}"),
    ],
)
def test_format_renders_values_as_java_does(value, text):
    assert run("States.Format('<{}>', $.v)", {"v": value}) == f"<{text}>"


def test_format_with_paths_variables_and_context(scope):
    assert run("States.Format($template, $$.Map.Item.Value)", {}, scope) == "It's Pikachu!"
    assert run("States.Format('{} of {}', $count, $.n)", {"n": 9}, scope) == "4 of 9"


def test_format_escaped_braces_are_not_placeholders():
    assert run(r"States.Format('\{\} {} \\', 'x')") == "{} x \\"
    assert run("States.Format('{ } {x}')") == "{ } {x}"


def test_format_template_from_data_counts_placeholders_at_run_time():
    assert run("States.Format($.t, 1, 2)", {"t": "{}+{}"}) == "1+2"
    cause = fails("States.Format($.t, 1)", {"t": "{} {}"})
    assert cause == (
        "Invalid arguments in States.Format: the template has 2 placeholder(s) '{}' but 1 value(s) were given"
    )
    assert "string" in fails("States.Format($.t)", {"t": 5})


def test_format_template_from_data_with_a_dangling_escape():
    assert "escape" in fails("States.Format($.t)", {"t": "abc\\"})


# --- JSON text ---------------------------------------------------------------------------


def test_string_to_json():
    parsed = run("States.StringToJson($.s)", {"s": '{"b": [1, 2.5, "x"], "a": null}'})
    assert parsed == {"b": [1, 2.5, "x"], "a": None}
    assert run("States.StringToJson($.s)", {"s": "  "}) is None
    assert run("States.StringToJson('\"é\"')") == "é"
    assert "not valid JSON" in fails("States.StringToJson($.s)", {"s": "{oops"})
    assert "not valid JSON" in fails("States.StringToJson($.s)", {"s": "NaN"})
    assert "must be a string" in fails("States.StringToJson($.s)", {"s": {"a": 1}})


def test_json_to_string_is_compact_and_keeps_key_order():
    data = {"v": {"z": 1, "a": [True, None, 1.5], "é": "ü"}}
    assert run("States.JsonToString($.v)", data) == '{"z":1,"a":[true,null,1.5],"é":"ü"}'
    assert run("States.JsonToString($.v)", {"v": "x"}) == '"x"'
    assert run("States.JsonToString($.v)", {"v": [1e16, -2e-5, 0.5, {}, []]}) == "[1.0E16,-2.0E-5,0.5,{},[]]"
    assert run("States.JsonToString($.v)", {"v": 'q"\\\n'}) == '"q\\"\\\\\\n"'


# --- arrays --------------------------------------------------------------------------------


def test_array_builds_from_any_arguments():
    assert run("States.Array()") == []
    assert run("States.Array('a', 1, $.o, States.Array(null))", {"o": {"k": 1}}) == ["a", 1, {"k": 1}, [None]]


def test_array_partition():
    assert run("States.ArrayPartition($.a, 2)", {"a": [1, 2, 3, 4, 5]}) == [[1, 2], [3, 4], [5]]
    assert run("States.ArrayPartition($.a, 9)", {"a": []}) == []
    assert "positive" in fails("States.ArrayPartition($.a, $.n)", {"a": [1], "n": 0})
    assert "integer" in fails("States.ArrayPartition($.a, $.n)", {"a": [1], "n": 1.5})
    assert "an array" in fails("States.ArrayPartition($.a, 1)", {"a": "abc"})


def test_array_contains_uses_deep_json_equality():
    data = {"a": [1, [1, 2], {"x": [None]}, "s", False]}
    assert run("States.ArrayContains($.a, $.v)", {**data, "v": {"x": [None]}}) is True
    assert run("States.ArrayContains($.a, $.v)", {**data, "v": [1, 2]}) is True
    assert run("States.ArrayContains($.a, 1.0)", data) is True
    assert run("States.ArrayContains($.a, true)", data) is False  # true is not 1
    assert run("States.ArrayContains($.a, 0)", data) is False  # 0 is not false
    assert run("States.ArrayContains($.a, null)", data) is False


def test_array_range_is_inclusive_and_limited_to_1000_items():
    assert run("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9]
    assert run("States.ArrayRange(0, 10, 3)") == [0, 3, 6, 9]
    assert run("States.ArrayRange(5, 1, -2)") == [5, 3, 1]
    assert run("States.ArrayRange(5, 1, 1)") == []
    assert len(run("States.ArrayRange(1, 1000, 1)")) == 1000
    assert "at most 1000" in fails("States.ArrayRange(0, 1000, 1)", {})
    assert "not be 0" in fails("States.ArrayRange(0, 3, $.s)", {"s": 0})


def test_array_get_item():
    assert run("States.ArrayGetItem($.a, 1)", {"a": ["x", {"y": 1}]}) == {"y": 1}
    cause = fails("States.ArrayGetItem($.a, 2)", {"a": ["x", "y"]})
    assert cause == "Invalid arguments in States.ArrayGetItem: the index 2 is out of bounds for an array of length 2"
    assert "out of bounds" in fails("States.ArrayGetItem($.a, $.i)", {"a": ["x"], "i": -1})


def test_array_length_and_unique():
    items = [None, None, True, 1, 1.0, "1", [], [], {"a": 1, "b": 2}, {"b": 2, "a": 1}, False, 0]
    assert run("States.ArrayLength($.a)", {"a": items}) == 12
    assert run("States.ArrayUnique($.a)", {"a": items}) == [None, True, 1, "1", [], {"a": 1, "b": 2}, False, 0]
    assert "an array" in fails("States.ArrayLength($.a)", {"a": {"k": 1}})


# --- encodings and hashes ------------------------------------------------------------------


def test_base64_round_trip_and_limits():
    assert run("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU="
    assert run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')") == "Data to encode"
    assert run("States.Base64Decode(States.Base64Encode('ünï'))") == "ünï"
    assert "not valid Base64" in fails("States.Base64Decode($.s)", {"s": "%%%"})
    assert "at most 10000" in fails("States.Base64Encode($.s)", {"s": "x" * 10_001})
    assert len(run("States.Base64Encode($.s)", {"s": "x" * 10_000})) > 10_000


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
    ],
)
def test_hash_is_lowercase_hex(algorithm, digest):
    assert run("States.Hash('input data', $.alg)", {"alg": algorithm}) == digest


def test_hash_failures():
    assert "not supported" in fails("States.Hash('x', $.alg)", {"alg": "sha-256"})
    assert "at most 10000" in fails("States.Hash($.d, 'MD5')", {"d": "x" * 10_001})


# --- objects, numbers, strings, ids --------------------------------------------------------


def test_json_merge_is_shallow_and_right_wins():
    data = {"a": {"k": {"x": 1}, "only_a": 1}, "b": {"k": {"y": 2}}}
    assert run("States.JsonMerge($.a, $.b, false)", data) == {"k": {"y": 2}, "only_a": 1}
    assert data["a"] == {"k": {"x": 1}, "only_a": 1}  # arguments are not mutated
    assert "shallow" in fails("States.JsonMerge($.a, $.b, $.deep)", {**data, "deep": True})
    assert "an object" in fails("States.JsonMerge($.a, $.b, false)", {"a": [], "b": {}})


@pytest.mark.parametrize(
    ("left", "right", "total"),
    [
        (-9, 3, -6),
        (1.49, 1.50, 3),
        (1.5, 1.51, 4),
        (-1.5, -1.51, -3),
        (0.5, 0, 1),
        (2.5, 0, 3),
        (-0.5, 0, 0),
        (-2.5, 0, -2),
        (-3.5, 0, -3),
        (0.49999999999999994, 0, 0),
    ],
)
def test_math_add_rounds_each_argument_like_java_math_round(left, right, total):
    result = run("States.MathAdd($.l, $.r)", {"l": left, "r": right})
    assert result == total and type(result) is int


def test_math_add_rejects_non_numbers():
    assert "must be a number" in fails("States.MathAdd($.l, 1)", {"l": "1"})
    assert "must be a number" in fails("States.MathAdd($.l, 1)", {"l": True})


def test_math_random_is_an_integer_in_range_and_seeded_is_repeatable():
    values = {run("States.MathRandom(1, 3)") for _ in range(200)}
    assert values == {1, 2}  # the end is exclusive
    seeded = {run("States.MathRandom(0, 1000000, $.seed)", {"seed": 42}) for _ in range(5)}
    assert len(seeded) == 1
    assert run("States.MathRandom(1.6, 2.5)") == 2  # bounds round to 2 and 3
    assert "greater than" in fails("States.MathRandom(5, 1)", {})
    assert "greater than" in fails("States.MathRandom(2, 2)", {})


def test_string_split_on_every_delimiter_character_dropping_empty_pieces():
    assert run("States.StringSplit('This.is+a,test=string', '.+,=')") == ["This", "is", "a", "test", "string"]
    assert run("States.StringSplit(' , ', ',')") == [" ", " "]
    assert run("States.StringSplit(',,a,,', ',')") == ["a"]
    assert run("States.StringSplit('abc', '')") == ["abc"]
    assert "must be a string" in fails("States.StringSplit($.s, ',')", {"s": 1})


def test_uuid_is_a_random_version_4_uuid():
    first, second = run("States.UUID()"), run("States.UUID()")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first != second


# --- paths inside calls ----------------------------------------------------------------------


def test_a_missing_path_argument_is_the_paths_modules_runtime_error():
    cause = fails("States.MathAdd($.missing, 1)", {"a": 1}, error=RUNTIME)
    assert "'$.missing'" in cause and "'out.$'" in cause


def test_query_path_arguments_select_lists(scope):
    data = {"items": [{"n": 1}, {"n": 5}, {"n": 3}]}
    assert run("States.ArrayLength($.items[?(@.n > 2)])", data) == 2
    assert run("States.ArrayUnique($numbers)", {}, scope) == [3, 1]


def test_nested_calls_evaluate_inside_out():
    text = (
        "States.ArrayGetItem(States.StringSplit($.arn, ':'), "
        "States.MathAdd(States.ArrayLength(States.StringSplit($.arn, ':')), -1))"
    )
    assert run(text, {"arn": "arn:aws:states:us-east-1:1:stateMachine:orders"}) == "orders"
