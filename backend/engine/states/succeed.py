"""Succeed: ends its block (the execution, a branch or an iteration) successfully."""

from __future__ import annotations

from typing import Any

from ..definition import CompileContext, Node
from ..fields.io import compile_io
from .base import State


class StateSucceed(State):
    type_name = "Succeed"

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        if "Next" in node or "End" in node:
            raise node.error("Next" if "Next" in node else "End", "Succeed states have no 'Next' or 'End'")
        self.io = compile_io(node, self.language, parameters_key=None, has_result=False)

    def execute(self, frame: Any, raw: Any) -> tuple[Any, State | None]:
        output, _ = self.io.pass_through(frame, self.io.effective_input(frame, raw))
        frame.emit(self.exited_event, {"name": self.name, "output": output})
        return output, None
