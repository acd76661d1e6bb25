"""Typed, pointer-aware access to definition JSON while compiling it.

Every accessor raises ``DefinitionError`` naming the JSON pointer of the bad
field, so a malformed definition produces a diagnostic, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import DefinitionError, pointer_join

SCHEMA = "SCHEMA_VALIDATION_FAILED"
JSONPATH = "JSONPath"
JSONATA = "JSONata"
_MISSING = object()


@dataclass
class CompileContext:
    """Definition-wide settings every state compiler may consult."""

    query_language: str = JSONPATH
    workflow_type: str = "STANDARD"
    state_names: set[str] | None = None


class Node:
    """A JSON object in the definition and its pointer."""

    __slots__ = ("data", "pointer")

    def __init__(self, data: Any, pointer: str):
        if not isinstance(data, dict):
            raise DefinitionError(pointer or "/", SCHEMA, "expected a JSON object")
        self.data = data
        self.pointer = pointer

    def at(self, key: str) -> str:
        return pointer_join(self.pointer, key)

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def child(self, key: str) -> Node:
        return Node(self.data.get(key), self.at(key))

    def string(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and not required):
            if required:
                raise DefinitionError(self.pointer or "/", SCHEMA, f"These fields are required: [{key}]")
            return None
        if not isinstance(value, str):
            raise DefinitionError(self.at(key), SCHEMA, f"'{key}' must be a string")
        return value

    def integer(self, key: str, *, minimum: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise DefinitionError(self.at(key), SCHEMA, f"'{key}' must be an integer")
        if minimum is not None and value < minimum:
            raise DefinitionError(self.at(key), SCHEMA, f"'{key}' must be >= {minimum}")
        return int(value)

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DefinitionError(self.at(key), SCHEMA, f"'{key}' must be a number")
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise DefinitionError(self.at(key), SCHEMA, f"'{key}' must be a boolean")
        return value

    def array(self, key: str, *, required: bool = False) -> list | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise DefinitionError(self.pointer or "/", SCHEMA, f"These fields are required: [{key}]")
            return None
        if not isinstance(value, list):
            raise DefinitionError(self.at(key), SCHEMA, f"'{key}' must be an array")
        return value

    def exclusive(self, *keys: str) -> None:
        present = [k for k in keys if k in self.data]
        if len(present) > 1:
            raise DefinitionError(self.at(present[1]), SCHEMA, f"Fields {present} are mutually exclusive")

    def error(self, key: str | None, message: str, code: str = SCHEMA) -> DefinitionError:
        return DefinitionError(self.at(key) if key else (self.pointer or "/"), code, message)
