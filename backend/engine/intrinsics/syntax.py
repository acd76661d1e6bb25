"""Parsing of intrinsic function calls into a small syntax tree.

Grammar (whitespace allowed between tokens)::

    call      := "States." NAME "(" [ argument { "," argument } ] ")"
    argument  := call | string | number | "null" | "true" | "false" | path
    string    := "'" { char | "\\" any-char } "'"
    path      := "$" ...   (a JSONPath: ``$.a``, ``$$.Execution.Id``, ``$var[0]``)

A path runs up to the next ``,`` or ``)`` (or blank) that is not inside brackets,
parentheses or a quoted member name, so ``$.a[?(@.b == 'x, y')]`` is one argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NoReturn, Union

FUNCTION_PREFIX = "States."
MAX_NESTING_DEPTH = 10

_NAME = re.compile(r"[A-Za-z0-9_.]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?P<fraction>\.[0-9]+)?(?P<exponent>[eE][+-]?[0-9]+)?")
_KEYWORDS = {"null": None, "true": True, "false": False}
_KEYWORD = re.compile(r"[a-z]+")


class IntrinsicSyntaxError(ValueError):
    """The text is not a well-formed intrinsic function call."""


@dataclass(frozen=True)
class Literal:
    """A constant argument. ``raw`` is the text between the quotes of a string literal
    (escapes kept), needed by ``States.Format`` to tell ``\\{}`` from a placeholder."""

    value: Any
    raw: str | None = None


@dataclass(frozen=True)
class PathArgument:
    text: str


@dataclass(frozen=True)
class Call:
    name: str
    arguments: tuple[Node, ...]


Node = Union[Call, Literal, PathArgument]


def parse_intrinsic(text: str) -> Call:
    """Parse a whole field value; it must be exactly one call."""
    parser = _Parser(text)
    parser.skip_blanks()
    call = parser.call(depth=1)
    parser.skip_blanks()
    if parser.position != len(text):
        parser.fail("unexpected text after the end of the function call")
    return call


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.position = 0

    def fail(self, reason: str) -> NoReturn:
        raise IntrinsicSyntaxError(f"{reason} (at character {self.position + 1})")

    def skip_blanks(self) -> None:
        text, position = self.text, self.position
        while position < len(text) and text[position].isspace():
            position += 1
        self.position = position

    def peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def call(self, depth: int) -> Call:
        if depth > MAX_NESTING_DEPTH:
            self.fail(f"intrinsic functions may be nested at most {MAX_NESTING_DEPTH} deep")
        if not self.text.startswith(FUNCTION_PREFIX, self.position):
            self.fail("expected an intrinsic function call 'States.<Name>(...)'")
        match = _NAME.match(self.text, self.position + len(FUNCTION_PREFIX))
        if match is None:
            self.position += len(FUNCTION_PREFIX)
            self.fail("expected a function name after 'States.'")
        name = self.text[self.position : match.end()]
        self.position = match.end()
        self.skip_blanks()
        if self.peek() != "(":
            self.fail(f"expected '(' after {name}")
        self.position += 1
        self.skip_blanks()
        arguments: list[Node] = []
        if self.peek() == ")":
            self.position += 1
            return Call(name, ())
        while True:
            arguments.append(self.argument(depth))
            self.skip_blanks()
            char = self.peek()
            self.position += 1
            if char == ")":
                return Call(name, tuple(arguments))
            if char != ",":
                self.position -= 1
                if not char:
                    self.fail("the function call is not closed with ')'")
                self.fail(f"expected ',' or ')' in the arguments of {name}")
            self.skip_blanks()

    def argument(self, depth: int) -> Node:
        char = self.peek()
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if char == "-" or char.isdigit():
            return self.number()
        if self.text.startswith(FUNCTION_PREFIX, self.position):
            return self.call(depth + 1)
        keyword = _KEYWORD.match(self.text, self.position)
        if keyword is not None and keyword.group() in _KEYWORDS:
            self.position = keyword.end()
            return Literal(_KEYWORDS[keyword.group()])
        if not char:
            self.fail("the function call is not closed with ')'")
        self.fail(
            f"unexpected character {char!r}: an argument must be a string in single quotes, "
            "a number, null, true, false, a path or a function call"
        )

    def string(self) -> Literal:
        text = self.text
        start = self.position + 1
        value: list[str] = []
        position = start
        while position < len(text):
            char = text[position]
            if char == "\\":
                if position + 1 == len(text):
                    break
                value.append(text[position + 1])
                position += 2
            elif char == "'":
                self.position = position + 1
                return Literal("".join(value), raw=text[start:position])
            else:
                value.append(char)
                position += 1
        self.position = start - 1
        self.fail("the string literal is not closed with a single quote")

    def number(self) -> Literal:
        match = _NUMBER.match(self.text, self.position)
        if match is None:
            self.fail("invalid number")
        self.position = match.end()
        if match.group("fraction") or match.group("exponent"):
            return Literal(float(match.group()))
        return Literal(int(match.group()))

    def path(self) -> PathArgument:
        text = self.text
        start = position = self.position
        depth = 0  # open brackets and parentheses
        quote = ""
        while position < len(text):
            char = text[position]
            if quote:
                if char == "\\":
                    position += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and depth:
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if not depth:
                    break  # the ')' closing the call
                depth -= 1
            elif depth == 0 and (char == "," or char.isspace()):
                break
            position += 1
        if quote or depth:
            self.fail("the path argument is not closed (unbalanced brackets or quotes)")
        self.position = position
        return PathArgument(text[start:position])
