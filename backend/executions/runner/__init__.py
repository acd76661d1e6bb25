"""The durable runtime: runs stored workflows with the engine (see docs/runtime.md).

Public use cases (import from here): ``execution_start``, ``execution_start_sync``,
``execution_stop``, ``execution_redrive``, ``send_task_success``, ``send_task_failure``,
``send_task_heartbeat``; ``RunnerLoop`` runs executions; ``drive`` runs one.
"""

from backend.executions.runner.api import (
    execution_redrive,
    execution_start,
    execution_start_sync,
    execution_stop,
    send_task_failure,
    send_task_heartbeat,
    send_task_success,
)

__all__ = [
    "execution_redrive",
    "execution_start",
    "execution_start_sync",
    "execution_stop",
    "send_task_failure",
    "send_task_heartbeat",
    "send_task_success",
]
