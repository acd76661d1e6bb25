"""ENGINE_* settings of the durable runner (backend/executions/runner/settings.py has the
defaults and their meaning); each may be set by an environment variable of that name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.settings.env import env_bool

_FLOATS = ("ENGINE_LEASE_SECONDS", "ENGINE_INLINE_WAIT_SECONDS", "ENGINE_POLL_SECONDS", "ENGINE_TASK_POLL_SECONDS")
_INTS = ("ENGINE_THREADS",)
_BOOLS = ("ENGINE_EMBEDDED", "ENGINE_EXPRESS_RECORD")


def engine_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in _FLOATS:
        if environ.get(name):
            found[name] = float(environ[name])
    for name in _INTS:
        if environ.get(name):
            found[name] = int(environ[name])
    for name in _BOOLS:
        if environ.get(name):
            found[name] = env_bool(environ, name, default=True)
    return found
