"""Delivery of history events as JSON lines, like ASW's log delivery / Step Functions' logging.

``EXECUTION_LOG_DELIVERY`` = ``stdout``, ``stderr`` or ``file:/path`` (appended to; one
``write`` per committed group of events, so lines of several processes do not interleave);
empty = off. ``EXECUTION_LOG_LEVEL`` = ``ALL`` / ``ERROR`` / ``FATAL`` / ``OFF`` and
``EXECUTION_LOG_INCLUDE_DATA`` choose what goes out; a workflow's ``WorkflowLogging`` row
(``/api/templates/<id>/logging/``, the admin) overrides both for its executions. One line per event, Step Functions'
CloudWatch Logs shape plus where it came from::

    {"id": "3", "previous_event_id": "2", "event_timestamp": "1700000000123", "type": "TaskScheduled",
     "details": {...}, "execution_arn": "arn:aws:states:...", "execution_id": 7, "execution_name": "...",
     "workflow_id": 2, "workflow": "sum", "owner": "demo", "scope": ""}

The hooks are where events are committed: ``history_committed`` after a runner's journal
commit (``runner/journal.py``) and a stop's or a redrive's event (``runner/api.py``), and
``express_journal`` for Express executions, which keep no history otherwise
(``runner/express.py``). Off, each hook is one function call that returns at once.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured

from backend.engine.journal import Event
from backend.metrics.settings import metrics_setting

LEVELS = ("ALL", "ERROR", "FATAL", "OFF")
FATAL_EVENTS = frozenset({"ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"})
_ERROR_SUFFIXES = ("Failed", "TimedOut", "Aborted")
_DATA_FIELDS = ("input", "output", "parameters", "assignedVariables")
_SETTINGS = ("EXECUTION_LOG_DELIVERY", "EXECUTION_LOG_LEVEL", "EXECUTION_LOG_INCLUDE_DATA")
log = logging.getLogger(__name__)
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode


class Origin(NamedTuple):
    execution_arn: str
    execution_id: int | None
    execution_name: str
    workflow_id: int
    workflow: str
    owner: str


class Sink:
    def __init__(self, target: str, level: str, include_data: bool):
        self.target = target
        self.level = level
        self.include_data = include_data
        self._lock = threading.Lock()

    def line(self, origin: Origin, scope: str, event: Event, include_data: bool) -> str:
        details = event.details
        if details is not None and not include_data:
            details = {key: value for key, value in details.items() if key not in _DATA_FIELDS}
        return _encode({
            "id": str(event.id), "previous_event_id": str(event.previous_event_id),
            "event_timestamp": str(int(round(event.timestamp * 1000))), "type": event.type, "details": details,
            "execution_arn": origin.execution_arn, "execution_id": origin.execution_id,
            "execution_name": origin.execution_name, "workflow_id": origin.workflow_id, "workflow": origin.workflow,
            "owner": origin.owner, "scope": scope,
        }) + "\n"

    def write(self, origin: Origin, scope: str, events: Sequence[Event]) -> None:
        """Best effort: the events are recorded already, so a delivery problem (a full disk, a
        closed pipe) is logged and never reaches the runner that committed them."""
        try:
            self._write(origin, scope, events)
        except Exception:  # noqa: BLE001 -- nothing here may fail an execution
            log.warning("history event delivery to %s failed", self.target, exc_info=True)

    def _write(self, origin: Origin, scope: str, events: Sequence[Event]) -> None:
        level, include_data = workflow_logging(origin.workflow_id) or (self.level, self.include_data)
        if level == "OFF":
            return
        text = "".join(self.line(origin, scope, event, include_data) for event in events if wanted(level, event.type))
        if not text:
            return
        data = text.encode()
        with self._lock:
            if self.target == "stdout":
                _write_stream(sys.stdout, data)
            elif self.target == "stderr":
                _write_stream(sys.stderr, data)
            else:
                fd = os.open(self.target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
                try:
                    os.write(fd, data)
                finally:
                    os.close(fd)


def wanted(level: str, type_: str) -> bool:
    if level == "ALL":
        return True
    if level == "FATAL":
        return type_ in FATAL_EVENTS
    return type_.endswith(_ERROR_SUFFIXES)


# Per-workflow overrides (WorkflowLogging rows), read at most every few seconds per workflow.
_OVERRIDE_SECONDS = 5.0
_overrides: dict[int, tuple[float, tuple[str, bool] | None]] = {}


def workflow_logging(template_id: int) -> tuple[str, bool] | None:
    """(level, include_data) set for this workflow, or None (the server's settings apply)."""
    now = time.monotonic()
    cached = _overrides.get(template_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    from backend.metrics.models import WorkflowLogging

    row = WorkflowLogging.objects.filter(template_id=template_id).values_list("level", "include_data").first()
    value = None if row is None else (row[0], bool(row[1]))
    _overrides[template_id] = (now + _OVERRIDE_SECONDS, value)
    return value


def forget_workflow_logging(template_id: int) -> None:
    """This process reads the workflow's override again at once (others within seconds)."""
    _overrides.pop(template_id, None)


def _write_stream(stream: Any, data: bytes) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode())
        stream.flush()


def parse_target(value: str) -> str | None:
    """The sink target of an EXECUTION_LOG_DELIVERY value; None when off."""
    value = (value or "").strip()
    if value.lower() in ("", "off", "none"):
        return None
    if value.lower() in ("stdout", "stderr"):
        return value.lower()
    if value.startswith("file:") and os.path.isabs(value[5:]):
        return value[5:]
    raise ImproperlyConfigured(f"EXECUTION_LOG_DELIVERY={value!r}: expected stdout, stderr or file:/absolute/path")


def parse_level(value: str) -> str:
    level = (value or "ALL").strip().upper()
    if level not in LEVELS:
        raise ImproperlyConfigured(f"EXECUTION_LOG_LEVEL={value!r}: expected one of {', '.join(LEVELS)}")
    return level


_UNSET = object()
_sink: Any = _UNSET


def _configured() -> Sink | None:
    global _sink
    if _sink is _UNSET:
        target = parse_target(metrics_setting("EXECUTION_LOG_DELIVERY"))
        level = parse_level(metrics_setting("EXECUTION_LOG_LEVEL"))
        # Level OFF still needs the sink: a workflow's own level may turn delivery on.
        _sink = None if target is None else Sink(target, level, bool(metrics_setting("EXECUTION_LOG_INCLUDE_DATA")))
    return _sink


def reset() -> None:
    global _sink
    _sink = _UNSET
    _origin.cache_clear()
    _overrides.clear()


def reset_on_setting_change(*, setting: str, **_: Any) -> None:
    if setting in _SETTINGS:
        reset()


@lru_cache(maxsize=4096)
def _origin(execution_id: int) -> Origin | None:
    from backend.executions.models import Execution
    from backend.executions.runner.children import execution_arn

    execution = Execution.objects.select_related("template__owner").filter(pk=execution_id).first()
    if execution is None:
        return None
    template = execution.template
    return Origin(execution_arn(execution), execution.pk, execution.name, template.pk, template.name,
                  template.owner.get_username())


def history_committed(execution_id: int, scope: str, events: Sequence[Event]) -> None:
    """Deliver events just recorded in an execution's history (``scope`` "" = its own)."""
    sink = _sink if _sink is not _UNSET else _configured()
    if sink is None or not events:
        return
    try:
        origin = _origin(execution_id)
    except Exception:  # noqa: BLE001 -- a database hiccup here must not fail the runner's commit
        log.warning("history event delivery: execution %s not readable", execution_id, exc_info=True)
        return
    if origin is not None:
        sink.write(origin, scope, events)


class ExpressLogJournal:
    """The engine journal of an Express execution whose events are delivered: nothing is
    stored; each commit delivers the events appended since the previous one."""

    def __init__(self, sink: Sink, origin: Origin, scope: str = ""):
        self.sink = sink
        self.origin = origin
        self.scope = scope
        self._pending: list[Event] = []

    def child(self, key: str) -> ExpressLogJournal:
        return ExpressLogJournal(self.sink, self.origin, f"{self.scope}/{key}" if self.scope else key)

    def load(self) -> list[Event]:
        return []

    def append(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.sink.write(self.origin, self.scope, pending)


def express_journal(template: Any, name: str) -> ExpressLogJournal | None:
    """A journal for an Express execution when delivery is on, else None (no journal, no cost)."""
    sink = _sink if _sink is not _UNSET else _configured()
    if sink is None:
        return None
    from backend.executions.runner.children import state_machine_arn

    arn = state_machine_arn(template).replace(":stateMachine:", ":express:", 1) + f":{name}"
    return ExpressLogJournal(sink, Origin(arn, None, name, template.pk, template.name,
                                          template.owner.get_username()))
