"""The definition as a whole: top-level fields, every ``States`` object (the machine's,
each Parallel branch's, each Map processor's), the transition graph inside each, and
the rules that span the whole machine (unique state names, variable scopes)."""

from __future__ import annotations

from typing import Any

from backend.engine.errors import pointer_join
from backend.engine.validation.codes import Code
from backend.engine.validation.context import Context
from backend.engine.validation.diagnostics import Collector
from backend.engine.validation.fields import (
    BRANCH_FIELDS,
    EXPRESS_MAX_SECONDS,
    JSONPATH,
    MACHINE_FIELDS,
    MAX_NESTING_DEPTH,
    MAX_STATE_NAME_LENGTH,
    MAX_TIMEOUT_SECONDS,
    PROCESSOR_FIELDS,
    QUERY_LANGUAGES,
)
from backend.engine.validation.loader import ROOT, duplicate_keys, json_type_name
from backend.engine.validation.states import StateSummary, check_state, name_problem
from backend.engine.validation.values import did_you_mean, expect_enum, expect_int, expect_string, unknown_fields


def check_machine(definition: dict, ctx: Context) -> None:
    out = ctx.out
    unknown_fields(definition, MACHINE_FIELDS, "", out, "a state machine definition")
    if "Comment" in definition:
        expect_string(definition["Comment"], "/Comment", out)
    if "Version" in definition:
        expect_string(definition["Version"], "/Version", out)
    if "TimeoutSeconds" in definition:
        timeout = definition["TimeoutSeconds"]
        valid = expect_int(timeout, "/TimeoutSeconds", out, minimum=1, maximum=MAX_TIMEOUT_SECONDS - 1)
        if valid and ctx.workflow_type == "EXPRESS" and timeout > EXPRESS_MAX_SECONDS:
            out.warning(
                Code.INVALID_FIELD_VALUE,
                "/TimeoutSeconds",
                f"An Express execution stops after {EXPRESS_MAX_SECONDS} seconds whatever 'TimeoutSeconds' says "
                f"({timeout}).",
            )
    ctx.everywhere = _state_locations(definition, "", depth=0)
    _check_states_container(definition, ROOT, "", ctx, depth=0, outer_variables={})


def _state_locations(container: Any, base: str, depth: int) -> dict[str, str]:
    """Every state name in the machine (nested ones too) -> pointer of its first occurrence,
    so that a transition into another 'States' object can be explained as such."""
    found: dict[str, str] = {}
    states = container.get("States") if isinstance(container, dict) else None
    if not isinstance(states, dict) or depth > MAX_NESTING_DEPTH:
        return found
    for name, state in states.items():
        pointer = pointer_join(base, "States", name)
        found.setdefault(name, pointer)
        if not isinstance(state, dict):
            continue
        branches = state.get("Branches")
        nested = []
        if isinstance(branches, list):
            nested = [(branch, pointer_join(pointer, "Branches", i)) for i, branch in enumerate(branches)]
        nested += [(state[k], pointer_join(pointer, k)) for k in ("ItemProcessor", "Iterator") if k in state]
        for inner, inner_pointer in nested:
            for inner_name, inner_location in _state_locations(inner, inner_pointer, depth + 1).items():
                found.setdefault(inner_name, inner_location)
    return found


def machine_language(definition: dict, out: Collector) -> str:
    """The machine's query language (the default of every state, nested ones too: ST-05)."""
    value = definition.get("QueryLanguage", JSONPATH)
    if "QueryLanguage" in definition and not expect_enum(value, QUERY_LANGUAGES, "/QueryLanguage", out):
        return JSONPATH
    return value


def _check_states_container(
    container: dict,
    location: str,
    base: str,
    ctx: Context,
    depth: int,
    outer_variables: dict[str, str],
) -> None:
    """One ``{StartAt, States}`` object. ``location`` names it in messages ("/" for the
    root), ``base`` is the pointer prefix of its members ("" for the root)."""
    out = ctx.out
    if depth > 0:
        allowed = PROCESSOR_FIELDS if base.endswith(("/ItemProcessor", "/Iterator")) else BRANCH_FIELDS
        what = "a Map processor" if allowed is PROCESSOR_FIELDS else "a Parallel branch"
        unknown_fields(container, allowed, base, out, what)
        if "Comment" in container:
            expect_string(container["Comment"], pointer_join(base, "Comment"), out)
    if depth > MAX_NESTING_DEPTH:
        out.error(
            Code.TOO_DEEPLY_NESTED,
            location,
            f"Parallel and Map states are nested more than {MAX_NESTING_DEPTH} levels deep.",
        )
        return
    missing = [name for name in ("States", "StartAt") if name not in container]
    if missing:
        out.error(Code.SCHEMA_VALIDATION_FAILED, location, f"These fields are required: [{', '.join(missing)}]")
    states = container.get("States")
    states_pointer = pointer_join(base, "States")
    if "States" in container and not isinstance(states, dict):
        out.error(
            Code.WRONG_FIELD_TYPE,
            states_pointer,
            f"'States' must be an object mapping state names to states, got {json_type_name(states)}.",
        )
    if not isinstance(states, dict):
        states = {}
    elif not states:
        out.error(Code.SCHEMA_VALIDATION_FAILED, states_pointer, "'States' must contain at least one state.")

    ctx.states_objects.add(id(states))
    summaries = _check_each_state(states, states_pointer, ctx)
    _check_variable_scope(summaries, states_pointer, outer_variables, ctx)
    start_at = container.get("StartAt")
    if "StartAt" in container:
        _check_start_at(start_at, pointer_join(base, "StartAt"), states, ctx)
    _check_transitions(summaries, states, ctx, nested=depth > 0)
    if states and not any(s.terminal for s in summaries.values()):
        out.error(
            Code.MISSING_END_STATE,
            location,
            "No terminal state: at least one state must have 'End': true or be a Succeed or Fail state.",
        )
    if isinstance(start_at, str) and start_at in states:
        _check_reachability(start_at, summaries, states_pointer, ctx)

    scope_variables = dict(outer_variables)
    for name, summary in summaries.items():
        for variable in summary.assigned:
            scope_variables.setdefault(variable, pointer_join(states_pointer, name))
    for summary in summaries.values():
        for nested, nested_pointer in summary.nested:
            _check_states_container(nested, nested_pointer, nested_pointer, ctx, depth + 1, scope_variables)


