"""What the state checks share during one validation: the collector, the machine's
query language, the workflow type, the registries that must be unique machine-wide,
and the ``Assign`` check (used by states, Choice rules and catchers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.engine.errors import pointer_join
from backend.engine.validation.codes import Code
from backend.engine.validation.diagnostics import Collector
from backend.engine.validation.expressions import check_jsonata_value, check_payload_template
from backend.engine.validation.fields import JSONATA, MAX_VARIABLE_NAME_LENGTH
from backend.engine.validation.loader import json_type_name


@dataclass
class Context:
    out: Collector
    machine_language: str
    workflow_type: str
    strict: bool
    state_names: dict[str, str] = field(default_factory=dict)  # name -> pointer of first definition
    labels: dict[str, str] = field(default_factory=dict)  # Map Label -> pointer
    states_objects: set[int] = field(default_factory=set)  # ids of every `States` object seen
    everywhere: dict[str, str] = field(default_factory=dict)  # every state name -> pointer, nested too

    def check_assign(self, assign: Any, pointer: str, language: str, states_fields: frozenset[str]) -> None:
        """``Assign``: an object of variable names (VAR-01/02/03) to values or expressions."""
        out = self.out
        if not isinstance(assign, dict):
            out.error(
                Code.WRONG_FIELD_TYPE,
                pointer,
                f"'Assign' must be an object of variable names to values, got {json_type_name(assign)}.",
            )
            return
        for key in assign:
            name = key[:-2] if language != JSONATA and key.endswith(".$") else key
            problem = variable_name_problem(name)
            if problem:
                out.error(Code.INVALID_VARIABLE_NAME, pointer_join(pointer, key), problem)
        if language == JSONATA:
            check_jsonata_value(assign, pointer, out, states_fields=states_fields)
        else:
            check_payload_template(assign, pointer, out)


def assigned_names(assign: Any, language: str) -> list[str]:
    """The variable names an ``Assign`` object sets."""
    if not isinstance(assign, dict):
        return []
    return [k[:-2] if language != JSONATA and k.endswith(".$") else k for k in assign if isinstance(k, str)]


def variable_name_problem(name: str) -> str | None:
    if not name:
        return "A variable name must not be empty."
    if len(name) > MAX_VARIABLE_NAME_LENGTH:
        return f"Variable name '{name[:20]}...' is longer than {MAX_VARIABLE_NAME_LENGTH} characters."
    if name == "states":
        return "'states' is reserved (it is $states in JSONata) and cannot be a variable name."
    if "." in name or "[" in name:
        return (
            f"'{name}' is not a valid variable name: a variable is assigned as a whole "
            "(no '.field' or '[index]' sub-paths)."
        )
    if not name.isidentifier():
        return (
            f"'{name}' is not a valid variable name: it must start with a letter or '_' "
            "and contain only letters, digits and '_'."
        )
    return None
