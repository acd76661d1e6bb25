"""Pass: passes its input (or a fixed ``Result``) to its output."""

from __future__ import annotations

from typing import Any

from ..definition import JSONATA, CompileContext, Node
from ..errors import DATA_LIMIT_EXCEEDED, StatesError
from ..fields.io import compile_io
from .base import State

_NO_RESULT = object()
PAYLOAD_LIMIT = 262_144


def _json_size(value: Any) -> int:
    import json

    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


class StatePass(State):
    type_name = "Pass"

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        self._compile_transition(node)
        # TCSL documents ResultSelector on Pass (ASL does not); accepting it costs nothing.
        self.io = compile_io(node, self.language, has_result=True, result_selector=True)
        self.result = node.raw("Result", _NO_RESULT) if self.language != JSONATA else _NO_RESULT
        # A literal Result over the payload quota fails every time it runs (AWS checks at run time).
        self.result_too_large = self.result is not _NO_RESULT and _json_size(self.result) > PAYLOAD_LIMIT

    def execute(self, frame: Any, raw: Any) -> tuple[Any, State | None]:
        io = self.io
        if self.language == JSONATA:
            output, assigned = io.pass_through(frame, raw)
        else:
            effective = io.effective_input(frame, raw)
            result = effective if self.result is _NO_RESULT else self.result
            if self.result_too_large:
                raise StatesError(DATA_LIMIT_EXCEEDED, f"The state/task '{self.name}' returned a result with a "
                                                       "size exceeding the maximum number of bytes service limit.")
            output, assigned = io.finish(frame, raw, effective, result)
        details: dict[str, Any] = {"name": self.name, "output": output}
        if assigned is not None:
            details["assignedVariables"] = assigned
            frame.variables.assign(assigned)
        frame.emit(self.exited_event, details)
        return output, self.next
