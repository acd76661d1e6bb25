"""Compiled Paths and Reference Paths, evaluated against a state's data.

Two shapes, chosen once at compile time:

* ``DefinitePath``: a chain of member names and single indexes, walked with plain
  dict/list access (the hot path of every transition); selects one value.
* ``QueryPath``: anything with wildcards, filters, slices, unions or recursive descent,
  evaluated by jsonpath-ng (parsed once); selects the list of matches, possibly empty,
  as Jayway JsonPath (what AWS runs) does for indefinite paths.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext import parse as parse_jsonpath

from backend.engine.errors import RUNTIME, DefinitionError, StatesError
from backend.engine.paths.syntax import (
    ROOT_CONTEXT,
    ROOT_INPUT,
    Step,
    jayway_notation,
    parse_path_syntax,
)
from backend.engine.scope import EvalScope

INVALID_JSONPATH = "INVALID_JSONPATH"


class CompiledPath:
    """A Path compiled once; ``select`` evaluates it."""

    __slots__ = ("text", "root", "variable")

    # True when the path selects one value rather than a list of matches.
    is_definite: bool = True
    # True for a Reference Path (member names and single indexes only).
    is_reference: bool = True

    def __init__(self, text: str, root: str, variable: str | None):
        self.text = text
        self.root = root
        self.variable = variable

    def select(self, data: Any, scope: EvalScope, field: str | None = None) -> Any:
        """The selected value. ``field`` names the definition field the path sits in
        (``"value.$"``, ``"ErrorPath"``); it only changes the wording of the error
        AWS gives when nothing matches."""
        raise NotImplementedError

    def _root_value(self, data: Any, scope: EvalScope, field: str | None) -> Any:
        if self.root == ROOT_INPUT:
            return data
        if self.root == ROOT_CONTEXT:
            return scope.context_object()
        try:
            return scope.get_variable(self.variable)
        except KeyError:
            reason = f"Variable '{self.variable}' is not defined"
            raise StatesError(RUNTIME, self._not_found_cause(data, field, reason)) from None

    def _not_found_cause(self, data: Any, field: str | None, jayway_reason: str | None) -> str:
        if field is not None:
            return (
                f"The JSONPath '{self.text}' specified for the field '{field}' "
                f"could not be found in the input '{to_aws_json(data)}'"
            )
        return f"Invalid path '{self.text}' : {jayway_reason}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r})"


class DefinitePath(CompiledPath):
    """A path made of member names and single indexes: one value or an error."""

    __slots__ = ("steps", "has_index")

    def __init__(self, text: str, root: str, variable: str | None, steps: tuple[Step, ...]):
        super().__init__(text, root, variable)
        self.steps = steps
        self.has_index = any(type(step) is int for step in steps)

    def select(self, data: Any, scope: EvalScope, field: str | None = None) -> Any:
        # The hot path of every transition: plain subscripts, one try block. A name on
        # a list, string, number or null raises TypeError; a missing name KeyError.
        node = data if self.root == ROOT_INPUT else self._root_value(data, scope, field)
        try:
            if self.has_index:
                for step in self.steps:
                    # Only a real list takes an index (a string would give a character).
                    if type(step) is int and type(node) is not list:
                        raise TypeError
                    node = node[step]
            else:
                for step in self.steps:
                    node = node[step]
        except (KeyError, IndexError, TypeError):
            return self._fail(data, scope, field)
        return node

    def _fail(self, data: Any, scope: EvalScope, field: str | None) -> Any:
        raise StatesError(RUNTIME, self._not_found_cause(data, field, self._jayway_reason(data, scope)))

    def _jayway_reason(self, data: Any, scope: EvalScope) -> str:
        """Jayway's PathNotFoundException message for where the walk stopped."""
        node = data if self.root == ROOT_INPUT else self._root_value(data, scope, None)
        walked: list[Step] = []
        last = len(self.steps) - 1
        for position, step in enumerate(self.steps):
            walked.append(step)
            if type(step) is int:
                if type(node) is not list:
                    return (
                        f"Filter: [{step}] can only be applied to arrays. "
                        f"Current context is: {to_aws_json(node)}"
                    )
                if not -len(node) <= step < len(node):
                    break
                node = node[step]
            else:
                if type(node) is not dict:
                    return _not_an_object_reason(f"['{step}']", tuple(walked[:-1]), node)
                if step not in node:
                    if position < last:
                        return f"Missing property in path {jayway_notation(tuple(walked))}"
                    break
                node = node[step]
        return f"No results for path: {jayway_notation(self.steps)}"


