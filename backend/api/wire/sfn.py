"""The Step Functions wire API (AWS JSON 1.0, ``X-Amz-Target: AWSStepFunctions.<Op>``) at POST /.

boto3 and the AWS CLI work against it with ``endpoint_url``. Errors are HTTP 400 (our own
faults 5xx) with ``{"__type", "message"}`` and the ``x-amzn-ErrorType`` header.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from backend.accounts.selectors import SigningKey, signing_key_get
from backend.accounts.services import credential_touch
from backend.api import access, runtime
from backend.api.errors import ApiError, diagnostic_dict
from backend.api.services import template_delete
from backend.api.state_test import state_test
from backend.api.wire import resources
from backend.api.wire.params import Params, parse_object
from backend.api.wire.signatures import SignatureProblem, verify_sigv4
from backend.engine.history import event_to_aws
from backend.engine.validation import validate
from backend.executions.models import ExecutionStatus
from backend.executions.selectors import history_events
from backend.workflows.models import RunRole, WorkflowTemplate, WorkflowType
from backend.workflows.services import UNSET, template_create, template_update

CONTENT_TYPE = "application/x-amz-json-1.0"
TARGET_PREFIX = "AWSStepFunctions."
MAX_DEFINITION_CHARS = 1_048_576
MAX_PAYLOAD_CHARS = 262_144

_SIGNATURE_ERRORS = {
    "missing": ("MissingAuthenticationTokenException", 403),
    "malformed": ("IncompleteSignatureException", 400),
    "expired": ("InvalidSignatureException", 400),
    "unknown_key": ("UnrecognizedClientException", 400),
    "token": ("UnrecognizedClientException", 400),
    "mismatch": ("InvalidSignatureException", 400),
}


class Call:
    def __init__(self, user: AbstractBaseUser, region: str, data: dict[str, Any]):
        self.user = user
        self.region = region
        self.params = Params(data, missing="ValidationException", invalid="ValidationException")


def _reply(body: dict[str, Any], request_id: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type=CONTENT_TYPE, status=status)
    response["x-amzn-RequestId"] = request_id
    return response


def _error(code: str, message: str, request_id: str, status: int = 400) -> HttpResponse:
    response = _reply({"__type": code, "message": message}, request_id, status)
    response["x-amzn-ErrorType"] = code
    return response


def handle(request: HttpRequest) -> HttpResponse:
    request_id = str(uuid.uuid4())
    try:
        body = request.body
    except RequestDataTooBig:
        return _error("ValidationException", "The request body is too large.", request_id, 413)
    try:
        signer, region = verify_sigv4(
            method=request.method or "POST",
            path=request.path,
            query_string=request.META.get("QUERY_STRING", ""),
            headers=request.headers,
            body=body,
            lookup=_signing_key,
            now=time.time(),
        )
    except SignatureProblem as problem:
        code, status = _SIGNATURE_ERRORS[problem.kind]
        return _error(code, problem.message, request_id, status)
    credential_touch(secret_id=signer.secret_id)
    user = signer.user
    request.user = user  # the audit log records who acted (the audit context reads request.user)
    target = request.headers.get("X-Amz-Target", "")
    operation = OPERATIONS.get(target[len(TARGET_PREFIX):]) if target.startswith(TARGET_PREFIX) else None
    try:
        if operation is None:
            raise ApiError("UnknownOperationException", f"Unknown operation '{target}'.")
        return _reply(operation(Call(user, region, parse_object(body, code="SerializationException"))), request_id)
    except ApiError as error:
        status = 501 if error.code == "NotImplemented" else 400
        return _error(error.code, error.message, request_id, status)


def _signing_key(access_key: str) -> tuple[SigningKey, str] | None:
    found = signing_key_get(secret_id=access_key)
    return None if found is None else (found, found.secret_key)


# --- state machines ----------------------------------------------------------------------


def _role_from_arn(call: Call, role_arn: str | None) -> RunRole | None:
    """``arn:aws:iam::ACCOUNT:role/[path/]NAME`` -> the caller's run role NAME (None if they have none)."""
    if role_arn is None:
        return None
    if not role_arn.startswith("arn:") or ":role/" not in role_arn:
        raise ApiError("InvalidArn", f"Invalid Arn: '{role_arn}'")
    return access.role_get_by_name(owner_id=call.user.pk, name=role_arn.rsplit("/", 1)[-1])


def _role_arn(template: WorkflowTemplate) -> str:
    name = template.role.name if template.role is not None else "no-role"
    return f"arn:aws:iam::{resources.account_id(template.owner_id)}:role/{name}"


