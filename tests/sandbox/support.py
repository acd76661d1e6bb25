"""Helpers for the sandbox suite: specs from code blocks, cause parsing, process checks."""

from __future__ import annotations

import json
import os
import textwrap

from backend.sandbox import FunctionSpec


def function(name: str, code: str, **options: object) -> FunctionSpec:
    """A spec from an indented code block (``handler`` unless told otherwise)."""
    return FunctionSpec(name, source=textwrap.dedent(code), **options)


def cause_of(result) -> dict:
    assert result.cause is not None, result
    return json.loads(result.cause)


def process_gone(pid: int) -> bool:
    """True once ``pid`` was reaped (no entry at all: not even a zombie)."""
    return not os.path.exists(f"/proc/{pid}")


def process_state(pid: int) -> str | None:
    """The one-letter state in /proc (R, S, T, Z, ...); None once reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def process_running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    return process_state(pid) not in (None, "Z")
