"""Parallel: runs every branch on the same input; the result is the list of branch outputs.

Branches that cannot block run inline one after the other (no fibers); otherwise
each branch is a fiber and the state waits for them through the scheduler. The
first failing branch aborts its siblings and fails the state with its own error.
"""

from __future__ import annotations

from typing import Any, Generator

from ..definition import CompileContext, Node
from ..errors import StatesError
from ..fields.io import compile_io
from ..program import Block, run_gen, run_sync
from ..scheduler import AWAIT_CHILD
from .recoverable import RecoverableState


class StateParallel(RecoverableState):
    type_name = "Parallel"

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        branches = node.array("Branches", required=True)
        self.branches = tuple(Block(Node(b, f"{node.at('Branches')}/{i}"), context) for i, b in enumerate(branches))
        self.io = compile_io(node, self.language, has_result=True, result_selector=True, arguments=True)
        self.branches_block = any(b.may_block for b in self.branches)
        self.may_block = self.retry_blocks or self.branches_block

    def attempt(self, frame: Any, raw: Any) -> Generator[Any, Any, tuple[Any, dict | None]]:
        effective = self.io.effective_input(frame, raw)
        frame.emit("ParallelStateStarted")
        if self.branches_block:
            results = yield from self._run_fibers(frame, effective)
        else:
            results = []
            for block in self.branches:
                try:
                    results.append(run_sync(block, frame.child(), effective))
                except StatesError:
                    self._failed(frame)
                    raise
        frame.last_event_id = frame.history.last_id
        return self.io.finish(frame, raw, effective, results)

    def _run_fibers(self, frame: Any, effective: Any) -> Generator[Any, Any, list]:
        scheduler = frame.execution.scheduler
        me = frame.fiber
        fibers = []
        for index, block in enumerate(self.branches):
            child = frame.child()
            fibers.append(scheduler.spawn(run_gen(block, child, effective), child, me, index))
        results: list[Any] = [None] * len(fibers)
        for _ in fibers:
            done = yield AWAIT_CHILD
            if done.error is not None:
                for fiber in fibers:
                    scheduler.abort(fiber)
                self._failed(frame)
                raise done.error
            results[done.tag] = done.result
        return results

    def _failed(self, frame: Any) -> None:
        frame.last_event_id = frame.history.last_id
        frame.emit("ParallelStateFailed")
