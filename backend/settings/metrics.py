"""METRICS_* and EXECUTION_LOG_* settings from environment variables of those names.

Defaults and meanings: backend/metrics/settings.py (docs/operations.md, "Metrics").
Only variables that are set are returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.settings.env import env_bool

_STRINGS = ("METRICS_TOKEN", "EXECUTION_LOG_DELIVERY", "EXECUTION_LOG_LEVEL")
_BOOLS = ("METRICS_PUBLIC", "EXECUTION_LOG_INCLUDE_DATA")


def metrics_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {name: environ[name] for name in _STRINGS if environ.get(name)}
    for name in _BOOLS:
        if environ.get(name):
            found[name] = env_bool(environ, name, default=False)
    return found
