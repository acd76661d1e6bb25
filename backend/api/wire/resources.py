"""External names for our objects: Step Functions ARNs and ASW QRNs, and finding objects by them.

The account id (AWS) / uin (Tencent) is the owner's user id as 12 digits, so a name says
whose object it is; lookups still go through ``access`` so a user reaches only their own
(staff: anyone's). Express executions are not unique by name, so their names end in the
execution's id (Step Functions does the same with a UUID).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser

from backend.api import access
from backend.api.errors import ApiError, not_found
from backend.executions.models import Execution
from backend.workflows.models import WorkflowTemplate, WorkflowType

_ACCOUNT = re.compile(r"\d{1,12}\Z")


def account_id(owner_id: int) -> str:
    return f"{owner_id:012d}"


def epoch_seconds(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


class ExecutionRef(NamedTuple):
    owner_id: int
    workflow: str
    name: str
    express_id: str | None  # Express executions only: the row id, or a uuid while unrecorded


# --- Step Functions ARNs -----------------------------------------------------------------


def state_machine_arn(template: WorkflowTemplate, region: str) -> str:
    return f"arn:aws:states:{region}:{account_id(template.owner_id)}:stateMachine:{template.name}"


def _express_id(execution: Execution) -> str:
    """The row id; an Express run still in flight has no row yet (the runner records it at the end)."""
    return str(execution.pk) if execution.pk is not None else uuid.uuid4().hex


def execution_arn(execution: Execution, region: str) -> str:
    account = account_id(execution.template.owner_id)
    if execution.type == WorkflowType.EXPRESS:
        return f"arn:aws:states:{region}:{account}:express:{execution.template.name}:{execution.name}:{_express_id(execution)}"
    return f"arn:aws:states:{region}:{account}:execution:{execution.template.name}:{execution.name}"


def _arn_parts(arn: object, kinds: tuple[str, ...]) -> tuple[int, str, list[str]]:
    if not isinstance(arn, str) or len(arn) > 2048:
        raise ApiError("InvalidArn", f"Invalid Arn: '{arn}'")
    parts = arn.split(":")
    if len(parts) < 7 or parts[:3] != ["arn", "aws", "states"] or not _ACCOUNT.match(parts[4]) or parts[5] not in kinds:
        raise ApiError("InvalidArn", f"Invalid Arn: '{arn}'")
    return int(parts[4]), parts[5], parts[6:]


def parse_state_machine_arn(arn: object) -> tuple[int, str]:
    owner_id, _, rest = _arn_parts(arn, ("stateMachine",))
    if len(rest) != 1 or not rest[0]:
        # stateMachine:NAME:VERSION / alias ARNs: versions and aliases are not offered here.
        raise ApiError("InvalidArn", f"Invalid Arn: '{arn}'")
    return owner_id, rest[0]


def parse_execution_arn(arn: object) -> ExecutionRef:
    owner_id, kind, rest = _arn_parts(arn, ("execution", "express"))
    if kind == "execution" and len(rest) == 2 and all(rest):
        return ExecutionRef(owner_id, rest[0], rest[1], None)
    if kind == "express" and len(rest) == 3 and all(rest):
        return ExecutionRef(owner_id, rest[0], rest[1], rest[2])
    raise ApiError("InvalidArn", f"Invalid Arn: '{arn}'")


# --- ASW QRNs ----------------------------------------------------------------------------


def flow_service_qrn(template: WorkflowTemplate, region: str) -> str:
    return f"qrn:qcs:asw:{region}:{account_id(template.owner_id)}:stateMachine:{template.name}"


def execution_qrn(execution: Execution, region: str) -> str:
    base = f"qrn:qcs:asw:{region}:{account_id(execution.template.owner_id)}:execution:{execution.template.name}:{execution.name}"
    return f"{base}:{_express_id(execution)}" if execution.type == WorkflowType.EXPRESS else base


def _qrn_parts(qrn: str, kind: str) -> tuple[int, list[str]] | None:
    parts = qrn.split(":")
    if len(parts) < 7 or parts[:3] != ["qrn", "qcs", "asw"] or not _ACCOUNT.match(parts[4]) or parts[5] != kind:
        return None
    return int(parts[4]), parts[6:]


def parse_flow_service_qrn(qrn: str, *, caller_id: int) -> tuple[int, str]:
    """A QRN, or a bare workflow name of the caller's own account."""
    if ":" not in qrn:
        return caller_id, qrn
    parsed = _qrn_parts(qrn, "stateMachine")
    if parsed is None or len(parsed[1]) != 1 or not parsed[1][0]:
        raise ApiError("InvalidParameterValue", f"FlowServiceResource '{qrn}' is not a workflow resource name.")
    return parsed[0], parsed[1][0]


def parse_execution_qrn(qrn: str) -> ExecutionRef:
    parsed = _qrn_parts(qrn, "execution")
    if parsed is not None:
        owner_id, rest = parsed
        if len(rest) == 2 and all(rest):
            return ExecutionRef(owner_id, rest[0], rest[1], None)
        if len(rest) == 3 and all(rest):
            return ExecutionRef(owner_id, rest[0], rest[1], rest[2])
    raise ApiError("InvalidParameterValue", f"'{qrn}' is not an execution resource name.")


# --- lookups -----------------------------------------------------------------------------


def execution_find(*, user: AbstractBaseUser, ref: ExecutionRef, label: str) -> Execution:
    try:
        template = access.template_get_by_name(user=user, owner_id=ref.owner_id, name=ref.workflow)
    except ApiError:
        raise not_found("execution", label) from None
    executions = access.executions_visible(user=user).filter(template=template, name=ref.name)
    if ref.express_id is not None:
        executions = executions.filter(type=WorkflowType.EXPRESS)
        if ref.express_id.isdigit() and len(ref.express_id) <= 18:
            executions = executions.filter(pk=int(ref.express_id))
    else:
        executions = executions.filter(type=WorkflowType.STANDARD)
    execution = executions.first()
    if execution is None:
        raise not_found("execution", label)
    return execution
