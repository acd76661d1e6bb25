"""Between jsonata-python's value model and plain JSON values.

jsonata-python (a port of jsonata-java) represents JSON ``null`` as
``Utils.NULL_VALUE`` and *undefined* as ``None``; results may be ``JList``
sequences, and numbers may be floats. Step Functions prints JSONata numbers the
way JavaScript does (``2.0`` is ``2``; ``-0`` is ``0``; non-finite numbers are
written as the strings JavaScript names them by), so results are normalised
here before they leave the package.
"""

from __future__ import annotations

import math
from typing import Any

from jsonata.utils import Utils

NULL = Utils.NULL_VALUE

# JavaScript writes whole numbers in full below 1e21 and in exponent notation
# from there; Python's json module does the same for a float, so only whole
# floats below that bound become ints.
_JS_FULL_INTEGER_BOUND = 1e21
_BOUND = 10**21


class UnsupportedResult(Exception):
    """The result holds something JSON cannot carry (a function, a regex)."""


def to_binding(value: Any) -> Any:
    """A plain JSON value as a jsonata variable binding (``null`` must not read as undefined)."""
    return NULL if value is None else value


def to_json(value: Any) -> Any:
    """Convert a jsonata result (never undefined) to a plain JSON value.

    Containers whose contents need no change are returned as they are (values
    are treated as immutable), so a result that is a slice of the input costs a
    walk but no copy.
    """
    if value is NULL or value is None:
        return None
    kind = type(value)
    if kind is str or kind is bool:
        return value
    if kind is int:
        return value if -_JS_FULL_INTEGER_BOUND < value < _JS_FULL_INTEGER_BOUND else float(value)
    if kind is float:
        return _number(value)
    if isinstance(value, dict):
        return _object(value)
    if isinstance(value, list):
        return _array(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return to_json(int(value))
    if isinstance(value, float):
        return _number(float(value))
    raise UnsupportedResult(type(value).__name__)


def _number(value: float) -> Any:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < _JS_FULL_INTEGER_BOUND:
        return int(value)
    return value


def _object(value: dict) -> dict:
    converted: dict | None = None
    for index, (key, item) in enumerate(value.items()):
        kind = type(item)
        if kind is str or item is None or kind is bool or (kind is int and -_BOUND < item < _BOUND):
            new_item = item  # the common scalars, checked inline: a call per item costs more
        else:
            new_item = to_json(item)
        if converted is None:
            if new_item is item:
                continue
            converted = dict(list(value.items())[:index])
        converted[key] = new_item
    if converted is None:
        return value
    return converted


def _array(value: list) -> list:
    converted: list | None = None
    for index, item in enumerate(value):
        kind = type(item)
        if kind is str or item is None or kind is bool or (kind is int and -_BOUND < item < _BOUND):
            new_item = item
        else:
            new_item = to_json(item)
        if converted is None:
            if new_item is item and type(value) is list:
                continue
            converted = list(value[:index])
        converted.append(new_item)
    if converted is None:
        # A JList (sequence flags and all) becomes a plain list.
        return value if type(value) is list else list(value)
    return converted