def _template(call: Call) -> WorkflowTemplate:
    owner_id, name = resources.parse_state_machine_arn(call.params.string("stateMachineArn", required=True))
    return access.template_get_by_name(user=call.user, owner_id=owner_id, name=name)


def create_state_machine(call: Call) -> dict[str, Any]:
    p = call.params
    name = p.string("name", required=True)
    definition = p.string("definition", required=True, max_length=MAX_DEFINITION_CHARS)
    role_arn = p.string("roleArn", required=True, max_length=256)
    kind = p.string("type") or WorkflowType.STANDARD
    if kind not in WorkflowType.values:
        raise ApiError("StateMachineTypeNotSupported", f"State machine type '{kind}' is not supported.")
    role = _role_from_arn(call, role_arn)
    with runtime.service_errors():
        template = template_create(owner=call.user, name=name, definition=definition, type=kind, role=role)
    out = {"stateMachineArn": resources.state_machine_arn(template, call.region),
           "creationDate": resources.epoch_seconds(template.created_at)}
    if p.boolean("publish"):
        out["stateMachineVersionArn"] = f"{out['stateMachineArn']}:{template.next_version_number - 1}"
    return out


def describe_state_machine(call: Call) -> dict[str, Any]:
    template = _template(call)
    return {
        "stateMachineArn": resources.state_machine_arn(template, call.region),
        "name": template.name,
        "status": "ACTIVE",
        "definition": template.definition,
        "roleArn": _role_arn(template),
        "type": template.type,
        "creationDate": resources.epoch_seconds(template.created_at),
        "description": template.description,
        "revisionId": str(template.next_version_number - 1),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": {"enabled": False},
    }


def _page(call: Call, *, default: int = 100) -> tuple[int, int]:
    limit = call.params.integer("maxResults", default=0, low=0, high=1000) or default
    token = call.params.string("nextToken", max_length=1024)
    if token is None:
        return 0, limit
    try:
        offset = int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("o:"))
    except (ValueError, UnicodeDecodeError):
        raise ApiError("InvalidToken", f"Invalid Token: '{token}'") from None
    if not 0 <= offset <= 2**31:
        raise ApiError("InvalidToken", f"Invalid Token: '{token}'")
    return offset, limit


def _next_token(offset: int, limit: int, total: int) -> str | None:
    following = offset + limit
    return base64.urlsafe_b64encode(f"o:{following}".encode()).decode() if following < total else None


def list_state_machines(call: Call) -> dict[str, Any]:
    offset, limit = _page(call)
    templates = access.templates_visible(user=call.user).order_by("name", "id")
    total = templates.count()
    out: dict[str, Any] = {
        "stateMachines": [
            {"stateMachineArn": resources.state_machine_arn(t, call.region), "name": t.name, "type": t.type,
             "creationDate": resources.epoch_seconds(t.created_at)}
            for t in templates[offset : offset + limit]
        ]
    }
    token = _next_token(offset, limit, total)
    if token:
        out["nextToken"] = token
    return out


def update_state_machine(call: Call) -> dict[str, Any]:
    p = call.params
    definition = p.string("definition", max_length=MAX_DEFINITION_CHARS)
    role_arn = p.string("roleArn", max_length=256)
    if definition is None and role_arn is None and p.data.get("loggingConfiguration") is None \
            and p.data.get("tracingConfiguration") is None:
        raise ApiError("MissingRequiredParameter", "Either the definition, the roleArn, the loggingConfiguration, "
                       "or the tracingConfiguration must be specified")
    template = _template(call)
    role = _role_from_arn(call, role_arn) if role_arn is not None else UNSET
    with runtime.service_errors():
        template = template_update(template=template, definition=definition, role=role,
                                   description=p.string("versionDescription"))
    out = {"updateDate": resources.epoch_seconds(template.updated_at), "revisionId": str(template.next_version_number - 1)}
    if p.boolean("publish"):
        out["stateMachineVersionArn"] = (
            f"{resources.state_machine_arn(template, call.region)}:{template.next_version_number - 1}"
        )
    return out


def delete_state_machine(call: Call) -> dict[str, Any]:
    try:
        template = _template(call)
    except ApiError as error:
        if error.code == "StateMachineDoesNotExist":
            return {}  # as AWS: deleting a missing state machine succeeds
        raise
    template_delete(template=template)
    return {}


