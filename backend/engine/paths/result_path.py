"""ResultPath: where a state's result goes in a copy of its raw input.

``$`` replaces the input, ``null`` discards the result, ``$.a.b`` writes into a new
value that shares everything with the raw input except the containers along the path
(copy-on-write: the engine treats values as immutable, so nothing is ever mutated).
"""

from __future__ import annotations

from typing import Any

from backend.engine.errors import RESULT_PATH_MATCH_FAILURE, DefinitionError, StatesError
from backend.engine.paths.compiled_path import INVALID_JSONPATH, to_aws_json
from backend.engine.paths.syntax import ROOT_INPUT, Step, parse_path_syntax


class CompiledResultPath:
    """A ResultPath compiled once; ``apply`` builds the state's new value."""

    __slots__ = ("text", "steps")

    def __init__(self, text: str | None, steps: tuple[Step, ...] | None):
        self.text = text
        self.steps = steps  # None: discard the result

    def apply(self, raw_input: Any, result: Any) -> Any:
        steps = self.steps
        if steps is None:
            return raw_input
        if not steps:
            return result
        if len(steps) == 1 and type(raw_input) is dict and type(steps[0]) is str:
            # The common ``$.name``: one new top-level object.
            merged = dict(raw_input)
            merged[steps[0]] = result
            return merged
        merged = _set_in_copy(raw_input, steps, 0, result)
        if merged is _NO_MATCH:
            # AWS does not record this case; the spec names the error, the cause says
            # which path could not be applied to which input.
            raise StatesError(
                RESULT_PATH_MATCH_FAILURE,
                f"Unable to apply ReferencePath {self.text} to input {to_aws_json(raw_input)}",
            )
        return merged

    def __repr__(self) -> str:
        return f"CompiledResultPath({self.text!r})"


_NO_MATCH = object()


def _set_in_copy(node: Any, steps: tuple[Step, ...], position: int, result: Any) -> Any:
    """A shallow copy of ``node`` with ``result`` put at ``steps[position:]``, or
    ``_NO_MATCH`` when the path goes through something that is not an object
    (for a name) or an existing array element (for an index)."""
    step = steps[position]
    if type(step) is int:
        if type(node) is not list or not -len(node) <= step < len(node):
            return _NO_MATCH
        copy: Any = list(node)
    else:
        if type(node) is not dict:
            return _NO_MATCH
        copy = dict(node)
    if position == len(steps) - 1:
        copy[step] = result
        return copy
    # Intermediate objects are created as needed.
    child = copy[step] if type(step) is int else copy.get(step, {})
    merged_child = _set_in_copy(child, steps, position + 1, result)
    if merged_child is _NO_MATCH:
        return _NO_MATCH
    copy[step] = merged_child
    return copy


def compile_result_path(path: str | None, *, pointer: str) -> CompiledResultPath:
    """Compile a ResultPath: a Reference Path on the state's input, or ``None``."""
    if path is None:
        return CompiledResultPath(None, None)
    if not isinstance(path, str):
        raise DefinitionError(pointer, INVALID_JSONPATH, "ResultPath must be a string or null")
    if path.startswith("$$"):
        raise DefinitionError(pointer, INVALID_JSONPATH, f"ResultPath '{path}' may not refer to the Context Object ('$$')")
    try:
        syntax = parse_path_syntax(path)
    except ValueError:
        raise DefinitionError(pointer, INVALID_JSONPATH, f"ResultPath '{path}' is not a JSONPath: it must start with '$'") from None
    if syntax.root != ROOT_INPUT:
        raise DefinitionError(pointer, INVALID_JSONPATH, f"ResultPath '{path}' may not refer to a variable")
    if syntax.steps is None or syntax.merged_names is not None:
        raise DefinitionError(
            pointer,
            INVALID_JSONPATH,
            f"ResultPath '{path}' is not a Reference Path: it must name exactly one node "
            "(no wildcards, filters, slices, unions or '..')",
        )
    return CompiledResultPath(path, syntax.steps)
