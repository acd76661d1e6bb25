"""Fail: ends the execution (or fails the enclosing branch/iteration) with an error and cause."""

from __future__ import annotations

from typing import Any, Callable

from ..definition import JSONATA, CompileContext, Node
from ..errors import StatesError
from ..fields.io import evaluate_jsonata
from ..paths import compile_dynamic_value
from .base import State

Producer = Callable[[Any, Any], Any]


class StateFail(State):
    type_name = "Fail"

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        if "Next" in node or "End" in node:
            raise node.error("Next" if "Next" in node else "End", "Fail states have no 'Next' or 'End'")
        node.exclusive("Error", "ErrorPath")
        node.exclusive("Cause", "CausePath")
        self.error = self._compile_part(node, "Error")
        self.cause = self._compile_part(node, "Cause")

    def _compile_part(self, node: Node, key: str) -> Producer | None:
        path_key = key + "Path"
        if path_key in node and self.language != JSONATA:
            select = compile_dynamic_value(node.raw(path_key), pointer=node.at(path_key), field=path_key)
            return select
        if key not in node:
            return None
        value = node.raw(key)
        if self.language == JSONATA and isinstance(value, str):
            from ..jsonata_query import compile_jsonata_value, is_jsonata

            if is_jsonata(value):
                compiled = compile_jsonata_value(value, pointer=node.at(key))

                def evaluate(raw: Any, frame: Any) -> Any:
                    states = {"input": raw, "context": frame.context_object()}
                    return evaluate_jsonata(compiled, states, frame, key)

                return evaluate
        if not isinstance(value, str):
            raise node.error(key, f"'{key}' must be a string")
        return lambda raw, frame: value

    def execute(self, frame: Any, raw: Any) -> tuple[Any, State | None]:
        error = self.error(raw, frame) if self.error is not None else None
        cause = self.cause(raw, frame) if self.cause is not None else None
        failure = StatesError(error, cause)
        failure.located = True
        raise failure
