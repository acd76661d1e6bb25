"""Reading the members of a wire request (a JSON object) with the protocol's own errors."""

from __future__ import annotations

import json
from typing import Any

from backend.api.errors import ApiError


class Params:
    """Typed access to a request's members; ``missing``/``invalid`` name the protocol's error codes."""

    def __init__(self, data: dict[str, Any], *, missing: str, invalid: str):
        self.data = data
        self.missing_code = missing
        self.invalid_code = invalid

    def _invalid(self, name: str, expected: str) -> ApiError:
        return ApiError(self.invalid_code, f"The parameter {name} must be {expected}.", field=name)

    def string(self, name: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise ApiError(self.missing_code, f"The parameter {name} is required.", field=name)
            return None
        if not isinstance(value, str):
            raise self._invalid(name, "a string")
        if required and not value:
            raise ApiError(self.missing_code, f"The parameter {name} must not be empty.", field=name)
        if max_length is not None and len(value) > max_length:
            raise self._invalid(name, f"at most {max_length} characters long")
        return value

    def integer(self, name: str, *, default: int | None = None, low: int = 0, high: int = 2**31 - 1) -> int | None:
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._invalid(name, f"an integer from {low} to {high}")
        return value

    def boolean(self, name: str, *, default: bool | None = None) -> bool | None:
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._invalid(name, "true or false")
        return value

    def json_text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        """A member that holds JSON as text (execution input, task output)."""
        text = self.string(name, required=required, max_length=max_length)
        if text is not None:
            try:
                json.loads(text)
            except ValueError as error:
                raise ApiError(self.invalid_code, f"The parameter {name} is not valid JSON: {error}", field=name) from None
        return text


def parse_object(body: bytes, *, code: str) -> dict[str, Any]:
    """The body as a JSON object ("" and no body count as ``{}``)."""
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(code, f"The request body is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ApiError(code, "The request body must be a JSON object.")
    return data


def task_resources(definition: Any) -> list[str]:
    """Every Task ``Resource`` string in a (parsed) definition, nested states included."""
    found: list[str] = []
    stack = [definition]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("Type") == "Task" and isinstance(node.get("Resource"), str):
                found.append(node["Resource"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(set(found))
