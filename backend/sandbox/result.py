"""The outcome of one invocation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class InvocationResult:
    """Either a success (``error is None``, the result in ``payload_json``) or a failure.

    A failure has ``error`` (the name a Task's Retry/Catch matches, see
    ``errors.py``) and ``cause`` (JSON text ``{"errorMessage", "errorType", ...}``).
    ``logs`` holds what the function printed (stdout and stderr interleaved),
    bounded by the pool's ``max_log_chars``; ``duration_ms`` is the wall time of
    the invocation as the pool saw it.
    """

    request_id: str
    payload_json: str | None = None
    error: str | None = None
    cause: str | None = None
    logs: str = ""
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    @cached_property
    def payload(self) -> Any:
        """The result as a Python value (parsed once, on first use)."""
        if self.payload_json is None:
            raise ValueError(f"invocation {self.request_id} failed with {self.error}: no payload")
        return json.loads(self.payload_json)
