"""Parsing of path texts: the root (``$``, ``$$``, ``$name``) and the steps after it.

Definite paths made only of member names and single indexes (``$.a.b``, ``$.a[0]``,
``$['x y']``, ``$.a[-1]``) are split here into a tuple of steps that the evaluator walks
with plain dict/list access. Anything else (wildcards, filters, slices, unions, recursive
descent) is left to jsonpath-ng, parsed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROOT_INPUT = "input"
ROOT_CONTEXT = "context"
ROOT_VARIABLE = "variable"

# A workflow variable name as it may follow a single ``$`` (``$myVar.field``).
_VARIABLE = re.compile(r"\$([^\W\d]\w*)")

# One step of a simple definite path. Dot names follow Jayway: anything up to the
# next ``.``, ``[``, ``(`` or blank; ``*`` alone is a wildcard (not simple).
_STEP = re.compile(
    r"""\.(?P<dot>(?:\\.|[^.\[\]()\s\\'"*])(?:\\.|[^.\[\]()\s\\])*)"""
    r"""|\[\s*(?P<index>-?\d+)\s*\]"""
    r"""|\[\s*'(?P<sq>(?:\\.|[^'\\])*)'\s*\]"""
    r"""|\[\s*"(?P<dq>(?:\\.|[^"\\])*)"\s*\]"""
)
_ESCAPE = re.compile(r"\\(.)")

# A trailing bracket with several quoted names (``$.a['x','y']``): Jayway merges the
# named properties into one object instead of selecting several nodes.
_QUOTED = r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\""
_PROPERTY_MERGE = re.compile(rf"\[\s*(?:{_QUOTED})(?:\s*,\s*(?:{_QUOTED}))+\s*\]$")
_QUOTED_NAME = re.compile(_QUOTED)

# Jayway writes regex filters as ``@.name =~ /pattern/flags`` and matches the whole
# value; jsonpath-ng wants a quoted pattern and searches anywhere in the value.
_REGEX_LITERAL = re.compile(r"=~\s*/((?:\\.|[^/\\])*)/([a-zA-Z]*)")
_REGEX_FLAGS = "imsx"  # the Java flags Python's re knows under the same letters

Step = str | int


@dataclass(frozen=True)
class PathSyntax:
    """A path split into its root and what follows it.

    ``steps`` is set for a simple definite path; otherwise ``rest`` is the remainder
    rewritten to start at ``$`` for jsonpath-ng.
    """

    root: str
    variable: str | None
    steps: tuple[Step, ...] | None
    rest: str
    merged_names: tuple[str, ...] | None = None


def split_root(path: str) -> tuple[str, str | None, str]:
    """Return (root kind, variable name, remainder starting after the root)."""
    if path.startswith("$$"):
        return ROOT_CONTEXT, None, path[2:]
    match = _VARIABLE.match(path)
    if match:
        return ROOT_VARIABLE, match.group(1), path[match.end():]
    if path.startswith("$"):
        return ROOT_INPUT, None, path[1:]
    raise ValueError("a path must start with '$'")


def parse_simple_steps(rest: str) -> tuple[Step, ...] | None:
    """Steps of ``rest`` when it is a chain of names and single indexes, else None."""
    steps: list[Step] = []
    position = 0
    while position < len(rest):
        match = _STEP.match(rest, position)
        if match is None:
            return None
        position = match.end()
        if match.group("index") is not None:
            steps.append(int(match.group("index")))
        else:
            dot = match.group("dot")
            if dot is not None:
                steps.append(_ESCAPE.sub(r"\1", dot))
            else:
                # AWS keeps quoted names verbatim: a backslash only stops the quote
                # from ending the name (recorded: test_escape_sequence_parsing).
                steps.append(match.group("sq") if match.group("sq") is not None else match.group("dq"))
    return tuple(steps)


def parse_path_syntax(path: str) -> PathSyntax:
    root, variable, rest = split_root(path.strip())  # Jayway ignores surrounding blanks
    jsonpath_ng_text = "$" + _translate_regex_literals(rest)
    merge = _PROPERTY_MERGE.search(rest)
    if merge:
        steps = parse_simple_steps(rest[: merge.start()])
        if steps is not None:
            names = tuple(quoted[1:-1] for quoted in _QUOTED_NAME.findall(merge.group()))
            return PathSyntax(root, variable, steps, jsonpath_ng_text, names)
    return PathSyntax(root, variable, parse_simple_steps(rest), jsonpath_ng_text)


def _translate_regex_literals(rest: str) -> str:
    """Rewrite Jayway ``=~ /re/flags`` filters into jsonpath-ng's ``=~ 're'`` form."""

    def quoted_pattern(match: re.Match[str]) -> str:
        flags = "".join(sorted({flag for flag in match.group(2).lower() if flag in _REGEX_FLAGS}))
        pattern = match.group(1).replace("\\/", "/")
        anchored = (f"(?{flags})" if flags else "") + rf"\A(?:{pattern})\Z"
        return "=~ '" + anchored.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return _REGEX_LITERAL.sub(quoted_pattern, rest)


def jayway_notation(steps: tuple[Step, ...]) -> str:
    """The normalised form Jayway prints in its messages: ``$['a'][0]``."""
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f"['{step}']" for step in steps)
