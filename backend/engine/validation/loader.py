"""Turn the definition text into JSON values, reporting where the text is broken.

The standard ``json`` module silently keeps the last of two equal keys; a definition
with two states of the same name would then lose one without a word. Objects are
therefore built as ``_Object`` (a dict) remembering the keys it saw twice.
"""

from __future__ import annotations

import json
from typing import Any

from backend.engine.validation.codes import Code
from backend.engine.validation.diagnostics import Collector

# The API's Definition field is at most this many characters.
MAX_DEFINITION_CHARS = 1_048_576

ROOT = "/"


class _Object(dict):
    __slots__ = ("duplicate_keys",)

    def __init__(self, pairs: list[tuple[str, Any]]):
        super().__init__(pairs)
        seen: set[str] = set()
        duplicates: list[str] = []
        for key, _ in pairs:
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.add(key)
        self.duplicate_keys = duplicates


def duplicate_keys(obj: Any) -> list[str]:
    """Keys that appeared more than once in the source text of ``obj``."""
    return getattr(obj, "duplicate_keys", None) or []


def load_definition(definition: Any, out: Collector) -> Any | None:
    """The definition as JSON values, or None after reporting why it cannot be read."""
    if isinstance(definition, (bytes, bytearray)):
        try:
            definition = definition.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.error(Code.INVALID_JSON_DESCRIPTION, ROOT, f"The definition is not UTF-8 text: {exc}")
            return None
    if isinstance(definition, str):
        return _parse_text(definition, out)
    if isinstance(definition, dict):
        return _normalise_object(definition, out)
    out.error(
        Code.SCHEMA_VALIDATION_FAILED,
        ROOT,
        f"Definition must be a valid JSON object, got {json_type_name(definition)}.",
    )
    return None


def _parse_text(text: str, out: Collector) -> Any | None:
    if not text.strip():
        # AWS's exact text for a blank definition.
        out.error(Code.SCHEMA_VALIDATION_FAILED, ROOT, "Definition must be a valid JSON object")
        return None
    if len(text) > MAX_DEFINITION_CHARS:
        out.error(
            Code.DEFINITION_TOO_LARGE,
            ROOT,
            f"The definition is {len(text)} characters long; the maximum is {MAX_DEFINITION_CHARS}.",
        )
        return None
    try:
        value = json.loads(text, object_pairs_hook=_Object)
    except json.JSONDecodeError as exc:
        out.error(
            Code.INVALID_JSON_DESCRIPTION,
            ROOT,
            f"The definition is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
        )
        return None
    except RecursionError:
        out.error(Code.INVALID_JSON_DESCRIPTION, ROOT, "The definition is not valid JSON: it is nested too deeply.")
        return None
    if not isinstance(value, dict):
        out.error(
            Code.SCHEMA_VALIDATION_FAILED,
            ROOT,
            f"Definition must be a valid JSON object, got {json_type_name(value)}.",
        )
        return None
    return value


def _normalise_object(definition: dict, out: Collector) -> Any | None:
    """An already-parsed definition, as the JSON it stands for.

    A round trip through JSON text: it measures the size the API limit speaks of, turns
    what Python allows and JSON does not (non-string keys, tuples) into what the engine
    will see, and rejects values JSON cannot hold.
    """
    try:
        text = json.dumps(definition, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        out.error(Code.SCHEMA_VALIDATION_FAILED, ROOT, f"Definition must be a valid JSON object: {exc}.")
        return None
    except RecursionError:
        out.error(Code.TOO_DEEPLY_NESTED, ROOT, "The definition is nested too deeply to be checked.")
        return None
    if len(text) > MAX_DEFINITION_CHARS:
        out.error(
            Code.DEFINITION_TOO_LARGE,
            ROOT,
            f"The definition is {len(text)} characters long as JSON; the maximum is {MAX_DEFINITION_CHARS}.",
        )
        return None
    return _parse_text(text, out)


def json_type_name(value: Any) -> str:
    """The JSON type of ``value`` as a user reads it in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
