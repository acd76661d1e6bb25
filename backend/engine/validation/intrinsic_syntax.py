"""Our own intrinsic-function syntax check, used when the engine's parser is unavailable.

Checks what is visible without data: the call shape, known function names, argument
counts, literal syntax and the nesting limit of 10 calls (AWS).
"""

from __future__ import annotations

import re

from backend.engine.validation.jsonpath_syntax import PathSyntaxError, parse_path_shape

MAX_NESTING = 10

# name -> (minimum arguments, maximum arguments or None for "any number")
FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "States.Format": (1, None),
    "States.StringToJson": (1, 1),
    "States.JsonToString": (1, 1),
    "States.Array": (0, None),
    "States.ArrayPartition": (2, 2),
    "States.ArrayContains": (2, 2),
    "States.ArrayRange": (3, 3),
    "States.ArrayGetItem": (2, 2),
    "States.ArrayLength": (1, 1),
    "States.ArrayUnique": (1, 1),
    "States.Base64Encode": (1, 1),
    "States.Base64Decode": (1, 1),
    "States.Hash": (2, 2),
    "States.JsonMerge": (3, 3),
    "States.MathRandom": (2, 3),
    "States.MathAdd": (2, 2),
    "States.StringSplit": (2, 2),
    "States.UUID": (0, 0),
}

_CALL_START = re.compile(r"\s*([A-Za-z0-9._]+)\s*\(")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_KEYWORD = re.compile(r"(true|false|null)(?![A-Za-z0-9._(])")
_LOOKS_LIKE_CALL = re.compile(r"^\s*[A-Za-z][A-Za-z0-9._]*\s*\(")


class IntrinsicSyntaxError(ValueError):
    pass


def looks_like_intrinsic(text: str) -> bool:
    """True for text that starts like a function call (``States.Format(``, ``Foo(``) or
    with ``States.``: such text is checked (and reported) as an intrinsic call."""
    return text.startswith("States.") or bool(_LOOKS_LIKE_CALL.match(text))


def check_intrinsic_syntax(text: str) -> None:
    """Raise IntrinsicSyntaxError with a readable reason when ``text`` is not a valid call."""
    parser = _Parser(text)
    parser.call(depth=1)
    parser.skip_spaces()
    if parser.pos != len(text):
        raise IntrinsicSyntaxError(f"unexpected text after the call at position {parser.pos + 1}")


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def call(self, depth: int) -> None:
        if depth > MAX_NESTING:
            raise IntrinsicSyntaxError(f"intrinsic functions may be nested at most {MAX_NESTING} deep")
        match = _CALL_START.match(self.text, self.pos)
        if not match:
            raise IntrinsicSyntaxError(f"expected a function call like States.Format(...) at position {self.pos + 1}")
        name = match.group(1)
        if name not in FUNCTION_ARITY:
            raise IntrinsicSyntaxError(f"unknown intrinsic function '{name}'")
        self.pos = match.end()
        count = self.arguments(depth)
        low, high = FUNCTION_ARITY[name]
        if count < low or (high is not None and count > high):
            expected = f"{low}" if low == high else (f"at least {low}" if high is None else f"{low} to {high}")
            raise IntrinsicSyntaxError(f"{name} takes {expected} argument(s), got {count}")

    def arguments(self, depth: int) -> int:
        self.skip_spaces()
        if self._peek() == ")":
            self.pos += 1
            return 0
        count = 0
        while True:
            self.argument(depth)
            count += 1
            self.skip_spaces()
            ch = self._peek()
            if ch == ",":
                self.pos += 1
                continue
            if ch == ")":
                self.pos += 1
                return count
            where = "the end of the text" if ch == "" else f"{ch!r} at position {self.pos + 1}"
            raise IntrinsicSyntaxError(f"expected ',' or ')' but found {where}")

    def argument(self, depth: int) -> None:
        self.skip_spaces()
        ch = self._peek()
        if ch == "'":
            self._string()
        elif ch == "$":
            self._path()
        elif ch and (ch.isdigit() or ch == "-"):
            match = _NUMBER.match(self.text, self.pos)
            if not match:
                raise IntrinsicSyntaxError(f"malformed number at position {self.pos + 1}")
            self.pos = match.end()
        elif _KEYWORD.match(self.text, self.pos):
            self.pos = _KEYWORD.match(self.text, self.pos).end()
        elif ch:
            self.call(depth + 1)
        else:
            raise IntrinsicSyntaxError("the argument list is not closed with ')'")

    def _string(self) -> None:
        start = self.pos
        self.pos += 1
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            if ch == "'":
                self.pos += 1
                return
            self.pos += 1
        raise IntrinsicSyntaxError(f"the string starting at position {start + 1} is not closed with a quote")

    def _path(self) -> None:
        start, depth, quote = self.pos, 0, None
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if quote:
                if ch == "\\":
                    self.pos += 1
                elif ch == quote:
                    quote = None
            elif ch in "'\"" and depth > 0:
                quote = ch
            elif ch in "[(":
                depth += 1
            elif ch in "])" and depth > 0:
                depth -= 1
            elif depth == 0 and (ch in ",)" or ch.isspace()):
                break
            self.pos += 1
        try:
            parse_path_shape(self.text[start:self.pos])
        except PathSyntaxError as exc:
            raise IntrinsicSyntaxError(f"argument '{self.text[start:self.pos]}' is not a valid path: {exc}") from None

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""
