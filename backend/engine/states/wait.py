"""Wait: delays for ``Seconds`` / until ``Timestamp`` (or their ``...Path`` / JSONata forms).

The deadline is computed from the StateEntered event's timestamp, so a
replayed execution arrives at the same deadline. A Wait yields ``Sleep`` to
the scheduler only when there is something to wait for.
"""

from __future__ import annotations

from typing import Any, Callable, Generator

from ..definition import JSONATA, CompileContext, Node
from ..errors import QUERY_EVALUATION_ERROR, RUNTIME, StatesError
from ..fields.io import compile_io, compile_reference_path_field, evaluate_jsonata
from ..fields.timestamps import parse_timestamp
from ..scheduler import Sleep
from .base import State

MAX_DELAY_SECONDS = 2**31 - 1  # "Wait state delay is too long" beyond ~24,855 days


def _java_number(value: Any) -> str:
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, separators=(",", ":"))


class StateWait(State):
    type_name = "Wait"
    may_block = True

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        self._compile_transition(node)
        keys = [k for k in ("Seconds", "SecondsPath", "Timestamp", "TimestampPath") if k in node]
        if len(keys) != 1:
            raise node.error(None, "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath")
        self.io = compile_io(node, self.language, parameters_key=None, has_result=False)
        self.deadline = self._compile_deadline(node, keys[0])

    def _compile_deadline(self, node: Node, key: str) -> Callable[[Any, Any], float]:
        value = node.raw(key)
        if self.language == JSONATA and isinstance(value, str) and key in ("Seconds", "Timestamp"):
            from ..jsonata_query import compile_jsonata_value, is_jsonata

            if is_jsonata(value):
                compiled = compile_jsonata_value(value, pointer=node.at(key))

                def jsonata_deadline(raw: Any, frame: Any) -> float:
                    states = {"input": raw, "context": frame.context_object()}
                    result = evaluate_jsonata(compiled, states, frame, key, typed=True)
                    if key == "Seconds":
                        return frame.entered_time + result
                    parsed = parse_timestamp(result)
                    if parsed is None:
                        raise StatesError(
                            QUERY_EVALUATION_ERROR,
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                            f"format string: {result}",
                        )
                    return parsed

                return jsonata_deadline
        if key == "Seconds":
            seconds = node.integer("Seconds", minimum=0)
            return lambda raw, frame: frame.entered_time + seconds
        if key == "Timestamp":
            parsed = parse_timestamp(value)
            if parsed is None:
                raise node.error(key, f"'Timestamp' is not a valid ISO-8601 timestamp: {value!r}")
            return lambda raw, frame: parsed
        select = compile_reference_path_field(node, key)
        if key == "SecondsPath":
            def seconds_path(raw: Any, frame: Any) -> float:
                try:
                    seconds = select(raw, frame)
                except StatesError:
                    raise StatesError(RUNTIME, f"The SecondsPath parameter does not reference an input value: {value}") from None
                if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds != int(seconds):
                    raise StatesError(RUNTIME, "The SecondsPath parameter cannot be parsed as a long value: "
                                               f"{value} == {_java_number(seconds)}")
                if seconds < 0:
                    raise StatesError(RUNTIME, "The SecondsPath parameter references a negative value: "
                                               f"{value} == {_java_number(seconds)}")
                return frame.entered_time + int(seconds)

            return seconds_path

        def timestamp_path(raw: Any, frame: Any) -> float:
            try:
                text = select(raw, frame)
            except StatesError:
                raise StatesError(RUNTIME, f"The TimestampPath parameter does not reference an input value: {value}") from None
            parsed = parse_timestamp(text)
            if parsed is None:
                raise StatesError(
                    RUNTIME,
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                    f"format string: {value} == {_java_number(text)}",
                )
            return parsed

        return timestamp_path

    def execute_gen(self, frame: Any, raw: Any) -> Generator[Any, Any, tuple[Any, State | None]]:
        effective = self.io.effective_input(frame, raw)
        deadline = self.deadline(effective, frame)
        if deadline - frame.entered_time > MAX_DELAY_SECONDS:
            raise StatesError(RUNTIME, "Wait state delay is too long")
        if deadline > frame.entered_time:
            yield Sleep(deadline)
        output, assigned = self.io.pass_through(frame, effective)
        self.exit(frame, output, assigned)
        return output, self.next
