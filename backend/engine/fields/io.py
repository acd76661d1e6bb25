"""Input and output processing of a state, compiled once.

JSONPath states: raw input -> InputPath -> Parameters -> (work) -> ResultSelector
-> ResultPath (merged into the raw input) -> OutputPath. JSONata states:
Arguments -> (work) -> Output, with ``$states`` bound. Both expose the same
three operations so state classes need not care which language they speak:

* ``effective_input(frame, raw)``  what the state works on;
* ``finish(frame, raw, effective, result)``  -> (output, assigned variables or None);
* ``assign_only`` / ``output_only`` helpers for states with no result.

``Assign`` is evaluated before the output (both see the variables as they were
when the state was entered) and applied by the caller afterwards.
"""

from __future__ import annotations

from typing import Any, Callable

from ..definition import JSONATA, JSONPATH, Node
from ..errors import DefinitionError, QUERY_EVALUATION_ERROR, StatesError
from ..paths import compile_path, compile_payload_template, compile_reference_path, compile_result_path

_NULL = object()  # marker: the field is JSON null (InputPath/OutputPath null -> {})


def _compile_optional_path(node: Node, key: str) -> Any:
    """None when absent or ``$`` (identity), ``_NULL`` for JSON null, else the path's selector."""
    if key not in node:
        return None
    text = node.raw(key)
    if text is None:
        return _NULL
    if not isinstance(text, str):
        raise DefinitionError(node.at(key), "SCHEMA_VALIDATION_FAILED", f"'{key}' must be a string or null")
    if text == "$":
        return None
    return compile_path(text, pointer=node.at(key)).select


class PathIO:
    """JSONPath-mode processing."""

    __slots__ = ("input_path", "parameters", "result_selector", "result_path", "output_path", "assign",
                 "has_result")

    def __init__(self, node: Node, *, parameters_key: str | None, has_result: bool, result_selector: bool):
        self.input_path = _compile_optional_path(node, "InputPath")
        self.output_path = _compile_optional_path(node, "OutputPath")
        self.parameters = None
        if parameters_key and parameters_key in node:
            self.parameters = compile_payload_template(node.raw(parameters_key), pointer=node.at(parameters_key)).render
        self.result_selector = None
        if result_selector and "ResultSelector" in node:
            self.result_selector = compile_payload_template(node.raw("ResultSelector"), pointer=node.at("ResultSelector")).render
        self.has_result = has_result
        self.result_path = None
        if has_result and "ResultPath" in node:
            text = node.raw("ResultPath")
            if text is not None and not isinstance(text, str):
                raise DefinitionError(node.at("ResultPath"), "SCHEMA_VALIDATION_FAILED", "'ResultPath' must be a string or null")
            if text != "$":
                self.result_path = compile_result_path(text, pointer=node.at("ResultPath")).apply
        self.assign = compile_assign(node, JSONPATH)

    def effective_input(self, frame: Any, raw: Any) -> Any:
        selector = self.input_path
        if selector is None:
            value = raw
        elif selector is _NULL:
            value = {}
        else:
            value = selector(raw, frame)
        if self.parameters is not None:
            value = self.parameters(value, frame)
        return value

    def finish(self, frame: Any, raw: Any, effective: Any, result: Any) -> tuple[Any, dict | None]:
        """Output of a state that produced ``result`` (Pass/Task/Map/Parallel)."""
        if self.result_selector is not None:
            result = self.result_selector(result, frame)
        assigned = self.assign(result, frame) if self.assign is not None else None
        if self.result_path is None:
            output = result
        else:
            output = self.result_path(raw, result)
        selector = self.output_path
        if selector is not None:
            output = {} if selector is _NULL else selector(output, frame)
        return output, assigned

    def pass_through(self, frame: Any, effective: Any) -> tuple[Any, dict | None]:
        """Output of a state without a result (Choice, Wait, Succeed): OutputPath(effective)."""
        assigned = self.assign(effective, frame) if self.assign is not None else None
        selector = self.output_path
        if selector is None:
            return effective, assigned
        return ({} if selector is _NULL else selector(effective, frame)), assigned

    def error_output(self, frame: Any, raw: Any, error_output: dict, catcher: Any) -> tuple[Any, dict | None]:
        assigned = catcher.assign(error_output, frame) if catcher.assign is not None else None
        apply = catcher.result_path
        return (error_output if apply is None else apply(raw, error_output)), assigned


