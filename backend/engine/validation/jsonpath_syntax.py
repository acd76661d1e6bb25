"""Our own JSONPath syntax check, used when the engine's path compiler is unavailable.

It follows the States Language's Jayway-style syntax closely enough to name the broken
character, and it classifies the path (input, Context Object, variable; reference path
or not) for the rules that depend on it (ResultPath must not use ``$$`` ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VARIABLE_ROOT = re.compile(r"\$([^\W\d]\w*)", re.UNICODE)
_INDEX = re.compile(r"-?\d+")
_SLICE = re.compile(r"(-?\d+)?:(-?\d+)?(:(-?\d+)?)?")
_UNION_MEMBER = r"(-?\d+|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_UNION = re.compile(_UNION_MEMBER + r"(\s*,\s*" + _UNION_MEMBER + ")*")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


@dataclass(frozen=True, slots=True)
class PathShape:
    root: str  # "input", "context" or "variable"
    variable: str | None
    is_reference: bool  # selects at most one node: no wildcard, filter, slice, union, deep scan


class PathSyntaxError(ValueError):
    pass


def parse_path_shape(text: str) -> PathShape:
    """Classify ``text``; raise PathSyntaxError with a readable reason when malformed."""
    if not text.startswith("$"):
        raise PathSyntaxError("a path must start with '$'")
    variable = None
    if text.startswith("$$"):
        root, rest = "context", text[2:]
    else:
        match = _VARIABLE_ROOT.match(text)
        if match:
            root, variable, rest = "variable", match.group(1), text[match.end():]
        else:
            root, rest = "input", text[1:]
    is_reference = _check_segments(rest)
    return PathShape(root, variable, is_reference)


def _check_segments(rest: str) -> bool:
    """Walk the segments after the root; return whether the path is a reference path."""
    reference = True
    i, n = 0, len(rest)
    while i < n:
        ch = rest[i]
        if ch == ".":
            if rest.startswith("..", i):
                reference = False
                i += 2
            else:
                i += 1
            if i < n and rest[i] == "*":
                reference = False
                i += 1
                continue
            start = i
            while i < n and rest[i] not in ".[":
                if rest[i] == "\\":
                    i += 1  # the escaped character is part of the name
                i += 1
            if i == start:
                raise PathSyntaxError(f"a member name is missing after '.' at position {start}")
        elif ch == "[":
            end = _closing_bracket(rest, i)
            inner = rest[i + 1 : end].strip()
            reference = _check_bracket(inner, i) and reference
            i = end + 1
        else:
            raise PathSyntaxError(f"unexpected character {ch!r} at position {i + 1}; expected '.' or '['")
    return reference


def _closing_bracket(rest: str, start: int) -> int:
    depth, i, quote = 0, start, None
    while i < len(rest):
        ch = rest[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
            if depth == 0:
                if ch != "]":
                    raise PathSyntaxError(f"unbalanced ')' at position {i + 1}")
                return i
        i += 1
    raise PathSyntaxError(f"the '[' at position {start + 1} is never closed")


def _check_bracket(inner: str, position: int) -> bool:
    if inner == "*":
        return False
    if _INDEX.fullmatch(inner) or _QUOTED.fullmatch(inner):
        return True
    if inner.startswith("?(") and inner.endswith(")"):
        return False
    if _SLICE.fullmatch(inner) or _UNION.fullmatch(inner):
        return False
    raise PathSyntaxError(
        f"'[{inner}]' at position {position + 1} is not an index, a quoted name, a slice, a union or a filter"
    )
