"""Compiled programs, one per workflow version (versions are immutable, so never stale)."""

from __future__ import annotations

import copy
import threading

from backend.engine.program import Program, compile_definition
from backend.workflows.models import WorkflowType, WorkflowVersion

# Step Functions runs an Express execution for at most five minutes.
EXPRESS_MAX_SECONDS = 300

# Keyed by the definition text too: a database rebuilt from scratch (tests) reuses ids.
_cache: dict[tuple[int, str], Program] = {}
_lock = threading.Lock()


def program_for(version: WorkflowVersion, workflow_type: str) -> Program:
    key = (version.pk, version.definition)
    program = _cache.get(key)
    if program is not None:
        return program
    program = compile_definition(version.definition, workflow_type=workflow_type, name=version.template.name)
    if workflow_type == WorkflowType.EXPRESS and (
        program.timeout_seconds is None or program.timeout_seconds > EXPRESS_MAX_SECONDS
    ):
        # The five-minute cap is the execution's TimeoutSeconds as far as the engine knows.
        program = copy.copy(program)
        program.timeout_seconds = EXPRESS_MAX_SECONDS
    with _lock:
        return _cache.setdefault(key, program)