class QueryIO:
    """JSONata-mode processing (``Arguments``, ``Output``, ``Assign``)."""

    __slots__ = ("arguments", "output", "assign", "has_result")

    def __init__(self, node: Node, *, arguments: bool, has_result: bool):
        from ..jsonata_query import compile_jsonata_value

        self.arguments = None
        if arguments and "Arguments" in node:
            self.arguments = compile_jsonata_value(node.raw("Arguments"), pointer=node.at("Arguments"))
        self.output = None
        if "Output" in node:
            self.output = compile_jsonata_value(node.raw("Output"), pointer=node.at("Output"))
        self.has_result = has_result
        self.assign = compile_assign(node, JSONATA)

    def effective_input(self, frame: Any, raw: Any) -> Any:
        if self.arguments is None:
            return raw
        return evaluate_jsonata(self.arguments, {"input": raw, "context": frame.context_object()}, frame, "Arguments")

    def finish(self, frame: Any, raw: Any, effective: Any, result: Any) -> tuple[Any, dict | None]:
        states = {"input": raw, "context": frame.context_object(), "result": result}
        assigned = self.assign(states, frame) if self.assign is not None else None
        if self.output is None:
            return result, assigned
        return evaluate_jsonata(self.output, states, frame, "Output"), assigned

    def pass_through(self, frame: Any, effective: Any) -> tuple[Any, dict | None]:
        if self.assign is None and self.output is None:
            return effective, None
        states = {"input": effective, "context": frame.context_object()}
        assigned = self.assign(states, frame) if self.assign is not None else None
        if self.output is None:
            return effective, assigned
        return evaluate_jsonata(self.output, states, frame, "Output"), assigned

    def error_output(self, frame: Any, raw: Any, error_output: dict, catcher: Any) -> tuple[Any, dict | None]:
        states = {"input": raw, "context": frame.context_object(), "errorOutput": error_output}
        assigned = catcher.assign(states, frame) if catcher.assign is not None else None
        if catcher.output is None:
            return error_output, assigned
        return evaluate_jsonata(catcher.output, states, frame, "Output"), assigned


def evaluate_jsonata(compiled: Any, states: dict, frame: Any, field: str, *, typed: bool = False) -> Any:
    """Evaluate a JSONata value; ``typed`` applies the field's type/range rule (Items, Seconds ...).

    A failure is located at the state and recorded as an ``EvaluationFailed`` event.
    """
    try:
        if typed:
            from ..jsonata_query import evaluate_field

            return evaluate_field(compiled, states, frame, field=field)
        return compiled.evaluate(states, frame, field=field)
    except StatesError as error:
        if error.error == QUERY_EVALUATION_ERROR and not error.located:
            error = frame.locate(error)
            frame.emit("EvaluationFailed", {"state": frame.state_name,
                                            "location": getattr(error, "location", None) or field,
                                            "error": error.error, "cause": error.cause})
        raise error


def compile_reference_path_field(node: Node, key: str) -> Callable[[Any, Any], Any]:
    """A ``...Path`` field of ``node`` (a reference path) -> function(data, frame) -> selected value."""
    text = node.raw(key)
    if not isinstance(text, str):
        raise node.error(key, f"'{key}' must be a path")
    return compile_reference_path(text, pointer=node.at(key)).select


def compile_jsonata_input_field(node: Node, key: str, *, typed: bool = False) -> Callable[[Any, Any], Any]:
    """A JSONata field of ``node`` evaluated over the state's input -> function(data, frame) -> value.

    ``typed`` applies the field's type/range rule (see ``evaluate_jsonata``).
    """
    from ..jsonata_query import compile_jsonata_value

    compiled = compile_jsonata_value(node.raw(key), pointer=node.at(key))

    def evaluate_input_field(data: Any, frame: Any) -> Any:
        states = {"input": data, "context": frame.context_object()}
        return evaluate_jsonata(compiled, states, frame, key, typed=typed)

    return evaluate_input_field


def compile_assign(node: Node, language: str) -> Callable[[Any, Any], dict] | None:
    """``Assign`` -> function(data-or-$states, frame) -> {name: value}."""
    if "Assign" not in node:
        return None
    value = node.raw("Assign")
    pointer = node.at("Assign")
    if not isinstance(value, dict):
        raise DefinitionError(pointer, "SCHEMA_VALIDATION_FAILED", "'Assign' must be a JSON object")
    if language == JSONATA:
        from ..jsonata_query import compile_jsonata_value

        compiled = compile_jsonata_value(value, pointer=pointer)

        def assign_jsonata(states: Any, frame: Any) -> dict:
            return evaluate_jsonata(compiled, states, frame, "Assign")

        return assign_jsonata
    return compile_payload_template(value, pointer=pointer).render


def compile_io(node: Node, language: str, *, parameters_key: str | None = "Parameters", has_result: bool,
               result_selector: bool = False, arguments: bool = False) -> PathIO | QueryIO:
    if language == JSONATA:
        return QueryIO(node, arguments=arguments, has_result=has_result)
    return PathIO(node, parameters_key=parameters_key, has_result=has_result, result_selector=result_selector)
