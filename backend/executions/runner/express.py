"""Express executions: in memory, start to end in the calling thread.

No history is journaled and nothing is written while it runs (the engine keeps no
events either); at the end one summary row is recorded when ``ENGINE_EXPRESS_RECORD``
is on. Step Functions caps them at five minutes (``programs.EXPRESS_MAX_SECONDS``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timezone as dt_timezone
from typing import Any, NamedTuple

from backend.engine.clock import SystemClock
from backend.engine.execution import SUCCEEDED
from backend.engine.execution import Execution as EngineExecution
from backend.engine.history import DEFAULT_EVENT_LIMIT
from backend.engine.resources import InlineDispatcher
from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner.loading import template_version
from backend.executions.runner.programs import program_for
from backend.executions.runner.registry import build_registry
from backend.executions.runner.settings import engine_setting
from backend.live.publishing import execution_changed
from backend.metrics.delivery import express_journal
from backend.workflows.models import WorkflowTemplate, WorkflowType

_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_clock = SystemClock()


class ExpressResult(NamedTuple):
    """What StartSyncExecution answers."""

    execution_arn: str
    name: str
    status: str
    output: str | None  # JSON text
    error: str | None
    cause: str | None
    start_date: datetime
    stop_date: datetime

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


def express_run(*, template: WorkflowTemplate, input_value: Any, name: str | None = None,
                version_number: int | None = None, input_text: str | None = None,
                record: Callable[[Execution], Any] | None = None) -> ExpressResult:
    """Run to the end in this thread. ``record`` writes the summary row (default: saved at once;
    the published endpoints pass a batching writer)."""
    version = template_version(template, version_number)
    program = program_for(version, WorkflowType.EXPRESS)
    registry = build_registry(owner=template.owner, role=version.role, express=True)
    started = _clock.now()
    name = name or str(uuid.uuid4())
    engine = EngineExecution(program, input_value, name=name, journal=express_journal(template, name),
                             dispatcher=InlineDispatcher(registry, _clock), clock=_clock, keep_history=False,
                             event_limit=DEFAULT_EVENT_LIMIT)
    result = engine.run()
    output = (result.output_text or _encode(result.output)) if result.status == SUCCEEDED else None
    start_date = datetime.fromtimestamp(started, tz=dt_timezone.utc)
    stop_date = datetime.fromtimestamp(_clock.now(), tz=dt_timezone.utc)
    if engine_setting("ENGINE_EXPRESS_RECORD"):
        row = Execution(
            template=template, version=version, name=engine.name, type=WorkflowType.EXPRESS,
            status=ExecutionStatus(result.status),
            input=input_text if input_text is not None else _encode(input_value),
            output=output, error=result.error, cause=result.cause, started_at=start_date, stopped_at=stop_date,
        )
        if record is None:
            row.save(force_insert=True)
            execution_changed(row)  # live streams: the lists' new row
        else:
            record(row)
    return ExpressResult(engine.arn, engine.name, result.status, output, result.error, result.cause,
                         start_date, stop_date)
