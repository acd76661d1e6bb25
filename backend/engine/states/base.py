"""What every state has: name, type, transition, query language, entered/exited events.

Two ways to run a state, chosen once at compile time:

* ``execute(frame, raw) -> (output, next_state)`` for states that never block
  (Pass, Choice, Succeed, Fail, and Map/Parallel whose insides never block):
  a plain call, no generator, no scheduler.
* ``execute_gen(frame, raw)`` for states that may block (Task, Wait, and
  anything with a Retry back-off or a blocking inside): a generator that yields
  scheduler requests (``Invoke``, ``Sleep``, ``AwaitChild``) at its blocking
  points only and returns ``(output, next_state)``.

``next_state`` is the State object to run next, or None when the block ends.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generator

from ..definition import JSONATA, JSONPATH, CompileContext, Node
from ..errors import DefinitionError


def drive(gen: Generator) -> Any:
    """Run a generator that is known not to block to its return value."""
    try:
        request = gen.send(None)
    except StopIteration as stop:
        return stop.value
    gen.close()
    raise RuntimeError(f"a state compiled as non-blocking asked to block: {request!r}")


class State:
    type_name: ClassVar[str] = ""
    may_block: bool = False

    def __init__(self, name: str, node: Node, context: CompileContext):
        self.name = name
        self.pointer = node.pointer
        self.entered_event = f"{self.type_name}StateEntered"
        self.exited_event = f"{self.type_name}StateExited"
        language = node.string("QueryLanguage") or context.query_language
        if language not in (JSONPATH, JSONATA):
            raise node.error("QueryLanguage", f"'QueryLanguage' must be JSONPath or JSONata, not {language!r}")
        if language == JSONPATH and context.query_language == JSONATA and "QueryLanguage" in node:
            raise node.error(
                None, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"
            )
        self.language = language
        self.next_name: str | None = None
        self.next: State | None = None
        self.end = False

    def _compile_transition(self, node: Node) -> None:
        next_name = node.string("Next")
        end = node.boolean("End") or False
        if next_name is not None and end:
            raise node.error("End", "'Next' and 'End' are mutually exclusive")
        if next_name is None and not end:
            raise node.error(None, "A state must have either 'Next' or 'End': true")
        self.next_name = next_name
        self.end = end

    def link(self, states: dict[str, State]) -> None:
        """Resolve state names to State objects (after the whole block is compiled)."""
        if self.next_name is not None:
            self.next = _resolve(states, self.next_name, f"{self.pointer}/Next")

    def exit(self, frame: Any, output: Any, assigned: dict | None) -> None:
        details: dict[str, Any] = {"name": self.name, "output": output}
        if assigned is not None:
            details["assignedVariables"] = assigned
            frame.variables.assign(assigned)
        frame.emit(self.exited_event, details)

    def execute(self, frame: Any, raw: Any) -> tuple[Any, State | None]:
        return drive(self.execute_gen(frame, raw))

    def execute_gen(self, frame: Any, raw: Any) -> Generator[Any, Any, tuple[Any, State | None]]:
        return self.execute(frame, raw)
        yield  # pragma: no cover - makes this a generator

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


def _resolve(states: dict[str, State], name: str, pointer: str) -> State:
    state = states.get(name)
    if state is None:
        raise DefinitionError(pointer, "MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {name}")
    return state
