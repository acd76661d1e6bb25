"""Checks of the expression languages inside a definition: JSONPath paths, intrinsic
function calls, payload templates and JSONata.

Each check reports through the Collector and returns nothing; the engine's compilers
decide syntax when they are available (see engine_parsers), our own parsers otherwise.
"""

from __future__ import annotations

import re
from typing import Any

from backend.engine.errors import pointer_join
from backend.engine.validation.codes import Code
from backend.engine.validation.diagnostics import Collector
from backend.engine.validation.engine_parsers import EngineUnavailable, engine_verdict
from backend.engine.validation.intrinsic_syntax import (
    IntrinsicSyntaxError,
    check_intrinsic_syntax,
    looks_like_intrinsic,
)
from backend.engine.validation.jsonata_rules import jsonata_problems
from backend.engine.validation.jsonpath_syntax import PathShape, PathSyntaxError, parse_path_shape
from backend.engine.validation.loader import json_type_name

# Payload templates and JSONata values deeper than this are reported, not walked
# (keeps hostile input from exhausting the stack).
MAX_VALUE_DEPTH = 64

_PATH_LIKE = re.compile(r"^\$(\$)?(\.|\[|$)")
_JSONATA = re.compile(r"^\{%(.*)%\}$", re.DOTALL)


def is_jsonata(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}") and len(value) >= 4


def looks_like_path(value: Any) -> bool:
    """A string a user probably meant as a path (``$``, ``$.x``, ``$$.x``, ``$[0]``)."""
    return isinstance(value, str) and bool(_PATH_LIKE.match(value))


def _sentence(message: str) -> str:
    """Engine messages are fragments ("a path must be a string"); diagnostics are sentences."""
    message = message.strip()
    if not message:
        return "Invalid value."
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def last_token(pointer: str) -> str:
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


# --- JSONPath ---------------------------------------------------------------------------


def check_path(
    value: Any,
    pointer: str,
    out: Collector,
    *,
    reference: bool = False,
    allow_context: bool = True,
    allow_variables: bool = True,
    nullable: bool = False,
) -> None:
    """A Path (``reference=True``: a Reference Path) in a JSONPath field."""
    field = last_token(pointer)
    if value is None and nullable:
        return
    if not isinstance(value, str):
        out.error(Code.WRONG_FIELD_TYPE, pointer, f"'{field}' must be a JSONPath string, got {json_type_name(value)}.")
        return
    try:
        shape: PathShape | None = parse_path_shape(value)
        reason = None
    except PathSyntaxError as exc:
        shape, reason = None, str(exc)
    compiler = "compile_reference_path" if reference else "compile_path"
    try:
        verdict = engine_verdict("paths", compiler, value, pointer=pointer)
        if verdict is not None:
            out.error(Code.INVALID_JSONPATH, verdict.pointer or pointer, _sentence(verdict.message))
            return
    except EngineUnavailable:
        if reason is not None:
            out.error(Code.INVALID_JSONPATH, pointer, f"'{field}' is not a valid JSONPath ('{value}'): {reason}.")
            return
    if shape is None:
        return  # the engine accepts a form our own parser does not know
    if shape.root == "context" and not allow_context:
        out.error(Code.INVALID_JSONPATH, pointer, f"'{field}' cannot refer to the Context Object ('$$'): '{value}'.")
    elif shape.root == "variable" and not allow_variables:
        out.error(Code.INVALID_JSONPATH, pointer, f"'{field}' cannot refer to a variable: '{value}'.")
    elif reference and not shape.is_reference:
        out.error(
            Code.INVALID_JSONPATH,
            pointer,
            f"'{field}' must be a Reference Path that selects a single node (no '*', '..', filters, "
            f"slices or unions): '{value}'.",
        )


def check_result_path(value: Any, pointer: str, out: Collector) -> None:
    """ResultPath: null, or a Reference Path into the state input (IO-08, PATH-06, VAR-12)."""
    if value is None:
        return
    check_path(value, pointer, out, reference=True, allow_context=False, allow_variables=False)
    if isinstance(value, str) and not out.has_error_at(pointer):
        try:
            verdict = engine_verdict("paths", "compile_result_path", value, pointer=pointer)
        except EngineUnavailable:
            return
        if verdict is not None:
            out.error(Code.INVALID_JSONPATH, verdict.pointer or pointer, _sentence(verdict.message))


# --- intrinsic functions ------------------------------------------------------------------


def check_intrinsic(text: str, pointer: str, out: Collector) -> None:
    try:
        verdict = engine_verdict("intrinsics", "compile_intrinsic", text, pointer=pointer)
        if verdict is not None:
            out.error(Code.INVALID_INTRINSIC, verdict.pointer or pointer, _sentence(verdict.message))
        return
    except EngineUnavailable:
        pass
    try:
        check_intrinsic_syntax(text)
    except IntrinsicSyntaxError as exc:
        out.error(Code.INVALID_INTRINSIC, pointer, f"Invalid intrinsic function call '{text}': {exc}.")


