"""Text the way JavaScript writes it, for JSONata's ``$string`` and ``&``.

AWS runs JSONata 2.0.6, a JavaScript library: ``$string(1e20)`` is
``100000000000000000000`` and ``$string(0.1 + 0.2)`` is ``0.3`` (numbers are
rounded to 15 significant digits first). jsonata-python writes ``1e+20`` and
drops nested numbers' rounding, so its ``Functions.string`` is replaced by
``jsonata_string`` (see ``functions.py``).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from jsonata.jexception import JException
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.utils import Utils


def js_number_text(value: int | float) -> str:
    """JavaScript's ``String(number)`` (ECMAScript Number::toString)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) < 10**21:
        return str(value)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len(digit_tuple) - len(digits)
    count = len(digits)
    point = exponent + count  # the value is 0.<digits> * 10**point
    if count <= point <= 21:
        return sign + digits + "0" * (point - count)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    power = point - 1
    mantissa = digits[0] + ("." + digits[1:] if count > 1 else "")
    return f"{sign}{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"


def _is_function(value: Any) -> bool:
    return isinstance(value, (Jsonata.JFunctionCallable, Parser.Symbol))


def _json_ready(value: Any) -> Any:
    """``value`` as ``JSON.stringify`` with JSONata's replacer sees it."""
    if value is Utils.NULL_VALUE or value is None:
        return None
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return _JSNumber(value)
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if _is_function(value):
        return ""
    return None


class _JSNumber(float):
    """A float that the encoder below writes as JavaScript would, 15 significant digits."""


class _Encoder(json.JSONEncoder):
    def iterencode(self, o: Any, _one_shot: bool = False):
        # The C encoder cannot be taught a number format; the Python one can via floatstr.
        return json.encoder._make_iterencode(  # type: ignore[attr-defined]
            {},
            self.default,
            _encode_string,
            self.indent,
            _number_text,
            self.key_separator,
            self.item_separator,
            self.sort_keys,
            self.skipkeys,
            _one_shot,
        )(o, 0)


def _encode_string(text: str) -> str:
    return json.encoder.encode_basestring(text)  # type: ignore[attr-defined]


def _number_text(value: float) -> str:
    if not math.isfinite(value):
        return "null"
    return js_number_text(float(f"{value:.15g}"))


def jsonata_string(arg: Any, prettify: Any = None) -> str | None:
    """JSONata 2.0.6's ``$string(arg, prettify)``."""
    if isinstance(arg, Utils.JList) and arg.outer_wrapper:
        arg = arg[0]
    if arg is None:
        return None
    if isinstance(arg, str):
        return arg
    if _is_function(arg):
        return ""
    if isinstance(arg, float) and not math.isfinite(arg):
        raise JException("D3001", -1, arg)
    ready = _json_ready(arg)
    if prettify:
        return json.dumps(ready, cls=_Encoder, indent=2, separators=(",", ": "), ensure_ascii=False)
    return json.dumps(ready, cls=_Encoder, separators=(",", ":"), ensure_ascii=False)
