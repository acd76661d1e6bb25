"""Payload templates: Parameters, ResultSelector, ItemSelector, BatchInput ...

Keys ending in ``.$`` (at any depth, also inside arrays) take their value from a Path
or an intrinsic function call; the suffix is stripped. Everything is decided at compile
time: literal sub-trees without any ``.$`` are built once and shared (values are
immutable for the whole engine), and dynamic objects become a list of entries that
``render`` fills in order.
"""

from __future__ import annotations

from typing import Any, Callable

from backend.engine.errors import DefinitionError, pointer_join
from backend.engine.paths.compiled_path import compile_path
from backend.engine.scope import EvalScope

SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
DYNAMIC_SUFFIX = ".$"

Evaluator = Callable[[Any, EvalScope], Any]


class CompiledTemplate:
    """A payload template compiled once; ``render`` builds its value for one input."""

    __slots__ = ("render", "template")

    def __init__(self, template: dict, render: Evaluator):
        self.template = template
        # The compiled evaluator itself, so a render is a single call.
        self.render = render

    def __repr__(self) -> str:
        return f"CompiledTemplate({self.template!r})"


def compile_payload_template(template: dict, *, pointer: str) -> CompiledTemplate:
    """Compile a payload template (must be a JSON object)."""
    if not isinstance(template, dict):
        raise DefinitionError(pointer, SCHEMA_VALIDATION_FAILED, "a payload template must be a JSON object")
    return CompiledTemplate(template, _as_evaluator(_compile_node(template, pointer)))


def compile_dynamic_value(text: Any, *, pointer: str, field: str) -> Evaluator:
    """Compile the value of one ``.$`` field: a Path or an intrinsic function call."""
    if isinstance(text, str):
        if text.startswith("$"):
            path = compile_path(text, pointer=pointer)
            select = path.select

            def select_field(data: Any, scope: EvalScope) -> Any:
                return select(data, scope, field)

            return select_field
        # Imported here: the intrinsics package imports this one for its path arguments.
        from backend.engine import intrinsics

        if intrinsics.is_intrinsic(text):
            return intrinsics.compile_intrinsic(text, pointer=pointer, field=field)
    raise DefinitionError(
        pointer,
        SCHEMA_VALIDATION_FAILED,
        f"the value of field '{field}' is not a JSONPath or intrinsic function expression: {text!r}",
    )


class _Literal:
    """A compiled sub-tree without any ``.$``: rendered as the value itself."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def _compile_node(node: Any, pointer: str) -> _Literal | Evaluator:
    if isinstance(node, dict):
        return _compile_object(node, pointer)
    if isinstance(node, list):
        return _compile_array(node, pointer)
    return _Literal(node)


def _compile_object(node: dict, pointer: str) -> _Literal | Evaluator:
    entries: list[tuple[str, Any, Evaluator | None]] = []
    seen: dict[str, str] = {}
    dynamic = False
    for key, value in node.items():
        child_pointer = pointer_join(pointer, key)
        if key.endswith(DYNAMIC_SUFFIX):
            name = key[: -len(DYNAMIC_SUFFIX)]
            compiled: _Literal | Evaluator = compile_dynamic_value(value, pointer=child_pointer, field=key)
        else:
            name = key
            compiled = _compile_node(value, child_pointer)
        if name in seen:
            raise DefinitionError(
                child_pointer,
                SCHEMA_VALIDATION_FAILED,
                f"field '{key}' gives the same key '{name}' as field '{seen[name]}'",
            )
        seen[name] = key
        if isinstance(compiled, _Literal):
            entries.append((name, compiled.value, None))
        else:
            dynamic = True
            entries.append((name, None, compiled))
    if not dynamic:
        return _Literal({name: value for name, value, _ in entries})
    frozen = tuple(entries)

    def render_object(data: Any, scope: EvalScope) -> dict:
        out = {}
        for name, value, evaluate in frozen:
            out[name] = value if evaluate is None else evaluate(data, scope)
        return out

    return render_object


def _compile_array(node: list, pointer: str) -> _Literal | Evaluator:
    items = [_compile_node(item, pointer_join(pointer, index)) for index, item in enumerate(node)]
    if all(isinstance(item, _Literal) for item in items):
        return _Literal([item.value for item in items])
    frozen = tuple((item.value, None) if isinstance(item, _Literal) else (None, item) for item in items)

    def render_array(data: Any, scope: EvalScope) -> list:
        return [value if evaluate is None else evaluate(data, scope) for value, evaluate in frozen]

    return render_array


def _as_evaluator(compiled: _Literal | Evaluator) -> Evaluator:
    if isinstance(compiled, _Literal):
        value = compiled.value

        def render_literal(data: Any, scope: EvalScope) -> Any:
            return value

        return render_literal
    return compiled