def _check_each_state(states: dict, states_pointer: str, ctx: Context) -> dict[str, StateSummary]:
    out = ctx.out
    for name in duplicate_keys(states):
        out.error(
            Code.DUPLICATE_STATE_NAME,
            pointer_join(states_pointer, name),
            f"State name '{name}' appears more than once in this 'States' object.",
        )
    summaries: dict[str, StateSummary] = {}
    for name, state in states.items():
        pointer = pointer_join(states_pointer, name)
        problem = name_problem(name, MAX_STATE_NAME_LENGTH)
        if problem:
            out.error(Code.INVALID_STATE_NAME, pointer, f"Invalid state name '{name[:100]}': {problem}.")
        first = ctx.state_names.get(name)
        if first is not None and first != pointer:
            out.error(
                Code.DUPLICATE_STATE_NAME,
                pointer,
                f"State name '{name}' is already used at {first}; state names must be unique across the whole "
                "state machine, including Parallel branches and Map processors.",
            )
        else:
            ctx.state_names[name] = pointer
        summaries[name] = check_state(state, pointer, ctx)
    return summaries


def _check_start_at(start_at: Any, pointer: str, states: dict, ctx: Context) -> None:
    if not isinstance(start_at, str):
        ctx.out.error(
            Code.WRONG_FIELD_TYPE, pointer, f"'StartAt' must be the name of a state, got {json_type_name(start_at)}."
        )
    elif start_at not in states:
        ctx.out.error(
            Code.MISSING_TRANSITION_TARGET,
            pointer,
            f"'StartAt' names the state '{start_at}', which is not in this 'States' object."
            f"{did_you_mean(start_at, states)}",
        )


def _check_transitions(summaries: dict[str, StateSummary], states: dict, ctx: Context, nested: bool) -> None:
    scope_note = " (transitions cannot leave or enter a Parallel branch or Map processor)" if nested else ""
    for summary in summaries.values():
        for target, pointer in summary.edges:
            if target not in states:
                field = pointer.rsplit("/", 1)[-1]
                elsewhere = ctx.everywhere.get(target)
                if elsewhere is not None:
                    ctx.out.error(
                        Code.MISSING_TRANSITION_TARGET,
                        pointer,
                        f"Missing '{field}' target: '{target}' is a state of another 'States' object ({elsewhere}); "
                        f"'{field}' can only name a state of its own 'States' object (transitions cannot enter or "
                        "leave a Parallel branch or Map processor).",
                    )
                    continue
                ctx.out.error(
                    Code.MISSING_TRANSITION_TARGET,
                    pointer,
                    f"Missing '{field}' target: there is no state named '{target}' in this 'States' object"
                    f"{scope_note}.{did_you_mean(target, states)}",
                )


def _check_reachability(start_at: str, summaries: dict[str, StateSummary], states_pointer: str, ctx: Context) -> None:
    reached = {start_at}
    pending = [start_at]
    while pending:
        summary = summaries.get(pending.pop())
        for target, _ in summary.edges if summary else ():
            if target in summaries and target not in reached:
                reached.add(target)
                pending.append(target)
    for name in summaries:
        if name not in reached:
            message = f"State '{name}' is not reachable: no StartAt, Next, Default or Catch leads to it."
            location = pointer_join(states_pointer, name)
            if ctx.strict:
                ctx.out.error(Code.UNREACHABLE_STATE, location, message)
            else:
                ctx.out.warning(Code.UNREACHABLE_STATE, location, message)


def _check_variable_scope(
    summaries: dict[str, StateSummary], states_pointer: str, outer: dict[str, str], ctx: Context
) -> None:
    """An inner scope should not assign a variable an outer scope assigns (VAR-07).

    A warning, not an error: AWS accepted a recorded definition whose Parallel branch
    assigns a name the Parallel's own catcher assigns too.
    """
    if not outer:
        return
    for name, summary in summaries.items():
        for variable in dict.fromkeys(summary.assigned):
            if variable in outer:
                ctx.out.warning(
                    Code.VARIABLE_SHADOWS_OUTER_SCOPE,
                    pointer_join(states_pointer, name),
                    f"Variable '{variable}' is already assigned in an outer scope (at {outer[variable]}); "
                    "assigning it inside a Parallel branch or Map iteration does not change the outer value. "
                    "Use another name.",
                )


def report_duplicate_fields(value: Any, pointer: str, ctx: Context, depth: int = 0) -> None:
    """Duplicate keys anywhere except in ``States`` objects (reported as DUPLICATE_STATE_NAME)."""
    if depth > 200:
        return
    if isinstance(value, dict):
        if id(value) not in ctx.states_objects:
            for key in duplicate_keys(value):
                ctx.out.error(
                    Code.DUPLICATE_FIELD,
                    pointer_join(pointer, key),
                    f"Field '{key}' appears more than once in the same object; only the last value would be used.",
                )
        for key, item in value.items():
            report_duplicate_fields(item, pointer_join(pointer, key), ctx, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            report_duplicate_fields(item, pointer_join(pointer, index), ctx, depth + 1)
