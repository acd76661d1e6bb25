"""Base for states with ``Retry`` and ``Catch`` (Task, Parallel, Map)."""

from __future__ import annotations

from typing import Any, Callable, Generator

from ..definition import CompileContext, Node
from ..errors import StatesError
from ..fields.retry_catch import compile_catchers, compile_retriers, error_output, find_catcher, find_retrier
from ..scheduler import Sleep
from .base import State, _resolve

Attempt = Callable[[Any, Any], Generator[Any, Any, tuple[Any, dict | None]]]


class RecoverableState(State):
    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        self._compile_transition(node)
        self.retriers = compile_retriers(node)
        self.catchers = compile_catchers(node, self.language)
        # A retrier that can fire waits at least IntervalSeconds (>= 1 s): a blocking point.
        self.retry_blocks = any(r.max_attempts > 0 for r in self.retriers)

    def link(self, states: dict[str, State]) -> None:
        super().link(states)
        for i, catcher in enumerate(self.catchers):
            catcher.next = _resolve(states, catcher.next_name, f"{self.pointer}/Catch/{i}/Next")

    def attempt(self, frame: Any, raw: Any) -> Generator[Any, Any, tuple[Any, dict | None]]:
        """One try of the state's work: returns (output, assigned variables)."""
        raise NotImplementedError

    def on_failure(self, frame: Any, error: StatesError) -> None:
        """Hook: events a failed attempt emits before retry/catch decisions."""

    def execute_gen(self, frame: Any, raw: Any) -> Generator[Any, Any, tuple[Any, State | None]]:
        retriers = self.retriers
        counts = [0] * len(retriers)
        frame.retry_count = 0
        while True:
            try:
                output, assigned = yield from self.attempt(frame, raw)
            except StatesError as failure:
                error = frame.locate(failure)
                self.on_failure(frame, error)
                index = find_retrier(retriers, error.error, error.heartbeat)
                if index >= 0 and counts[index] < retriers[index].max_attempts:
                    retrier = retriers[index]
                    delay = retrier.delay(counts[index], f"{frame.execution.arn}#{frame.last_event_id}")
                    counts[index] += 1
                    frame.retry_count += 1
                    if delay > 0:
                        yield Sleep(frame.last_event_time + delay)
                    continue
                catcher = find_catcher(self.catchers, error.error, error.heartbeat)
                if catcher is None:
                    raise error from None
                output, assigned = self.io.error_output(frame, raw, error_output(error.error, error.cause), catcher)
                self.exit(frame, output, assigned)
                return output, catcher.next
            self.exit(frame, output, assigned)
            return output, self.next
