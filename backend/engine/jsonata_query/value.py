"""A field value that may hold ``{% %}`` expressions at any depth.

Compiled once into a small tree: constant sub-trees are kept as the literal
values themselves (shared, never copied), objects and arrays that contain
expressions become template nodes that build a fresh container per
evaluation. Each expression knows where it sits inside the field (``/a/b[0]``)
so that a failure names ``Output/a/b[0]`` as AWS does.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable

from backend.engine.errors import pointer_join
from backend.engine.json_types import json_type
from backend.engine.jsonata_query import messages
from backend.engine.jsonata_query.conversion import UnsupportedResult
from backend.engine.jsonata_query.expression import JsonataExpression, Undefined, is_jsonata
from backend.engine.jsonata_query.messages import QueryEvaluationError, state_cause
from backend.engine.scope import EvalScope


class _NodeFailure(Exception):
    """An expression failed; ``describe(text, location)`` words the detail."""

    def __init__(self, node: _Expression, describe: Callable[[str, str], str]):
        self.node = node
        self.describe = describe


class _Expression:
    __slots__ = ("expression", "suffix")

    def __init__(self, expression: JsonataExpression, suffix: str):
        self.expression = expression
        self.suffix = suffix  # where it sits in the field: "", "/a/b", "[0]"

    def render(self, states: dict, scope: EvalScope) -> Any:
        try:
            return self.expression.evaluate(states, scope)
        except Undefined:
            raise _NodeFailure(self, messages.undefined_result) from None
        except UnsupportedResult:
            raise _NodeFailure(self, messages.unsupported_result) from None
        except Exception as error:  # JException, or a Python error from inside the evaluator
            raise _NodeFailure(self, functools.partial(_evaluation_error, error=error)) from None


class _Object:
    __slots__ = ("items",)

    def __init__(self, items: list[tuple[str, Any]]):
        self.items = items  # (key, literal value or node)

    def render(self, states: dict, scope: EvalScope) -> dict:
        return {key: item.render(states, scope) if type(item) in _NODE_TYPES else item for key, item in self.items}


class _Array:
    __slots__ = ("items",)

    def __init__(self, items: list[Any]):
        self.items = items

    def render(self, states: dict, scope: EvalScope) -> list:
        return [item.render(states, scope) if type(item) in _NODE_TYPES else item for item in self.items]


_NODE_TYPES = (_Expression, _Object, _Array)


def _evaluation_error(text: str, location: str, *, error: BaseException) -> str:
    return messages.evaluation_error(text, location, error)


def _error(detail: str, location: str, state_name: str | None, entered_event_id: int | None) -> QueryEvaluationError:
    cause = state_cause(detail, state_name, entered_event_id)
    return QueryEvaluationError(cause, detail=detail, location=location)


class CompiledValue:
    """A compiled field value; see the package CONTRACT."""

    __slots__ = ("_root", "is_constant", "_expressions")

    def __init__(self, value: Any, *, pointer: str):
        self._expressions: list[JsonataExpression] = []
        self._root = self._compile(value, pointer, "")
        self.is_constant = type(self._root) not in _NODE_TYPES

    @property
    def is_expression(self) -> bool:
        """The whole value is one ``{% %}`` expression (typed fields require this)."""
        return type(self._root) is _Expression

    @property
    def expressions(self) -> tuple[JsonataExpression, ...]:
        return tuple(self._expressions)

    @property
    def variable_references(self) -> tuple[str, ...]:
        """Workflow variable names the value's expressions may read, in order of appearance."""
        names: dict[str, None] = {}
        for expression in self._expressions:
            names.update(dict.fromkeys(expression.variable_references))
        return tuple(names)

    def evaluate(
        self,
        states: dict,
        scope: EvalScope,
        *,
        field: str,
        state_name: str | None = None,
        entered_event_id: int | None = None,
    ) -> Any:
        root = self._root
        if type(root) not in _NODE_TYPES:
            return root
        try:
            return root.render(states, scope)
        except _NodeFailure as failure:
            location = field + failure.node.suffix
            detail = failure.describe(failure.node.expression.text, location)
            raise _error(detail, location, state_name, entered_event_id) from None

    # --- typed fields -------------------------------------------------------------

    def evaluate_typed(
        self,
        states: dict,
        scope: EvalScope,
        *,
        field: str,
        expected: str,
        state_name: str | None = None,
        entered_event_id: int | None = None,
    ) -> Any:
        """Evaluate and require a JSON type: ``array``, ``object``, ``string``, ``boolean``,
        ``number`` or ``integer`` (a whole number; returned as ``int``).

        A value of another type fails as AWS words it::

            ... returned an unexpected result type. Expected 'array', but was 'boolean' for value: true
        """
        root = self._root
        value = self.evaluate(
            states, scope, field=field, state_name=state_name, entered_event_id=entered_event_id
        )
        actual = json_type(value)
        if actual == expected:
            return value
        if expected == "integer" and actual == "number" and math.isfinite(value) and value == int(value):
            return int(value)
        text = root.expression.text if type(root) is _Expression else messages.compact_json(value)
        detail = messages.unexpected_type(text, field, expected, actual, value)
        raise _error(detail, field, state_name, entered_event_id)

    def range_error(
        self, message: str, *, field: str, state_name: str | None = None, entered_event_id: int | None = None
    ) -> QueryEvaluationError:
        """A ``QueryEvaluationError`` for a value of the right type but out of range."""
        return _error(message, field, state_name, entered_event_id)

    # --- compilation --------------------------------------------------------------

    def _compile(self, value: Any, pointer: str, suffix: str) -> Any:
        if is_jsonata(value):
            expression = JsonataExpression(value, pointer=pointer)
            self._expressions.append(expression)
            return _Expression(expression, suffix)
        if isinstance(value, dict):
            items = [
                (key, self._compile(item, pointer_join(pointer, key), f"{suffix}/{key}"))
                for key, item in value.items()
            ]
            if any(type(item) in _NODE_TYPES for _, item in items):
                return _Object(items)
            return value
        if isinstance(value, list):
            items = [
                self._compile(item, pointer_join(pointer, index), f"{suffix}[{index}]")
                for index, item in enumerate(value)
            ]
            if any(type(item) in _NODE_TYPES for item in items):
                return _Array(items)
            return value
        return value


def compile_jsonata_value(value: Any, *, pointer: str) -> CompiledValue:
    return CompiledValue(value, pointer=pointer)