def check_path_or_intrinsic(value: Any, pointer: str, out: Collector, *, reference: bool = False) -> None:
    """A ``.$`` value, ErrorPath/CausePath, a JSONPath Assign value (PT-03/04, IF-05)."""
    field = last_token(pointer)
    if not isinstance(value, str):
        out.error(
            Code.INVALID_PAYLOAD_TEMPLATE,
            pointer,
            f"The value of '{field}' must be a JSONPath or an intrinsic function call string, "
            f"got {json_type_name(value)}.",
        )
    elif value.startswith("$"):
        check_path(value, pointer, out, reference=reference)
    elif looks_like_intrinsic(value):
        check_intrinsic(value, pointer, out)
    else:
        out.error(
            Code.INVALID_PAYLOAD_TEMPLATE,
            pointer,
            f"The value of '{field}' is not a JSONPath or intrinsic function expression: '{value}'.",
        )


# --- payload templates ---------------------------------------------------------------------


def check_payload_template(value: Any, pointer: str, out: Collector) -> None:
    """Parameters, ResultSelector, ItemSelector, Credentials ... in a JSONPath state (PT-01..06)."""
    if not isinstance(value, dict):
        out.error(
            Code.WRONG_FIELD_TYPE,
            pointer,
            f"'{last_token(pointer)}' must be a JSON object (a payload template), got {json_type_name(value)}.",
        )
        return
    before = out.error_count()
    _walk_template(value, pointer, out, depth=0)
    if out.error_count() == before and isinstance(value, dict):
        try:
            verdict = engine_verdict("paths", "compile_payload_template", value, pointer=pointer)
        except EngineUnavailable:
            return
        if verdict is not None and not out.has_error_at(verdict.pointer):
            out.error(verdict.code, verdict.pointer or pointer, verdict.message)


def _walk_template(value: Any, pointer: str, out: Collector, depth: int) -> None:
    if depth > MAX_VALUE_DEPTH:
        out.error(Code.TOO_DEEPLY_NESTED, pointer, f"This value is nested more than {MAX_VALUE_DEPTH} levels deep.")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _walk_template(item, pointer_join(pointer, index), out, depth + 1)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        here = pointer_join(pointer, key)
        if not isinstance(key, str):
            continue
        if key.endswith(".$"):
            plain = key[:-2]
            if plain in value:
                out.error(
                    Code.INVALID_PAYLOAD_TEMPLATE,
                    here,
                    f"'{key}' and '{plain}' both produce the field '{plain}'; keep only one of them.",
                )
            check_path_or_intrinsic(item, here, out)
        else:
            if looks_like_path(item) or (isinstance(item, str) and looks_like_intrinsic(item)):
                what = "a JSONPath" if looks_like_path(item) else "an intrinsic function call"
                out.warning(
                    Code.NO_DOLLAR,
                    here,
                    f"The value of '{key}' looks like {what} ('{item}') but is used literally; "
                    f"name the field '{key}.$' to evaluate it.",
                )
            _walk_template(item, here, out, depth + 1)


# --- JSONata -------------------------------------------------------------------------------


def check_jsonata_value(value: Any, pointer: str, out: Collector, *, states_fields: frozenset[str]) -> None:
    """A JSONata state's field value: every ``{% %}`` string inside is an expression.

    ``states_fields`` are the members of ``$states`` this field may read (JSA-04).
    """
    before = out.error_count()
    _walk_jsonata(value, pointer, out, states_fields, depth=0)
    if out.error_count() == before:
        try:
            verdict = engine_verdict("jsonata_query", "compile_jsonata_value", value, pointer=pointer)
        except EngineUnavailable:
            return
        if verdict is not None and not out.has_error_at(verdict.pointer):
            out.error(Code.INVALID_JSONATA, verdict.pointer or pointer, _sentence(verdict.message))


def _walk_jsonata(value: Any, pointer: str, out: Collector, states_fields: frozenset[str], depth: int) -> None:
    if depth > MAX_VALUE_DEPTH:
        out.error(Code.TOO_DEEPLY_NESTED, pointer, f"This value is nested more than {MAX_VALUE_DEPTH} levels deep.")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_jsonata(item, pointer_join(pointer, index), out, states_fields, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk_jsonata(item, pointer_join(pointer, key), out, states_fields, depth + 1)
    elif is_jsonata(value):
        for problem in jsonata_problems(value[2:-2], states_fields):
            out.error(Code.INVALID_JSONATA, pointer, f"Invalid JSONata expression '{value}': {problem}.")
