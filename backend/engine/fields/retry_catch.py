"""``Retry`` and ``Catch``: which errors they handle, back-off delays, error outputs."""

from __future__ import annotations

import random
from typing import Any

from ..definition import JSONATA, Node
from ..errors import ALL, HEARTBEAT_TIMEOUT, RUNTIME, TASK_FAILED, TIMEOUT, DefinitionError
from ..paths import compile_result_path
from .io import compile_assign


def error_matches(names: tuple[str, ...], error: str | None, heartbeat: bool = False) -> bool:
    """Does an ``ErrorEquals`` list handle ``error``? (States.ALL / States.TaskFailed are wildcards.)

    ``heartbeat``: the error is a States.Timeout from a lapsed HeartbeatSeconds, which
    States.HeartbeatTimeout also names.
    """
    if error == RUNTIME:
        return False  # AWS never retries nor catches States.Runtime (even when listed)
    for name in names:
        if name == error or name == ALL:
            return True
        if name == TASK_FAILED and error != TIMEOUT:
            return True
        if heartbeat and name == HEARTBEAT_TIMEOUT:
            return True
    return False


def _error_equals(node: Node) -> tuple[str, ...]:
    names = node.array("ErrorEquals", required=True)
    if not names or not all(isinstance(n, str) for n in names):
        raise node.error("ErrorEquals", "'ErrorEquals' must be a non-empty array of strings")
    return tuple(names)


class Retrier:
    __slots__ = ("error_equals", "interval", "max_attempts", "backoff_rate", "max_delay", "jitter")

    def __init__(self, node: Node):
        self.error_equals = _error_equals(node)
        self.interval = node.integer("IntervalSeconds", minimum=1) or 1
        max_attempts = node.integer("MaxAttempts", minimum=0)
        self.max_attempts = 3 if max_attempts is None else max_attempts
        rate = node.number("BackoffRate")
        self.backoff_rate = 2.0 if rate is None else float(rate)
        if self.backoff_rate < 1.0:
            raise node.error("BackoffRate", "'BackoffRate' must be >= 1.0")
        self.max_delay = node.integer("MaxDelaySeconds", minimum=1)
        jitter = node.string("JitterStrategy") or "NONE"
        if jitter not in ("FULL", "NONE"):
            raise node.error("JitterStrategy", "'JitterStrategy' must be FULL or NONE")
        self.jitter = jitter

    def delay(self, retries_done: int, seed: str) -> float:
        """Seconds to wait before retry number ``retries_done + 1`` (deterministic per seed)."""
        delay = self.interval * (self.backoff_rate ** retries_done)
        if self.max_delay is not None:
            delay = min(delay, self.max_delay)
        if self.jitter == "FULL":
            delay = random.Random(seed).uniform(0, delay)
        return delay


class Catcher:
    __slots__ = ("error_equals", "next_name", "next", "result_path", "output", "assign")

    def __init__(self, node: Node, language: str):
        self.error_equals = _error_equals(node)
        self.next_name = node.string("Next", required=True)
        self.next: Any = None  # linked to the State object after compilation
        self.result_path = None
        self.output = None
        if language == JSONATA:
            if "Output" in node:
                from ..jsonata_query import compile_jsonata_value

                self.output = compile_jsonata_value(node.raw("Output"), pointer=node.at("Output"))
        elif "ResultPath" in node:
            text = node.raw("ResultPath")
            if text is not None and not isinstance(text, str):
                raise node.error("ResultPath", "'ResultPath' must be a string or null")
            if text != "$":
                self.result_path = compile_result_path(text, pointer=node.at("ResultPath")).apply
        self.assign = compile_assign(node, language)


def compile_retriers(node: Node) -> tuple[Retrier, ...]:
    items = node.array("Retry") or []
    return tuple(Retrier(Node(item, f"{node.at('Retry')}/{i}")) for i, item in enumerate(items))


def compile_catchers(node: Node, language: str) -> tuple[Catcher, ...]:
    items = node.array("Catch") or []
    return tuple(Catcher(Node(item, f"{node.at('Catch')}/{i}"), language) for i, item in enumerate(items))


def find_retrier(retriers: tuple[Retrier, ...], error: str | None, heartbeat: bool = False) -> int:
    for index, retrier in enumerate(retriers):
        if error_matches(retrier.error_equals, error, heartbeat):
            return index
    return -1


def find_catcher(catchers: tuple[Catcher, ...], error: str | None, heartbeat: bool = False) -> Catcher | None:
    for catcher in catchers:
        if error_matches(catcher.error_equals, error, heartbeat):
            return catcher
    return None


def error_output(error: str | None, cause: str | None) -> dict:
    out: dict[str, Any] = {"Error": error}
    if cause is not None:
        out["Cause"] = cause
    return out


__all__ = ["Catcher", "DefinitionError", "Retrier", "compile_catchers", "compile_retriers", "error_matches",
           "error_output", "find_catcher", "find_retrier"]
