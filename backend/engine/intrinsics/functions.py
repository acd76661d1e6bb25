"""Pure data functions behind the ``States.*`` intrinsics, reusable elsewhere.

Everything here works on plain JSON values (dict, list, str, int, float, bool, None),
never mutates its arguments and raises ``FunctionArgumentError`` (a ``ValueError``)
with a short, user-facing reason when an argument is unusable. Callers turn that into
their own error: the intrinsic compiler into ``States.IntrinsicFailure``; the JSONata
module may reuse ``partition``, ``array_range``, ``hash_text``, ``random_integer`` and
``uuid4`` for Step Functions' JSONata extras (``$partition``, ``$range``, ``$hash``,
``$random``, ``$uuid``) and wrap the reason into ``States.QueryEvaluationError``.

AWS runs Step Functions on the JVM, so a few results follow Java rather than Python:
``java_round`` (``Math.round``: halves go up, ``-2.5`` -> ``-2``), ``java_text``
(``String.valueOf`` of the Java value: ``{k=v, k2=v2}``, ``[a, b]``, ``1.0E10``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import uuid
from decimal import Decimal
from typing import Any

# Limits AWS documents for the intrinsics.
MAX_RANGE_ITEMS = 1000
MAX_TEXT_CHARS = 10_000

HASH_ALGORITHMS = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}


class FunctionArgumentError(ValueError):
    """An argument a function cannot work with; ``str(error)`` says why."""


# --- JSON value helpers ------------------------------------------------------------


def is_number(value: Any) -> bool:
    """A JSON number (``bool`` is an ``int`` in Python but not a number in JSON)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def json_equal(left: Any, right: Any) -> bool:
    """Deep JSON equality: ``true`` never equals ``1``; ``1`` equals ``1.0``."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if is_number(left) and is_number(right):
        return left == right
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(json_equal(v, right[k]) for k, v in left.items())
    if isinstance(left, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    return left == right


def _identity_key(value: Any) -> Any:
    """A hashable key with the same equality as ``json_equal`` (objects ignore key order)."""
    if isinstance(value, bool):
        return ("b", value)
    if is_number(value):
        return ("n", value)  # hash(1) == hash(1.0), as json_equal wants
    if isinstance(value, dict):
        return ("o", frozenset((k, _identity_key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("a", tuple(_identity_key(v) for v in value))
    return ("s", value)  # str or None


def json_text(value: Any) -> str:
    """Compact JSON text as Jackson writes it (``States.JsonToString``): keys in their
    order, non-ASCII kept, doubles in Java notation (``1.0E16``, not ``1e+16``)."""
    parts: list[str] = []
    _write_json(value, parts)
    return "".join(parts)


_encode_string = json.encoder.encode_basestring  # quotes and escapes; keeps non-ASCII, like Jackson


def _write_json(value: Any, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_encode_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(str(value))
    elif isinstance(value, float):
        parts.append(java_double_text(value))
    elif isinstance(value, dict):
        parts.append("{")
        for position, (key, item) in enumerate(value.items()):
            if position:
                parts.append(",")
            parts.append(_encode_string(key))
            parts.append(":")
            _write_json(item, parts)
        parts.append("}")
    elif isinstance(value, list):
        parts.append("[")
        for position, item in enumerate(value):
            if position:
                parts.append(",")
            _write_json(item, parts)
        parts.append("]")
    else:
        raise TypeError(f"not a JSON value: {value!r}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_text(text: str) -> Any:
    """``States.StringToJson``: blank text is ``null``; otherwise strict JSON."""
    if not text.strip():
        return None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        raise FunctionArgumentError(f"the string is not valid JSON: {exc}") from None


# --- Java renderings -----------------------------------------------------------------


def java_round(number: int | float) -> int:
    """Java ``Math.round``: the closest integer, halves rounded up (towards +infinity)."""
    if isinstance(number, int):
        return number
    if math.isnan(number) or math.isinf(number):
        raise FunctionArgumentError(f"{java_text(number)} is not a finite number")
    floor = math.floor(number)
    # number - floor is exact for doubles, unlike number + 0.5.
    return floor + 1 if number - floor >= 0.5 else floor


def java_double_text(number: float) -> str:
    """Java ``Double.toString``: ``1.0``, ``0.001``, ``1.0E7``, ``1.234E-5``."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    magnitude = abs(number)
    if number == 0 or 1e-3 <= magnitude < 1e7:
        text = repr(number)  # shortest round-trip digits, plain notation in this range
        return text if "." in text else text + ".0"
    sign = "-" if number < 0 else ""
    digits_tuple, exponent = Decimal(repr(magnitude)).as_tuple()[1:]
    digits = "".join(map(str, digits_tuple)).rstrip("0") or "0"
    scientific_exponent = len(digits_tuple) - 1 + exponent
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{scientific_exponent}"


