"""The Prometheus metric families of one ``MetricsSnapshot`` (names and meanings: docs/operations.md)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from backend.executions.models import ExecutionStatus, TimerKind
from backend.metrics.selectors import (
    REDRIVE_EVENTS,
    STATE_ENTERED_EVENTS,
    TASK_CALL_EVENTS,
    TASK_FAILURE_EVENTS,
    DurationHistogram,
    MetricsSnapshot,
    WorkflowLabels,
)

PREFIX = "workflow_"
LABELS = ["workflow_id", "workflow", "owner"]

_EXECUTION_COUNTERS = (
    ("executions_started", None, "Executions started (every status), per workflow."),
    ("executions_succeeded", ExecutionStatus.SUCCEEDED, "Executions that ended SUCCEEDED."),
    ("executions_failed", ExecutionStatus.FAILED, "Executions that ended FAILED (a redrive takes one back)."),
    ("executions_timed_out", ExecutionStatus.TIMED_OUT, "Executions that ended TIMED_OUT (a redrive takes one back)."),
    ("executions_aborted", ExecutionStatus.ABORTED, "Executions stopped (ABORTED; a redrive takes one back)."),
)
_HISTORY_COUNTERS = (
    ("state_transitions", STATE_ENTERED_EVENTS, "States entered (history *StateEntered events)."),
    ("task_calls", TASK_CALL_EVENTS, "Task attempts scheduled (TaskScheduled, LambdaFunctionScheduled)."),
    ("task_failures", TASK_FAILURE_EVENTS, "Task attempts that failed or timed out."),
    ("executions_redriven", REDRIVE_EVENTS, "Redrives of failed, timed-out or aborted executions."),
)


def _labels(workflow: WorkflowLabels) -> list[str]:
    return [str(workflow.workflow_id), workflow.workflow, workflow.owner]


class SnapshotCollector(Collector):
    def __init__(self, snapshot: MetricsSnapshot):
        self.snapshot = snapshot

    def collect(self) -> Iterator:
        snap = self.snapshot
        workflows = sorted(snap.workflows.values(), key=lambda w: w.workflow_id)
        for name, status, doc in _EXECUTION_COUNTERS:
            family = CounterMetricFamily(PREFIX + name, doc, labels=LABELS)
            for workflow in workflows:
                counts = snap.executions.get(workflow.workflow_id, {})
                value = sum(counts.values()) if status is None else counts.get(status, 0)
                family.add_metric(_labels(workflow), value)
            yield family
        running = GaugeMetricFamily(PREFIX + "executions_running", "Executions running now.", labels=LABELS)
        for workflow in workflows:
            running.add_metric(_labels(workflow), snap.executions.get(workflow.workflow_id, {}).get(
                ExecutionStatus.RUNNING, 0))
        yield running
        histogram = HistogramMetricFamily(
            PREFIX + "execution_duration_seconds",
            "Duration of finished executions (start to end; a redriven one from its first start).", labels=LABELS)
        for workflow in workflows:
            durations = snap.durations.get(workflow.workflow_id)
            if durations is None:
                durations = DurationHistogram()
            histogram.add_metric(_labels(workflow), buckets=durations.cumulative(), sum_value=durations.total_seconds)
        yield histogram
        for name, types, doc in _HISTORY_COUNTERS:
            family = CounterMetricFamily(PREFIX + name, doc + " Standard executions (Express keep no history).",
                                         labels=LABELS)
            for workflow in workflows:
                family.add_metric(_labels(workflow),
                                  sum(snap.history.get((workflow.workflow_id, type_), 0) for type_ in types))
            yield family
        pending = GaugeMetricFamily(PREFIX + "timers_pending", "Timers set (waits, retries, time-outs), per kind.",
                                    labels=["kind"])
        due = GaugeMetricFamily(PREFIX + "timers_due",
                                "Timers whose time has come and that no runner has fired yet, per kind.",
                                labels=["kind"])
        for kind in TimerKind.values:
            total, overdue = snap.timers.get(kind, (0, 0))
            pending.add_metric([kind], total)
            due.add_metric([kind], overdue)
        yield pending
        yield due
