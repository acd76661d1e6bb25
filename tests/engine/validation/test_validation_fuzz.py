"""Mutated definitions never raise: validate_definition always answers with diagnostics
whose codes are known and whose locations point into the definition."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from backend.engine.validation import MAX_DIAGNOSTICS, Code, validate, validate_definition
from backend.engine.validation.engine_parsers import EngineUnavailable

SEED = 20241122
MUTATIONS_PER_CASE = 5
KNOWN_CODES = {code.value for code in Code}

_GARBAGE: list[Any] = [
    None, True, False, 0, -1, 1.5, 10**20, "", " ", "$", "$$", "$.a[", "$..x", "$.a[?(@.b)]", "$var",
    "{% %}", "{% $ %}", "{% foo( %}", "{% $states.result %}", "States.Format(", "States.Nope()",
    "States.Array(" * 12, "arn:aws:states:::lambda:invoke.sync", "x" * 200, [], {}, [[[]]], {"a.$": 5},
    {"Type": "Pass"}, {"Type": "Map"}, {"StartAt": "Z", "States": {}}, ["States.ALL", "X"], {"Next": 1},
    "Task", "Choice", "JSONata", "JSONPath", "\u0000", "\ud83d\ude00",
]


def _nodes(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _nodes(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nodes(item, path + (index,))
    return found


def _parent(root: Any, path: tuple) -> Any:
    for token in path[:-1]:
        root = root[token]
    return root


def _deep(levels: int) -> Any:
    value: Any = {"Type": "Pass", "End": True}
    for _ in range(levels):
        value = {"StartAt": "x", "States": {"x": {"Type": "Parallel", "Branches": [value], "End": True}}}
    return value


def _mutate(definition: dict, rng: random.Random) -> dict:
    mutated = copy.deepcopy(definition)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _nodes(mutated) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent, token = _parent(mutated, path), path[-1]
        operation = rng.randrange(7)
        if operation == 0:
            del parent[token]
        elif operation == 1:
            parent[token] = copy.deepcopy(rng.choice(_GARBAGE))
        elif operation == 2 and isinstance(parent[token], str):
            parent[token] = parent[token] + rng.choice(["_renamed", "", ".$", "[0]", " "])
        elif operation == 3 and isinstance(parent, dict):
            parent[rng.choice(["Bogus", "Next", "End", "Retry", "Catch", "Assign", "a.$", "QueryLanguage"])] = (
                copy.deepcopy(rng.choice(_GARBAGE))
            )
        elif operation == 4:
            parent[token] = [parent[token]]
        elif operation == 5:
            parent[token] = _deep(rng.randint(1, 30))
        else:
            parent[token] = json.dumps(parent[token])
    return mutated


def _resolves(definition: Any, location: str) -> bool:
    """The pointer names an existing node, or a missing member of an existing object."""
    if location == "/":
        return True
    node = definition
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in location.split("/")[1:]]
    for position, token in enumerate(tokens):
        last = position == len(tokens) - 1
        if isinstance(node, dict):
            if token not in node:
                return last
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _assert_well_formed(definition: Any, report) -> None:
    assert len(report.diagnostics) <= MAX_DIAGNOSTICS
    for diagnostic in report.diagnostics:
        assert diagnostic.severity in ("ERROR", "WARNING")
        assert diagnostic.code in KNOWN_CODES, diagnostic
        assert diagnostic.message and diagnostic.location.startswith("/")
        if isinstance(definition, dict):
            assert _resolves(definition, diagnostic.location), diagnostic


@pytest.mark.parametrize("engine_compilers", [True, False], ids=["engine-compilers", "own-parsers"])
def test_mutated_conformance_definitions_never_raise(
    conformance_cases: list[dict], engine_compilers: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not engine_compilers:
        def unavailable(module: str, name: str, *args, **kwargs):
            raise EngineUnavailable(name)

        monkeypatch.setattr("backend.engine.validation.expressions.engine_verdict", unavailable)
    rng = random.Random(SEED)
    checked = 0
    for case in conformance_cases:
        for _ in range(MUTATIONS_PER_CASE):
            mutated = _mutate(case["definition"], rng)
            report = validate(mutated, workflow_type=rng.choice(["STANDARD", "EXPRESS"]), strict=rng.random() < 0.2)
            _assert_well_formed(mutated, report)
            checked += 1
    assert checked >= 3000


def test_mangled_definition_text_never_raises(conformance_cases: list[dict]) -> None:
    rng = random.Random(SEED + 1)
    for case in conformance_cases[::3]:
        text = json.dumps(case["definition"])
        cut = rng.randrange(len(text))
        truncated = validate(text[:cut])
        _assert_well_formed(None, truncated)
        assert truncated.diagnostics[0].code in ("INVALID_JSON_DESCRIPTION", "SCHEMA_VALIDATION_FAILED")
        for variant in (text[:cut] + rng.choice("{}[]\",:x") + text[cut:], text.replace('"', "'", 1)):
            _assert_well_formed(None, validate(variant))


def test_odd_python_values_never_raise() -> None:
    for value in (
        None,
        5,
        1.5,
        b"{}",
        b"\xff",
        object(),
        {"States": {1: 2}},
        {"StartAt": "A", "States": {"A": {"Type": object()}}},
    ):
        assert validate_definition(value)  # always at least one diagnostic, never an exception


def test_hostile_nesting_never_raises() -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert validate_definition(text)[0].code in ("INVALID_JSON_DESCRIPTION", "SCHEMA_VALIDATION_FAILED")
    nested: Any = {}
    for _ in range(5000):
        nested = {"a": nested}
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": nested, "End": True}}}
    codes = {d.code for d in validate_definition(definition)}
    assert "TOO_DEEPLY_NESTED" in codes
