"""Simple expressions run as closures; they must agree with the library's own evaluation."""

from __future__ import annotations

import pytest

from backend.engine.jsonata_query import JsonataExpression
from backend.engine.jsonata_query.expression import Undefined
from tests.engine.jsonata.support import FakeScope

STATES = {
    "input": {
        "n": 5,
        "f": 2.5,
        "zero": 0,
        "s": "abc",
        "t": True,
        "none": None,
        "obj": {"k": 1, "deep": {"v": "x"}},
        "items": [{"v": 1}, {"v": 2}],
        "nums": [1, 2, 3],
    }
}
VARIABLES = {"x": 10, "name": "Ann", "flag": False, "nothing": None, "rows": [{"v": 1}]}

EXPRESSIONS = [
    "$states.input.n + 1",
    "$states.input.n - $states.input.f",
    "$states.input.n * 2 / 4",
    "$states.input.n % 3",
    "$states.input.n / $states.input.zero",
    "-$states.input.n",
    "-$states.input.missing",
    "$states.input.n >= 5 and $states.input.n < 10",
    "$states.input.n > 5 or $states.input.s = 'abc'",
    "$states.input.s = 'abc'",
    "$states.input.s != 'abd'",
    "$states.input.s < 'b'",
    "$states.input.t = true",
    "$states.input.none = null",
    "$states.input.missing = null",
    "$states.input.missing + 1",
    "$states.input.missing and true",
    "$states.input.obj.deep.v & '-' & $states.input.n",
    "$states.input.obj = {'k': 1}",
    "$states.input.items.v = 2",
    "$states.input.items.v",
    "$states.input.nums",
    "$states.input.nums > 1",
    "$states.input.obj.k ? 'yes' : 'no'",
    "$states.input.zero ? 'yes' : 'no'",
    "$states.input.zero ? 'yes'",
    "($states.input.n + 1)",
    "$x * 2",
    "$name & ' ' & $x",
    "$flag or $x > 3",
    "$nothing = null",
    "$unset",
    "$unset + 1",
    "$rows.v",
    "$sum",
    "'a' + 1",
    "$states.input.s > 1",
    "-$states.input.s",
    "1e308 * 10",
    "null",
    "'text'",
    "3.0",
    "$count($states.input.nums)",
    "$sum($states.input.items.v)",
    "$exists($states.input.missing)",
    "$exists($unset)",
    "$not($states.input.t)",
    "$string($states.input.f)",
    "$uppercase($states.input.s)",
    "$partition($states.input.nums, 2)",
    "$range(1, 3, 1)",
    "$range(2, 2, 1)",
    "$range(1, 3)",
    "$sum($states.input.s)",
    "$substring($states.input.s, 1)",
    "$length(1)",
    "$number('x')",
    "$hash($states.input.s, 'MD5')",
    "$keys($states.input.obj)",
    "$lookup($states.input.obj, 'k')",
    "$type($states.input.none)",
    "$randomSeeded(1)",
    "$eval('1')",
    "$count($states.input.nums) > 2 and $exists($x)",
]


def outcome(expression: JsonataExpression) -> tuple[str, object]:
    try:
        return "value", expression.evaluate(STATES, FakeScope(VARIABLES))
    except Undefined:
        return "undefined", None
    except Exception as error:  # the evaluator's own error, compared by type and text
        return type(error).__name__, str(error)


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_closure_and_library_agree(text):
    fast = JsonataExpression("{% " + text + " %}", pointer="/x")
    library = JsonataExpression("{% " + text + " %}", pointer="/x")
    library._closure = None  # force the library's evaluation for comparison
    assert outcome(fast) == outcome(library)


@pytest.mark.parametrize(
    "text",
    [
        "$states.input.n + 1",
        "$states.input.n > 1 and $x < 3",
        "$states.input.s",
        "$x ? 1 : 2",
        "-$x",
        "$exists($states.input.s) ? $uppercase($states.input.s) : 'none'",
    ],
)
def test_simple_expressions_get_a_closure(text):
    assert JsonataExpression("{% " + text + " %}", pointer="/x")._closure is not None


@pytest.mark.parametrize(
    "text",
    ["$map($states.input.nums, $string)", "$states.input.nums[0]", "[1, 2]", "{'a': 1}", "($a := 1; $a)", "$sum", "$states.input.n in [1, 2]"],
)
def test_other_expressions_are_left_to_the_library(text):
    assert JsonataExpression("{% " + text + " %}", pointer="/x")._closure is None