def validate_state_machine_definition(call: Call) -> dict[str, Any]:
    p = call.params
    definition = p.string("definition", required=True, max_length=MAX_DEFINITION_CHARS)
    kind = p.string("type") or "STANDARD"
    severity = p.string("severity") or "ERROR"
    limit = p.integer("maxResults", default=0, low=0, high=100) or 100
    report = validate(definition, workflow_type=kind)
    shown = [d for d in report.diagnostics if severity == "WARNING" or d.severity == "ERROR"]
    return {
        "result": report.result,
        "diagnostics": [diagnostic_dict(d) for d in shown[:limit]],
        "truncated": report.truncated or len(shown) > limit,
    }


# --- executions --------------------------------------------------------------------------


def _execution(call: Call):  # type: ignore[no-untyped-def]
    arn = call.params.string("executionArn", required=True, max_length=2048)
    return resources.execution_find(user=call.user, ref=resources.parse_execution_arn(arn), label=arn)


def _start_arguments(call: Call) -> tuple[WorkflowTemplate, str | None, str]:
    p = call.params
    try:
        text = p.json_text("input", max_length=MAX_PAYLOAD_CHARS)
    except ApiError as error:
        raise ApiError("InvalidExecutionInput", error.message, field="input") from None
    name = p.string("name", max_length=80)
    return _template(call), name, "{}" if text is None else text


def start_execution(call: Call) -> dict[str, Any]:
    template, name, text = _start_arguments(call)
    execution = runtime.execution_start(template=template, name=name, input=text)
    return {"executionArn": resources.execution_arn(execution, call.region),
            "startDate": resources.epoch_seconds(execution.started_at)}


def _execution_description(execution: Any, region: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "executionArn": resources.execution_arn(execution, region),
        "stateMachineArn": resources.state_machine_arn(execution.template, region),
        "name": execution.name,
        "status": execution.status,
        "startDate": resources.epoch_seconds(execution.started_at),
        "input": execution.input,
        "inputDetails": {"included": True},
    }
    optional = {
        "stopDate": resources.epoch_seconds(execution.stopped_at),
        "output": execution.output,
        "error": execution.error,
        "cause": execution.cause,
    }
    out.update({key: value for key, value in optional.items() if value is not None})
    if execution.output is not None:
        out["outputDetails"] = {"included": True}
    return out


def start_sync_execution(call: Call) -> dict[str, Any]:
    template, name, text = _start_arguments(call)
    if template.type != WorkflowType.EXPRESS:
        raise ApiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
    result = runtime.execution_start_sync(template=template, name=name, input=text)
    account = resources.account_id(template.owner_id)
    out: dict[str, Any] = {
        "executionArn": f"arn:aws:states:{call.region}:{account}:express:{template.name}:{result.name}:{uuid.uuid4().hex}",
        "stateMachineArn": resources.state_machine_arn(template, call.region),
        "name": result.name,
        "startDate": resources.epoch_seconds(result.start_date),
        "stopDate": resources.epoch_seconds(result.stop_date),
        "status": result.status,
        "input": text,
        "inputDetails": {"included": True},
        "billingDetails": {
            "billedMemoryUsedInMB": 64,
            "billedDurationInMilliseconds": max(100, int((result.stop_date - result.start_date).total_seconds() * 1000)),
        },
    }
    optional = {"output": result.output, "error": result.error, "cause": result.cause}
    out.update({key: value for key, value in optional.items() if value is not None})
    if result.output is not None:
        out["outputDetails"] = {"included": True}
    return out


def describe_execution(call: Call) -> dict[str, Any]:
    execution = _execution(call)
    out = _execution_description(execution, call.region)
    out["redriveCount"] = execution.redrive_count
    if execution.redriven_at is not None:
        out["redriveDate"] = resources.epoch_seconds(execution.redriven_at)
    redrivable = execution.status in (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED)
    out["redriveStatus"] = "REDRIVABLE" if redrivable else "NOT_REDRIVABLE"
    return out


def list_executions(call: Call) -> dict[str, Any]:
    p = call.params
    template = _template(call)
    offset, limit = _page(call)
    executions = access.executions_visible(user=call.user).filter(template=template, parent__isnull=True)
    status = p.string("statusFilter")
    if status is not None:
        if status not in ExecutionStatus.values:
            raise ApiError("ValidationException", f"statusFilter '{status}' is not an execution status.")
        executions = executions.filter(status=status)
    executions = executions.order_by("-started_at", "-id")
    total = executions.count()
    items = []
    for e in executions[offset : offset + limit]:
        item = {"executionArn": resources.execution_arn(e, call.region),
                "stateMachineArn": resources.state_machine_arn(template, call.region),
                "name": e.name, "status": e.status, "startDate": resources.epoch_seconds(e.started_at),
                "redriveCount": e.redrive_count}
        if e.stopped_at is not None:
            item["stopDate"] = resources.epoch_seconds(e.stopped_at)
        items.append(item)
    out: dict[str, Any] = {"executions": items}
    token = _next_token(offset, limit, total)
    if token:
        out["nextToken"] = token
    return out


