"""The JSON type name of a Python value, as AWS's runtime error texts spell it.

Intrinsic functions (``... but was boolean: true``) and JSONata typed fields
(``Expected 'array', but was 'boolean' ...``) use the same bare names. Definition
validation words its messages for a reader instead ("a boolean", "an integer") and keeps
its own helper in ``validation/loader.py``.
"""

from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    """``null``, ``boolean``, ``number``, ``string``, ``array`` or ``object``.

    ``bool`` is tested before numbers: it is an ``int`` in Python but not a number in JSON.
    A value JSON cannot hold is named by its Python type.
    """
    if value is None:
        return "null"
    if value is True or value is False:
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
