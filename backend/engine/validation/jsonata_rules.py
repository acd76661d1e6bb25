"""What the States Language allows inside a JSONata expression.

Syntax comes from the same JSONata library the engine evaluates with. On top of it:
JSA-05 (no ``$``, ``$$`` or bare field names at the top level; the input is
``$states.input``) and JSA-04 (``$states.result`` / ``$states.errorOutput`` only where
they exist).
"""

from __future__ import annotations

from typing import Any, Iterator

STATES_MEMBERS = frozenset({"input", "context", "result", "errorOutput"})

# Attributes of a parsed JSONata node that hold sub-expressions evaluated at the same
# (top) level as the node itself. Steps after the first one of a path, predicates and
# function bodies have their own context and may use `$` and names freely.
_SAME_LEVEL = ("lhs", "rhs", "expression", "expressions", "arguments", "condition", "then", "_else")


def jsonata_problems(expression: str, states_fields: frozenset[str]) -> list[str]:
    """Readable problems of one expression (the text between ``{%`` and ``%}``)."""
    try:
        from jsonata import Jsonata  # the engine's JSONata implementation
    except ImportError:
        return []
    if not expression.strip():
        return ["the expression is empty"]
    try:
        ast = Jsonata(expression).ast
    except RecursionError:
        return ["the expression is nested too deeply"]
    except Exception as exc:  # the library raises JException (a RuntimeError) with a position
        return [_syntax_message(exc)]
    problems: list[str] = []
    for node in _top_level_nodes(ast, depth=0):
        problem = _top_level_problem(node, states_fields)
        if problem and problem not in problems:
            problems.append(problem)
    return problems


def _syntax_message(exc: Exception) -> str:
    location = getattr(exc, "location", None)
    where = f" at position {location}" if isinstance(location, int) and location >= 0 else ""
    return f"{exc}{where}"


def _top_level_nodes(node: Any, depth: int) -> Iterator[Any]:
    if node is None or depth > 200:
        return
    if isinstance(node, list):
        for item in node:
            yield from _top_level_nodes(item, depth + 1)
        return
    if not hasattr(node, "type"):
        return
    yield node
    if node.type == "path":
        steps = getattr(node, "steps", None) or []
        if steps:
            yield from _top_level_nodes(steps[0], depth + 1)
        return
    if node.type == "lambda":
        return
    for attribute in _SAME_LEVEL:
        yield from _top_level_nodes(getattr(node, attribute, None), depth + 1)


def _top_level_problem(node: Any, states_fields: frozenset[str]) -> str | None:
    if node.type == "variable":
        if node.value == "":
            return "'$' cannot be used at the top level of an expression; use $states.input"
        if node.value == "$":
            return "'$$' cannot be used in an expression; use $states.context"
        return None
    if node.type == "name":
        return (
            f"the field name '{node.value}' cannot be used at the top level of an expression; "
            f"use $states.input.{node.value}"
        )
    if node.type == "path":
        steps = getattr(node, "steps", None) or []
        if (
            len(steps) >= 2
            and steps[0].type == "variable"
            and steps[0].value == "states"
            and steps[1].type == "name"
            and steps[1].value in STATES_MEMBERS
            and steps[1].value not in states_fields
        ):
            return f"$states.{steps[1].value} is not available in this field"
    return None