def stop_execution(call: Call) -> dict[str, Any]:
    p = call.params
    execution = _execution(call)
    stopped = runtime.execution_stop(execution=execution, error=p.string("error", max_length=256),
                                     cause=p.string("cause", max_length=32768))
    return {"stopDate": resources.epoch_seconds(stopped.stopped_at) or time.time()}


def redrive_execution(call: Call) -> dict[str, Any]:
    execution = runtime.execution_redrive(execution=_execution(call))
    return {"redriveDate": resources.epoch_seconds(execution.redriven_at) or time.time()}


def get_execution_history(call: Call) -> dict[str, Any]:
    p = call.params
    execution = _execution(call)
    offset, limit = _page(call)
    include_data = p.boolean("includeExecutionData", default=True)
    events = history_events(execution_id=execution.pk)
    if p.boolean("reverseOrder", default=False):
        events.reverse()
    page = []
    for event in events[offset : offset + limit]:
        shaped = event_to_aws(event)
        shaped["timestamp"] = event.timestamp
        if not include_data:
            for key, value in shaped.items():
                if key.endswith("EventDetails") and isinstance(value, dict):
                    for field in ("input", "output"):
                        if field in value:
                            value.pop(field)
                            value[field + "Details"] = {"included": False}
        page.append(shaped)
    out: dict[str, Any] = {"events": page}
    token = _next_token(offset, limit, len(events))
    if token:
        out["nextToken"] = token
    return out


def test_state(call: Call) -> dict[str, Any]:
    """TestState: the state's definition (JSON text), input, roleArn -> output/error, nextState, inspectionData."""
    p = call.params
    text = p.string("definition", required=True, max_length=MAX_DEFINITION_CHARS)
    role_arn = p.string("roleArn", max_length=256)
    try:
        definition = json.loads(text)
    except ValueError as error:
        raise ApiError("InvalidDefinition", f"Invalid State Machine Definition: '{error}'") from None
    try:
        input_text = p.json_text("input", max_length=MAX_PAYLOAD_CHARS) or "{}"
    except ApiError as error:
        raise ApiError("InvalidExecutionInput", error.message) from None
    answer = state_test(owner=call.user, definition=definition, state_name=p.string("stateName", max_length=80),
                        input_text=input_text, role=_role_from_arn(call, role_arn))
    as_text = {key: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
               for key, value in answer.pop("inspectionData").items()}
    if "output" in answer:
        answer["output"] = json.dumps(answer["output"], ensure_ascii=False, separators=(",", ":"))
    if answer.get("nextState") is None:
        answer.pop("nextState", None)
    if p.string("inspectionLevel") in ("DEBUG", "TRACE"):
        answer["inspectionData"] = as_text
    return answer


# --- task callbacks ----------------------------------------------------------------------


def _token(call: Call) -> str:
    token = call.params.string("taskToken", required=True, max_length=1024)
    access.token_check(user=call.user, token=token)
    return token


def send_task_success(call: Call) -> dict[str, Any]:
    token = _token(call)
    output = call.params.string("output", required=True, max_length=MAX_PAYLOAD_CHARS)
    runtime.send_task_success(token=token, output=output)
    return {}


def send_task_failure(call: Call) -> dict[str, Any]:
    p = call.params
    token = _token(call)
    runtime.send_task_failure(token=token, error=p.string("error", max_length=256), cause=p.string("cause", max_length=32768))
    return {}


def send_task_heartbeat(call: Call) -> dict[str, Any]:
    runtime.send_task_heartbeat(token=_token(call))
    return {}


OPERATIONS: dict[str, Callable[[Call], dict[str, Any]]] = {
    "CreateStateMachine": create_state_machine,
    "DescribeStateMachine": describe_state_machine,
    "ListStateMachines": list_state_machines,
    "UpdateStateMachine": update_state_machine,
    "DeleteStateMachine": delete_state_machine,
    "ValidateStateMachineDefinition": validate_state_machine_definition,
    "TestState": test_state,
    "StartExecution": start_execution,
    "StartSyncExecution": start_sync_execution,
    "DescribeExecution": describe_execution,
    "ListExecutions": list_executions,
    "StopExecution": stop_execution,
    "RedriveExecution": redrive_execution,
    "GetExecutionHistory": get_execution_history,
    "SendTaskSuccess": send_task_success,
    "SendTaskFailure": send_task_failure,
    "SendTaskHeartbeat": send_task_heartbeat,
}
