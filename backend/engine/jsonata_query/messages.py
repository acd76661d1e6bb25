"""AWS Step Functions' wording for JSONata failures.

Every failure is ``States.QueryEvaluationError``. The cause names the
expression (the text between ``{%`` and ``%}``, trimmed) and the field it was
written in, e.g.::

    The JSONata expression '$x' specified for the field 'Output/a' returned nothing (undefined).

A cause the interpreter reports is prefixed with the state and the id of its
``*StateEntered`` event (``state_cause``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from jsonata.jexception import JException

from backend.engine.errors import QUERY_EVALUATION_ERROR, StatesError
from backend.engine.jsonata_query.conversion import NULL
from backend.engine.jsonata_query.js_text import js_number_text


class QueryEvaluationError(StatesError):
    """``States.QueryEvaluationError`` with the parts an ``EvaluationFailed`` event records.

    ``detail`` is the cause without the state prefix; ``location`` the field
    (``Output/a``, ``Items`` ...).
    """

    __slots__ = ("detail", "location")

    def __init__(self, cause: str, *, detail: str, location: str):
        super().__init__(QUERY_EVALUATION_ERROR, cause)
        self.detail = detail
        self.location = location


def state_cause(detail: str, state_name: str | None, entered_event_id: int | None) -> str:
    """``detail`` with AWS's state prefix (when the state is known)."""
    if state_name is None:
        return detail
    event = "?" if entered_event_id is None else entered_event_id
    return (
        f"An error occurred while executing the state '{state_name}' "
        f"(entered at the event id #{event}). {detail}"
    )


def _about(expression: str, field: str) -> str:
    return f"The JSONata expression '{expression}' specified for the field '{field}'"


def undefined_result(expression: str, field: str) -> str:
    return f"{_about(expression, field)} returned nothing (undefined)."


def unsupported_result(expression: str, field: str) -> str:
    return f"{_about(expression, field)} returned an unsupported result type."


def unexpected_type(expression: str, field: str, expected: str, actual: str, value: Any) -> str:
    return (
        f"{_about(expression, field)} returned an unexpected result type. "
        f"Expected '{expected}', but was '{actual}' for value: {compact_json(value)}"
    )


def evaluation_error(expression: str, field: str, error: BaseException) -> str:
    return f"{_about(expression, field)} threw an error during evaluation. {runtime_error_text(error)}"


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if value is NULL:
        return None
    return str(value)


# --- jsonata runtime errors -----------------------------------------------------------

# jsonata-python's message catalogue is jsonata-java's, where a mechanical
# translation turned the word "function" into "Object"; JSONata (and AWS) say
# "function".
_TRANSLATION_SLIP = re.compile(r"\bObject\b")
_PLACEHOLDER = re.compile(r"\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}")


def runtime_error_text(error: BaseException) -> str:
    """``CODE: message`` as JSONata reports a runtime error (``T1006: Attempted to ...``)."""
    if isinstance(error, JException):
        code, message = _code_and_message(error)
        return f"{code}: {message}" if message else code
    if isinstance(error, RecursionError):
        return f"D1011: {_template('D1011')}"
    if isinstance(error, ZeroDivisionError):
        # JavaScript divides by zero into Infinity, which JSONata then refuses as a number.
        return f"D1001: {_template('D1001').replace('{{value}}', 'null')}"
    if isinstance(error, OverflowError):
        return f"D1001: {_template('D1001').replace('{{value}}', 'null')}"
    return str(error) or type(error).__name__


def _template(code: str) -> str:
    return _TRANSLATION_SLIP.sub("function", JException.error_codes.get(code, ""))


def _code_and_message(error: JException) -> tuple[str, str]:
    template = JException.error_codes.get(error.error)
    if template is None:
        # A few port functions raise JException(message) without the code.
        code = _CODE_OF_MESSAGE.get(_TRANSLATION_SLIP.sub("function", str(error.error)))
        return (code, _template(code)) if code else (str(error.error), "")
    template = _TRANSLATION_SLIP.sub("function", template)
    # JSONata fills {{{name}}} with the raw value and {{name}} with its JSON text; the
    # Python port keeps the values positionally (current, expected, extra).
    if error.error in _VALUE_SECOND:
        values = iter((error.expected,))
    else:
        values = iter((error.current, error.expected, _ARRAY_OF.get(error.extra, error.extra)))

    def fill(match: re.Match) -> str:
        value = next(values, None)
        return _raw_text(value) if match.group(1) else _stringify(value)

    return error.error, _PLACEHOLDER.sub(fill, template)


# Codes whose message shows the port's second value (the first is the operator).
_VALUE_SECOND = frozenset({"D1002"})
_CODE_OF_MESSAGE = {
    _TRANSLATION_SLIP.sub("function", message): code
    for code, message in JException.error_codes.items()
    if "{{" not in message
}

# T0412 names the wanted item type as JSONata's signature checker does.
_ARRAY_OF = {"a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects", "s": "strings"}


def _raw_text(value: Any) -> str:
    if value is None:
        return "undefined"
    if value is NULL:
        return "null"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return js_number_text(value)
    return str(value)


def _stringify(value: Any) -> str:
    """JavaScript's ``JSON.stringify`` for the values an error carries."""
    if value is None:
        return "undefined"
    if value is NULL:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "null"
    if isinstance(value, (int, float)):
        return js_number_text(value)
    try:
        return compact_json(value)
    except ValueError:  # circular structure
        return str(value)