class PropertyMergePath(DefinitePath):
    """``$.a['x','y']``: Jayway's one object holding the named properties present."""

    __slots__ = ("names",)

    def __init__(self, text: str, root: str, variable: str | None, steps: tuple[Step, ...], names: tuple[str, ...]):
        super().__init__(text, root, variable, steps)
        self.names = names

    is_reference = False  # a union, even though it yields one value

    def select(self, data: Any, scope: EvalScope, field: str | None = None) -> Any:
        parent = super().select(data, scope, field)
        if type(parent) is not dict:
            names = ", ".join(f"'{name}'" for name in self.names)
            reason = _not_an_object_reason(f"[{names}]", self.steps, parent)
            raise StatesError(RUNTIME, self._not_found_cause(data, field, reason))
        return {name: parent[name] for name in self.names if name in parent}


class QueryPath(CompiledPath):
    """An indefinite path evaluated by jsonpath-ng: always a list of matches."""

    __slots__ = ("expression",)

    def __init__(self, text: str, root: str, variable: str | None, expression: Any):
        super().__init__(text, root, variable)
        self.expression = expression

    is_definite = False
    is_reference = False

    def select(self, data: Any, scope: EvalScope, field: str | None = None) -> Any:
        node = self._root_value(data, scope, field)
        return [match.value for match in self.expression.find(node)]


def compile_path(path: str, *, pointer: str) -> CompiledPath:
    """Compile a Path (``$...``, ``$$...``, ``$var...``) once."""
    if not isinstance(path, str):
        raise DefinitionError(pointer, INVALID_JSONPATH, "a path must be a string")
    try:
        syntax = parse_path_syntax(path)
    except ValueError:
        raise DefinitionError(pointer, INVALID_JSONPATH, f"'{path}' is not a JSONPath: it must start with '$'") from None
    if syntax.merged_names is not None:
        return PropertyMergePath(path, syntax.root, syntax.variable, syntax.steps, syntax.merged_names)
    if syntax.steps is not None:
        return DefinitePath(path, syntax.root, syntax.variable, syntax.steps)
    return QueryPath(path, syntax.root, syntax.variable, _parse_query(syntax.rest, path, pointer))


def _parse_query(text: str, path: str, pointer: str) -> Any:
    """Parse an indefinite path with jsonpath-ng, once.

    jsonpath-ng accepts a few forms Jayway does not (bare words as strings, a single
    ``&``) and only warns about them; those warnings are treated as syntax errors.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            return parse_jsonpath(text)
    except (JSONPathError, DeprecationWarning) as exc:
        raise DefinitionError(pointer, INVALID_JSONPATH, f"'{path}' is not a valid JSONPath: {exc}") from None


def compile_reference_path(path: str, *, pointer: str) -> CompiledPath:
    """Compile a Reference Path: a path that identifies exactly one node."""
    compiled = compile_path(path, pointer=pointer)
    if not compiled.is_reference:
        raise DefinitionError(
            pointer,
            INVALID_JSONPATH,
            f"'{path}' is not a Reference Path: it may select several nodes "
            "(wildcards, filters, slices, unions and '..' are not allowed here)",
        )
    return compiled


def to_aws_json(value: Any) -> str:
    """JSON as AWS embeds it in error causes: compact, keys in input order."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _not_an_object_reason(property_text: str, parent_steps: tuple[Step, ...], node: Any) -> str:
    """Jayway's message for a property looked up on something that is not an object."""
    return (
        f"Expected to find an object with property {property_text} in path "
        f"{jayway_notation(parent_steps)} but found '{_java_class(node)}'. "
        "This is not a json object according to the JsonProvider: "
        "'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
    )


def _java_class(value: Any) -> str:
    """The Java class name Jayway prints for a non-object node (json-smart types)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Integer" if -(2**31) <= value < 2**31 else "java.lang.Long"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    return "net.minidev.json.JSONArray"