def java_text(value: Any) -> str:
    """How AWS prints a value inside ``States.Format``: Java ``String.valueOf``."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    return str(value)


# --- Format templates ----------------------------------------------------------------


def split_format_template(template: str) -> list[str]:
    """Split a ``States.Format`` template at its ``{}`` placeholders.

    A backslash escapes the next character (``\\{`` is a literal brace, ``\\\\`` a
    backslash); a template ending in a lone backslash is invalid. Returns the literal
    pieces: one more than there are placeholders.
    """
    pieces: list[str] = []
    current: list[str] = []
    index, end = 0, len(template)
    while index < end:
        char = template[index]
        if char == "\\":
            if index + 1 == end:
                raise FunctionArgumentError("the template ends with an unfinished escape sequence '\\'")
            current.append(template[index + 1])
            index += 2
        elif char == "{" and index + 1 < end and template[index + 1] == "}":
            pieces.append("".join(current))
            current = []
            index += 2
        else:
            current.append(char)
            index += 1
    pieces.append("".join(current))
    return pieces


def fill_format_template(pieces: list[str] | tuple[str, ...], values: tuple[Any, ...] | list[Any]) -> str:
    """Join template pieces with the values rendered as ``java_text``."""
    if len(values) != len(pieces) - 1:
        raise FunctionArgumentError(
            f"the template has {len(pieces) - 1} placeholder(s) '{{}}' but {len(values)} value(s) were given"
        )
    parts = [pieces[0]]
    for value, piece in zip(values, pieces[1:]):
        parts.append(java_text(value))
        parts.append(piece)
    return "".join(parts)


# --- Arrays --------------------------------------------------------------------------


def partition(items: list, size: int) -> list[list]:
    """Chunks of ``size`` items in order; the last one may be shorter."""
    if size <= 0:
        raise FunctionArgumentError(f"the chunk size must be a positive integer, got {size}")
    return [items[start : start + size] for start in range(0, len(items), size)]


def array_range(start: int, end: int, step: int) -> list[int]:
    """``start, start+step, ...`` up to and including ``end``; at most 1000 items."""
    if step == 0:
        raise FunctionArgumentError("the step must not be 0")
    count = (end - start) // step + 1
    if count > MAX_RANGE_ITEMS:
        raise FunctionArgumentError(
            f"the range would have {count} items; at most {MAX_RANGE_ITEMS} are allowed"
        )
    return list(range(start, end + (1 if step > 0 else -1), step))


def array_contains(items: list, value: Any) -> bool:
    return any(json_equal(item, value) for item in items)


def array_unique(items: list) -> list:
    """Items without duplicates (deep equality), first occurrences kept in order."""
    seen: set = set()
    unique = []
    for item in items:
        key = _identity_key(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def array_get_item(items: list, index: int) -> Any:
    if not 0 <= index < len(items):
        raise FunctionArgumentError(f"the index {index} is out of bounds for an array of length {len(items)}")
    return items[index]


# --- Strings, encodings, hashes ------------------------------------------------------


def _check_text_length(text: str, what: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise FunctionArgumentError(
            f"the {what} has {len(text)} characters; at most {MAX_TEXT_CHARS} are allowed"
        )


def base64_encode(text: str) -> str:
    _check_text_length(text, "input string")
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def base64_decode(text: str) -> str:
    _check_text_length(text, "input string")
    try:
        raw = base64.b64decode(text.encode("utf-8"), validate=True)
    except (binascii.Error, ValueError):
        raise FunctionArgumentError("the input is not valid Base64 data") from None
    return raw.decode("utf-8", errors="replace")


def hash_text(data: Any, algorithm: str) -> str:
    """Lowercase hex digest of ``data`` (non-strings hashed as their compact JSON text)."""
    hasher = HASH_ALGORITHMS.get(algorithm)
    if hasher is None:
        raise FunctionArgumentError(
            f"the algorithm '{algorithm}' is not supported; use one of {', '.join(HASH_ALGORITHMS)}"
        )
    text = data if isinstance(data, str) else json_text(data)
    _check_text_length(text, "data")
    return hasher(text.encode("utf-8")).hexdigest()


def string_split(text: str, delimiters: str) -> list[str]:
    """Split at every character of ``delimiters``; empty pieces are dropped."""
    if not delimiters:
        return [text] if text else []
    if len(delimiters) == 1:
        pieces = text.split(delimiters)
    else:
        table = {ord(char): delimiters[0] for char in delimiters[1:]}
        pieces = text.translate(table).split(delimiters[0])
    return [piece for piece in pieces if piece]


# --- Objects, numbers, identifiers ---------------------------------------------------


def json_merge(left: dict, right: dict) -> dict:
    """Shallow merge: keys of ``right`` win (AWS supports no deep merge)."""
    merged = dict(left)
    merged.update(right)
    return merged


def random_integer(start: int, end: int, seed: int | None = None) -> int:
    """A random integer from ``start`` (inclusive) to ``end`` (exclusive), as AWS
    documents it; the same seed gives the same number."""
    if start >= end:
        raise FunctionArgumentError(f"the end {end} must be greater than the start {start}")
    generator = random if seed is None else random.Random(seed)
    return generator.randrange(start, end)


def uuid4() -> str:
    """A random version 4 UUID in its canonical lowercase text form."""
    return str(uuid.uuid4())
