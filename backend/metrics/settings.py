"""The metrics app's knobs, read from Django settings with these defaults.

backend/settings/metrics.py fills them from environment variables of the same names.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # GET /metrics: with a token, only "Authorization: Bearer <token>" gets in (from anywhere);
    # without one, only clients on the loopback interface, unless METRICS_PUBLIC is on.
    "METRICS_TOKEN": "",
    "METRICS_PUBLIC": False,
    # History events as JSON lines: "" (off), "stdout", "stderr" or "file:/absolute/path".
    "EXECUTION_LOG_DELIVERY": "",
    # Which events: ALL, ERROR (failures, time-outs, aborts), FATAL (the execution's own end
    # when it did not succeed) or OFF, as Step Functions' LoggingConfiguration levels.
    "EXECUTION_LOG_LEVEL": "ALL",
    # Keep inputs, outputs and parameters in the delivered events (Step Functions'
    # includeExecutionData); off drops them.
    "EXECUTION_LOG_INCLUDE_DATA": True,
}


def metrics_setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
