"""Small typed-field checks shared by the state checks: each reports and returns whether
the value was acceptable, so callers can skip follow-up checks on a broken value."""

from __future__ import annotations

import difflib
import re
from typing import Any, Callable, Iterable

from backend.engine.errors import pointer_join
from backend.engine.validation.codes import Code
from backend.engine.validation.diagnostics import Collector
from backend.engine.validation.expressions import check_jsonata_value, is_jsonata, last_token
from backend.engine.validation.loader import json_type_name

_RFC3339 = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"  # date
    r"T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"  # time, optional fraction
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"  # zone
)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_timestamp(value: Any) -> bool:
    return isinstance(value, str) and bool(_RFC3339.match(value))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` Did you mean 'X'?`` for a near miss (case or typo), else ``""``."""
    candidates = list(candidates)
    for candidate in candidates:
        if candidate.lower() == word.lower():
            return f" Did you mean '{candidate}'?"
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
    return f" Did you mean '{close[0]}'?" if close else ""


def expect_string(value: Any, pointer: str, out: Collector, *, non_empty: bool = False) -> bool:
    if not isinstance(value, str):
        out.error(
            Code.WRONG_FIELD_TYPE, pointer, f"'{last_token(pointer)}' must be a string, got {json_type_name(value)}."
        )
        return False
    if non_empty and not value:
        out.error(Code.INVALID_FIELD_VALUE, pointer, f"'{last_token(pointer)}' must not be empty.")
        return False
    return True


def expect_bool(value: Any, pointer: str, out: Collector) -> bool:
    if not isinstance(value, bool):
        out.error(
            Code.WRONG_FIELD_TYPE,
            pointer,
            f"'{last_token(pointer)}' must be true or false, got {json_type_name(value)}.",
        )
        return False
    return True


def expect_object(value: Any, pointer: str, out: Collector) -> bool:
    if not isinstance(value, dict):
        out.error(
            Code.WRONG_FIELD_TYPE,
            pointer,
            f"'{last_token(pointer)}' must be a JSON object, got {json_type_name(value)}.",
        )
        return False
    return True


def expect_array(value: Any, pointer: str, out: Collector, *, non_empty: bool = False) -> bool:
    if not isinstance(value, list):
        out.error(
            Code.WRONG_FIELD_TYPE, pointer, f"'{last_token(pointer)}' must be an array, got {json_type_name(value)}."
        )
        return False
    if non_empty and not value:
        out.error(Code.INVALID_FIELD_VALUE, pointer, f"'{last_token(pointer)}' must not be an empty array.")
        return False
    return True


def expect_enum(value: Any, allowed: Iterable[str], pointer: str, out: Collector) -> bool:
    allowed = list(allowed)
    if value in allowed and isinstance(value, str):
        return True
    choices = ", ".join(f"'{a}'" for a in allowed)
    shown = f"'{value}'" if isinstance(value, str) else json_type_name(value)
    hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
    out.error(
        Code.INVALID_FIELD_VALUE,
        pointer,
        f"'{last_token(pointer)}' must be one of {choices}, got {shown}.{hint}",
    )
    return False


def expect_int(
    value: Any,
    pointer: str,
    out: Collector,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    jsonata_allowed: bool = False,
) -> bool:
    """An integer in [minimum, maximum]; in JSONata states a ``{% %}`` string is also fine."""
    return _expect_numeric(value, pointer, out, is_int, "an integer", minimum, maximum, jsonata_allowed)


def expect_number(
    value: Any,
    pointer: str,
    out: Collector,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    jsonata_allowed: bool = False,
) -> bool:
    """A number in [minimum, maximum]; in JSONata states a ``{% %}`` string is also fine."""
    return _expect_numeric(value, pointer, out, is_number, "a number", minimum, maximum, jsonata_allowed)


def _expect_numeric(
    value: Any,
    pointer: str,
    out: Collector,
    is_kind: Callable[[Any], bool],
    kind: str,
    minimum: float | None,
    maximum: float | None,
    jsonata_allowed: bool,
) -> bool:
    """``expect_int`` and ``expect_number``: ``kind`` ("an integer") names the type in the message."""
    field = last_token(pointer)
    if jsonata_allowed and is_jsonata(value):
        return _jsonata_number(value, pointer, out)
    if not is_kind(value):
        also = " or a JSONata expression" if jsonata_allowed else ""
        out.error(Code.WRONG_FIELD_TYPE, pointer, f"'{field}' must be {kind}{also}, got {json_type_name(value)}.")
        return False
    return _in_range(value, field, pointer, out, minimum, maximum)


def _jsonata_number(value: str, pointer: str, out: Collector) -> bool:
    """A JSONata expression standing for a number: its type is checked when it runs."""
    before = out.error_count()
    check_jsonata_value(value, pointer, out, states_fields=frozenset({"input", "context"}))
    return out.error_count() == before


def _in_range(value: float, field: str, pointer: str, out: Collector, minimum, maximum) -> bool:
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if maximum is None:
            bound = f"at least {minimum}"
        elif minimum is None:
            bound = f"at most {maximum}"
        else:
            bound = f"between {minimum} and {maximum}"
        out.error(Code.INVALID_FIELD_VALUE, pointer, f"'{field}' must be {bound}, got {value}.")
        return False
    return True


def required_fields(obj: dict, names: Iterable[str], pointer: str, out: Collector) -> bool:
    """AWS's wording for missing required fields: ``These fields are required: [A, B]``."""
    missing = [name for name in names if name not in obj]
    if missing:
        out.error(Code.SCHEMA_VALIDATION_FAILED, pointer, f"These fields are required: [{', '.join(missing)}]")
        return False
    return True


def exclusive(obj: dict, first: str, second: str, pointer: str, out: Collector) -> bool:
    """At most one of two alternative fields (TimeoutSeconds / TimeoutSecondsPath ...)."""
    if first in obj and second in obj:
        out.error(
            Code.MUTUALLY_EXCLUSIVE_FIELDS,
            pointer,
            f"'{first}' and '{second}' cannot be used together; keep only one of them.",
        )
        return False
    return True


def unknown_fields(obj: dict, allowed: frozenset[str], pointer: str, out: Collector, what: str) -> None:
    for key in obj:
        if key not in allowed:
            out.error(
                Code.UNKNOWN_FIELD,
                pointer_join(pointer, key),
                f"Field '{key}' is not supported in {what}.{did_you_mean(str(key), sorted(allowed))}",
            )
