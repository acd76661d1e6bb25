"""Child workflows: ``states:startExecution`` Tasks.

Resources (ASL and TCSL form):

* ``arn:aws:states:::states:startExecution`` / ``qrn:qcs:asw:R:A:sdk:json:qcloud:asw:StartExecution``
  (request-response): start the child, answer ``{"ExecutionArn", "StartDate"}``;
* ``...startExecution.sync`` / ``...:asw:StartExecution.sync``: wait for the child and
  answer its DescribeExecution (``Output`` as JSON text); its failure, time-out or abort
  fails the Task with ``States.TaskFailed``;
* ``...startExecution.sync:2``: the same with ``Input`` / ``Output`` as JSON values.

Parameters: ``StateMachineArn`` (an ARN ending in ``:stateMachine:NAME``, or just NAME:
one of the parent owner's workflows), ``Input`` (a value or JSON text), ``Name``
(optional; by default a name derived from the Task attempt, so a Task offered again
after a crash finds the child it already started instead of starting another).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from backend.engine.resources import PENDING, ResourceSpec, TaskCall, TaskOutcome
from backend.executions.models import Execution, ExecutionStatus
from backend.integrations.roles import permission_denied
from backend.workflows.models import WorkflowTemplate, WorkflowType

_ARN_PREFIX = "arn:aws:states:us-east-1:111111111111"


def is_child_workflow(spec: ResourceSpec) -> bool:
    if spec.service == "states":
        return spec.action == "startExecution"
    return spec.service == "asw" and spec.action in ("StartExecution", "StartExecution.sync")


def _mode(spec: ResourceSpec) -> str:
    """"" (request-response), ".sync" or ".sync:2"."""
    if spec.service == "asw":
        return ".sync" if spec.action.endswith(".sync") else ""
    return spec.pattern


def execution_arn(execution: Execution) -> str:
    return f"{_ARN_PREFIX}:execution:{execution.template.name}:{execution.name}"


def state_machine_arn(template: WorkflowTemplate) -> str:
    return f"{_ARN_PREFIX}:stateMachine:{template.name}"


def _ms(moment: Any) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


class ChildWorkflows:
    def __init__(self, parent: Execution, registry: Any):
        self.parent = parent
        self.registry = registry

    def invoke(self, call: TaskCall) -> TaskOutcome | object:
        from backend.executions.runner.api import execution_start  # the API module imports the runner

        role = self.parent.version.role
        denied = permission_denied(call, role, None)
        if denied is not None:
            return denied
        params = call.payload if isinstance(call.payload, dict) else {}
        arn = params.get("StateMachineArn")
        if not isinstance(arn, str) or not arn:
            return TaskOutcome.failed("States.Runtime", "startExecution needs Parameters.StateMachineArn")
        template_name = arn.rsplit(":stateMachine:", 1)[-1].split(":", 1)[0]
        template = WorkflowTemplate.objects.filter(owner_id=self.parent.template.owner_id, name=template_name).first()
        if template is None:
            return TaskOutcome.failed("StepFunctions.StateMachineDoesNotExistException",
                                      f"State Machine Does Not Exist: '{arn}'")
        child_input = params.get("Input", {})
        input_text = child_input if isinstance(child_input, str) else json.dumps(child_input, ensure_ascii=False)
        # The redrive count keeps a redriven attempt (same event ids) from finding the old child.
        attempt = f"{call.attempt_key}#{self.parent.redrive_count}"
        name = params.get("Name") or hashlib.sha256(attempt.encode()).hexdigest()[:40]
        mode = _mode(call.spec)
        if template.type == WorkflowType.EXPRESS:
            return self._express_child(template, name, input_text, mode)
        child = Execution.objects.select_related("template").filter(template=template, name=name).first()
        if child is None:
            child = execution_start(template=template, name=name, input=input_text, parent=self.parent).execution
        if not mode:
            return TaskOutcome.succeeded({"ExecutionArn": execution_arn(child), "StartDate": _ms(child.started_at)})
        if child.status in (ExecutionStatus.RUNNING, ExecutionStatus.PENDING_REDRIVE):
            return PENDING  # the child's end wakes this execution
        description = _describe(child, as_json=mode == ".sync:2")
        if child.status == ExecutionStatus.SUCCEEDED:
            return TaskOutcome.succeeded(description)
        return TaskOutcome.failed("States.TaskFailed", json.dumps(description, ensure_ascii=False))


    def _express_child(self, template: WorkflowTemplate, name: str, input_text: str, mode: str) -> TaskOutcome:
        """An Express child: ``.sync`` runs it here and now (it lasts five minutes at most)."""
        from backend.executions.runner.api import execution_start, execution_start_sync

        if not mode:
            started = execution_start(template=template, name=name, input=input_text).execution
            return TaskOutcome.succeeded({"ExecutionArn": f"{_ARN_PREFIX}:express:{template.name}:{name}",
                                          "StartDate": _ms(started.started_at)})
        result = execution_start_sync(template=template, input=input_text, name=name)
        as_json = mode == ".sync:2"
        described: dict[str, Any] = {
            "ExecutionArn": result.execution_arn, "Input": json.loads(input_text) if as_json else input_text,
            "InputDetails": {"Included": True}, "Name": result.name, "StartDate": _ms(result.start_date),
            "StateMachineArn": state_machine_arn(template), "Status": result.status,
            "StopDate": _ms(result.stop_date),
        }
        if result.status == ExecutionStatus.SUCCEEDED:
            described["Output"] = json.loads(result.output) if as_json else result.output
            described["OutputDetails"] = {"Included": True}
            return TaskOutcome.succeeded(described)
        described.update({key: value for key, value in (("Error", result.error), ("Cause", result.cause)) if value})
        return TaskOutcome.failed("States.TaskFailed", json.dumps(described, ensure_ascii=False))


def _describe(child: Execution, *, as_json: bool) -> dict[str, Any]:
    described: dict[str, Any] = {
        "ExecutionArn": execution_arn(child),
        "Input": json.loads(child.input) if as_json else child.input,
        "InputDetails": {"Included": True},
        "Name": child.name,
        "StartDate": _ms(child.started_at),
        "StateMachineArn": state_machine_arn(child.template),
        "Status": child.status,
        "StopDate": _ms(child.stopped_at),
    }
    if child.status == ExecutionStatus.SUCCEEDED:
        described["Output"] = json.loads(child.output) if as_json and child.output else child.output
        described["OutputDetails"] = {"Included": True}
    else:
        if child.error is not None:
            described["Error"] = child.error
        if child.cause is not None:
            described["Cause"] = child.cause
    return described
