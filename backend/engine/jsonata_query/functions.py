"""The functions Step Functions adds to JSONata, and the one it takes away.

``$partition``, ``$range``, ``$hash``, ``$random``, ``$uuid`` and ``$parse`` are
bound in one shared frame that every expression's evaluation frame hangs from;
``$eval`` is bound to nothing there, so calling it fails as calling any
non-function does (``T1006``), as on AWS.

Conventions AWS follows (and so do we): a non-integer number argument is
truncated towards zero; arguments that make no sense for the function (a chunk
size of zero, an empty array, a ``$range`` without a step or with a step going
the wrong way, a ``$hash`` without an algorithm) give *undefined* rather than an
error, and the field then fails as any undefined result does.
"""

from __future__ import annotations

import json
import math
import random
import re
from typing import Any, Callable

from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.jsonata import Jsonata
from jsonata.utils import Utils

from backend.engine.intrinsics.functions import HASH_ALGORITHMS, uuid4
from backend.engine.jsonata_query.conversion import NULL, to_json
from backend.engine.jsonata_query.js_text import jsonata_string

# AWS refuses to build a range larger than this (a memory bound of its own).
MAX_RANGE_ITEMS = 360_145


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _integer(value: Any) -> int | None:
    """A number truncated towards zero; ``None`` for anything else."""
    if not _is_number(value):
        return None
    return int(value)


def _array(value: Any) -> list | None:
    if value is None:
        return None
    if isinstance(value, list):
        return value
    return [value]  # JSONata treats a single value as a one-item array


def _failure(message: str) -> JException:
    # D3137 is the code $error() raises with: a message of our own, verbatim.
    return JException("D3137", -1, message)


_DECIMAL_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?")
_PREFIXED_INTEGER = re.compile(r"0([xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)")


def number(arg: Any) -> Any:
    """JSONata 2.0.6's ``$number``: JSON-style numerals and 0x/0o/0b integers only.

    (The port hands strings to Python's ``float``, which also takes "nan", " 1 " and "1_0"
    and raises a Python error for the rest.)
    """
    if arg is None:
        return None
    if isinstance(arg, bool):
        return 1 if arg else 0
    if isinstance(arg, (int, float)):
        return arg
    if isinstance(arg, str):
        if _DECIMAL_NUMBER.fullmatch(arg):
            value = float(arg)
            if math.isfinite(value):
                return Utils.convert_number(value)
        elif _PREFIXED_INTEGER.fullmatch(arg):
            return int(arg, 0)
    raise JException("D3030", -1, arg)


def partition(array: Any = None, size: Any = None) -> Any:
    items = _array(array)
    chunk = _integer(size)
    if not items or chunk is None or chunk <= 0:
        return None
    chunks = Utils.JList(items[start : start + chunk] for start in range(0, len(items), chunk))
    return chunks


def range_(start: Any = None, end: Any = None, step: Any = None) -> Any:
    first, last, stride = _integer(start), _integer(end), _integer(step)
    if first is None or last is None or stride is None or stride == 0:
        return None
    if (last - first) * stride < 0:
        return None
    count = (last - first) // stride + 1
    if count > MAX_RANGE_ITEMS:
        raise _failure("Expression evaluation memory limit exceeded")
    # A sequence, so that a one-number range collapses to the number (as on AWS).
    return Utils.create_sequence_from_iter(range(first, last + (1 if stride > 0 else -1), stride))


def hash_(data: Any = None, algorithm: Any = None) -> Any:
    if data is None or algorithm is None:
        return None
    hasher = HASH_ALGORITHMS.get(algorithm) if isinstance(algorithm, str) else None
    if hasher is None:
        raise _failure(
            f"The hashing algorithm provided [{algorithm}] is not supported. "
            f"Supported algorithms: {', '.join(HASH_ALGORITHMS)}"
        )
    text = data if isinstance(data, str) else json.dumps(to_json(data), separators=(",", ":"))
    return hasher(text.encode("utf-8")).hexdigest()


def random_(seed: Any = None) -> float:
    if seed is None or seed is NULL:
        return random.random()
    if not _is_number(seed) and not isinstance(seed, str):
        raise _failure(f"The seed of $random must be a number, got {json.dumps(to_json(seed))}")
    return random.Random(_integer(seed) if _is_number(seed) else seed).random()


def uuid() -> str:
    return uuid4()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # JavaScript's JSON.parse refuses NaN and Infinity


def parse(text: Any = None) -> Any:
    if text is None:
        return None
    if not isinstance(text, str):
        raise _failure("The argument of $parse must be a string")
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise _failure(f"Unable to parse the JSON string: {error}") from None
    # JSON null is a value here, not undefined.
    return NULL if value is None else value


def to_millis(timestamp: Any, picture: Any = None) -> Any:
    """``$toMillis``: the port's, with JSONata's D3110 where the port lets a Python error out."""
    try:
        return Functions.datetime_to_millis(timestamp, picture)
    except (ValueError, TypeError, OverflowError):
        raise JException("D3110", -1, timestamp) from None


class _JsonataFunctions:
    """JSONata built-ins the port gets wrong, re-implemented (bound with their signatures)."""

    number = staticmethod(number)
    to_millis = staticmethod(to_millis)


STEP_FUNCTIONS_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "partition": partition,
    "range": range_,
    "hash": hash_,
    "random": random_,
    "uuid": uuid,
    "parse": parse,
}

# Names an expression may call without them being workflow variables.
FUNCTION_NAMES = frozenset(STEP_FUNCTIONS_FUNCTIONS) | frozenset(Jsonata.static_frame.bindings)


def _step_functions_frame() -> Jsonata.Frame:
    # $string and the & operator write numbers as JavaScript does on AWS (1e20 in full,
    # 15 significant digits everywhere); the port's own Functions.string does not. The
    # operator calls Functions.string, the function is bound with its signature here.
    Functions.string = staticmethod(jsonata_string)
    frame = Jsonata.Frame(Jsonata.static_frame)
    frame.bind("string", Jsonata.JNativeFunction("string", "<x-b?:s>", Functions, "string"))
    frame.bind("number", Jsonata.JNativeFunction("number", "<(nsb)-:n>", _JsonataFunctions, "number"))
    frame.bind("toMillis", Jsonata.JNativeFunction("toMillis", "<s-s?:n>", _JsonataFunctions, "to_millis"))
    for name, implementation in STEP_FUNCTIONS_FUNCTIONS.items():
        frame.bind(name, Jsonata.JLambda(implementation))
    # Bound to nothing: ``$eval(...)`` is "Attempted to invoke a non-function" on AWS.
    frame.bind("eval", None)
    return frame


BASE_FRAME = _step_functions_frame()
