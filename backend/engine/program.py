"""A compiled definition: blocks of states (top level, each branch, each processor).

``Block`` is one ``StartAt`` + ``States`` object. ``run_sync`` walks a block
that can never block with plain calls; ``run_gen`` walks any block as a
generator for the scheduler, paying for generators only inside states that
may block.
"""

from __future__ import annotations

from typing import Any, Generator

from .definition import SCHEMA, CompileContext, Node
from .errors import DefinitionError, StatesError


class Block:
    __slots__ = ("start", "states", "may_block", "pointer")

    def __init__(self, node: Node, context: CompileContext):
        from .states import STATE_CLASSES

        self.pointer = node.pointer
        start_name = node.string("StartAt", required=True)
        states_node = node.child("States") if "States" in node else None
        if states_node is None:
            raise node.error(None, "These fields are required: [States]")
        self.states: dict[str, Any] = {}
        for name, body in states_node.data.items():
            state_node = Node(body, states_node.at(name))
            type_name = state_node.string("Type", required=True)
            cls = STATE_CLASSES.get(type_name)
            if cls is None:
                raise state_node.error("Type", f"Unknown state type: {type_name}")
            if len(name) > 80:
                raise DefinitionError(state_node.pointer, "INVALID_STATE_NAME", f"State name too long: {name}")
            names = context.state_names
            if names is not None:
                if name in names:
                    raise DefinitionError(state_node.pointer, "DUPLICATE_STATE_NAME", f"Duplicate state name: {name}")
                names.add(name)
            self.states[name] = cls(name, state_node, context)
        if start_name not in self.states:
            raise DefinitionError(node.at("StartAt"), "MISSING_TRANSITION_TARGET",
                                  f"StartAt '{start_name}' does not name a state")
        for state in self.states.values():
            state.link(self.states)
        self.start = self.states[start_name]
        self.may_block = any(state.may_block for state in self.states.values())


def run_sync(block: Block, frame: Any, value: Any) -> Any:
    """Run a non-blocking block to its end; returns the output of its last state."""
    state = block.start
    enter = frame.enter
    while True:
        enter(state.name, state.entered_event, value)
        try:
            value, state = state.execute(frame, value)
        except StatesError as error:
            raise frame.locate(error) from None
        if state is None:
            return value


def run_gen(block: Block, frame: Any, value: Any) -> Generator[Any, Any, Any]:
    """Run any block; yields scheduler requests where a state blocks."""
    state = block.start
    enter = frame.enter
    while True:
        enter(state.name, state.entered_event, value)
        try:
            if state.may_block:
                value, state = yield from state.execute_gen(frame, value)
            else:
                value, state = state.execute(frame, value)
        except StatesError as error:
            raise frame.locate(error) from None
        if state is None:
            return value


class Program:
    """A whole compiled state machine."""

    __slots__ = ("block", "timeout_seconds", "query_language", "definition", "workflow_type", "name")

    def __init__(self, definition: dict, *, workflow_type: str = "STANDARD", name: str = "StateMachine"):
        node = Node(definition, "")
        context = CompileContext(workflow_type=workflow_type, state_names=set())
        language = node.string("QueryLanguage") or "JSONPath"
        if language not in ("JSONPath", "JSONata"):
            raise node.error("QueryLanguage", f"'QueryLanguage' must be JSONPath or JSONata, not {language!r}")
        context.query_language = language
        self.query_language = language
        self.timeout_seconds = node.integer("TimeoutSeconds", minimum=1)
        self.block = Block(node, context)
        self.definition = definition
        self.workflow_type = workflow_type
        self.name = name


def compile_definition(definition: str | dict, *, workflow_type: str = "STANDARD",
                       name: str = "StateMachine") -> Program:
    """Compile once; raises ``DefinitionError`` (never anything else) on a bad definition."""
    import json

    if isinstance(definition, str):
        if not definition.strip():
            raise DefinitionError("/", SCHEMA, "Definition must be a valid JSON object")
        try:
            definition = json.loads(definition)
        except ValueError as exc:
            raise DefinitionError("/", "INVALID_JSON_DESCRIPTION", str(exc)) from None
    if not isinstance(definition, dict):
        raise DefinitionError("/", SCHEMA, "Definition must be a valid JSON object")
    try:
        return Program(definition, workflow_type=workflow_type, name=name)
    except DefinitionError:
        raise
    except RecursionError:
        raise DefinitionError("/", "TOO_DEEPLY_NESTED", "The definition is nested too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # A shape we did not anticipate: still a diagnostic, never a traceback.
        raise DefinitionError("/", SCHEMA, f"Invalid definition: {exc}") from None
