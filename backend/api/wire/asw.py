"""The ASW action API (tencentcloud-sdk-python ``asw`` v20200722): nine actions at POST /.

Replies are ``{"Response": {..., "RequestId"}}``; errors are
``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` with HTTP 200 and a
Content-Type of exactly ``application/json`` (anything else hides the error from the SDK).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, JsonResponse

from backend.accounts.selectors import SigningKey, signing_key_get
from backend.accounts.services import credential_touch
from backend.api import access, runtime
from backend.api.errors import ApiError
from backend.api.models import FlowServiceExtras
from backend.api.wire import resources
from backend.api.wire.params import Params, parse_object, task_resources
from backend.api.wire.signatures import SignatureProblem, verify_tc3
from backend.executions.models import ExecutionStatus
from backend.executions.selectors import history_events
from backend.workflows.models import RunRole, WorkflowTemplate, WorkflowType
from backend.workflows.services import role_create, template_create, template_update

API_VERSION = "2020-07-22"
DEFAULT_REGION = "ap-guangzhou"
MAX_INPUT_CHARS = 524_288

_SIGNATURE_CODES = {
    "missing": "AuthFailure.InvalidAuthorization",
    "malformed": "AuthFailure.InvalidAuthorization",
    "expired": "AuthFailure.SignatureExpire",
    "unknown_key": "AuthFailure.SecretIdNotFound",
    "token": "AuthFailure.TokenFailure",
    "mismatch": "AuthFailure.SignatureFailure",
}

# Step Functions error codes (ours) -> ASW's.
_ERROR_CODES = {
    "StateMachineDoesNotExist": "ResourceNotFound",
    "ExecutionDoesNotExist": "ResourceNotFound",
    "ResourceNotFound": "ResourceNotFound",
    "StateMachineAlreadyExists": "ResourceInUse",
    "ExecutionAlreadyExists": "ResourceInUse",
    "ResourceAlreadyExists": "ResourceInUse",
    "ResourceInUse": "ResourceInUse",
    "NotImplemented": "UnsupportedOperation",
    "MissingParameter": "MissingParameter",
    "InvalidParameter": "InvalidParameter",
    "InvalidAction": "InvalidAction",
    "NoSuchVersion": "NoSuchVersion",
    "RequestSizeLimitExceeded": "RequestSizeLimitExceeded",
    "UnsupportedOperation": "UnsupportedOperation",
}

_STATUS = {
    ExecutionStatus.RUNNING: "RUNNING",
    ExecutionStatus.PENDING_REDRIVE: "RUNNING",
    ExecutionStatus.SUCCEEDED: "SUCCEED",
    ExecutionStatus.FAILED: "FAILED",
    ExecutionStatus.TIMED_OUT: "FAILED",
    ExecutionStatus.ABORTED: "TERMINATED",
}
_STATUS_FILTER = {
    "INIT": [],
    "RUNNING": [ExecutionStatus.RUNNING, ExecutionStatus.PENDING_REDRIVE],
    "SUCCEED": [ExecutionStatus.SUCCEEDED],
    "FAILED": [ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT],
    "TERMINATED": [ExecutionStatus.ABORTED],
}


class Call:
    """One authenticated action call: who, where, and its parameters."""

    def __init__(self, user: AbstractBaseUser, region: str, data: dict[str, Any]):
        self.user = user
        self.region = region
        self.params = Params(data, missing="MissingParameter", invalid="InvalidParameterValue")


def _ms(moment: Any) -> str:
    return "0" if moment is None else str(int(moment.timestamp() * 1000))


def _seconds(moment: Any) -> str:
    return str(int(moment.timestamp()))


def _reply(body: dict[str, Any], request_id: str) -> JsonResponse:
    return JsonResponse({"Response": {**body, "RequestId": request_id}})


def _error(code: str, message: str, request_id: str) -> JsonResponse:
    return _reply({"Error": {"Code": code, "Message": message}}, request_id)


def handle(request: HttpRequest) -> JsonResponse:
    request_id = str(uuid.uuid4())
    try:
        body = request.body
    except RequestDataTooBig:
        return _error("RequestSizeLimitExceeded", "The request body is too large.", request_id)
    try:
        signer = verify_tc3(
            method=request.method or "POST",
            query_string=request.META.get("QUERY_STRING", ""),
            headers=request.headers,
            body=body,
            lookup=_signing_key,
            now=time.time(),
        )
    except SignatureProblem as problem:
        return _error(_SIGNATURE_CODES[problem.kind], problem.message, request_id)
    credential_touch(secret_id=signer.secret_id)
    user = signer.user
    request.user = user  # the audit log records who acted (the audit context reads request.user)
    action_name = request.headers.get("X-TC-Action", "")
    version = request.headers.get("X-TC-Version")
    region = (request.headers.get("X-TC-Region") or DEFAULT_REGION).strip() or DEFAULT_REGION
    try:
        if version is not None and version != API_VERSION:
            raise ApiError("NoSuchVersion", f"The API version '{version}' does not exist; use {API_VERSION}.")
        action = ACTIONS.get(action_name)
        if action is None:
            raise ApiError("InvalidAction", f"The action '{action_name}' does not exist.")
        call = Call(user, region, parse_object(body, code="InvalidParameter"))
        return _reply(action(call), request_id)
    except ApiError as error:
        return _error(_ERROR_CODES.get(error.code, "InvalidParameterValue" if error.status < 500 else "FailedOperation"),
                      error.message, request_id)


def _signing_key(secret_id: str) -> tuple[SigningKey, str] | None:
    found = signing_key_get(secret_id=secret_id)
    return None if found is None else (found, found.secret_key)


# --- workflows ---------------------------------------------------------------------------


def _role_for(call: Call, role_resource: str | None, is_new_role: bool | None, definition: str) -> RunRole | None:
    """``qcs::cam::uin/UIN:roleName/NAME`` -> the caller's run role NAME.

    IsNewRole creates the role when missing, allowing the Task resources the definition calls.
    A role that does not exist otherwise leaves the workflow without one.
    """
    if not role_resource:
        return None
    name = role_resource.rsplit("roleName/", 1)[-1] if "roleName/" in role_resource else role_resource
    role = access.role_get_by_name(owner_id=call.user.pk, name=name)
    if role is None and is_new_role:
        try:
            patterns = task_resources(json.loads(definition))
        except ValueError:
            patterns = []
        with runtime.service_errors():
            role = role_create(owner=call.user, name=name, description="created by ASW IsNewRole", allowed_resources=patterns)
    return role


def _template(call: Call, member: str) -> WorkflowTemplate:
    qrn = call.params.string(member, required=True, max_length=2048)
    owner_id, name = resources.parse_flow_service_qrn(qrn, caller_id=call.user.pk)
    return access.template_get_by_name(user=call.user, owner_id=owner_id, name=name)


def _type(call: Call) -> str:
    kind = call.params.string("Type", required=True).upper()
    if kind not in WorkflowType.values:
        raise ApiError("InvalidParameterValue", f"Type must be STANDARD or EXPRESS, not '{kind}'.", field="Type")
    return kind


def create_flow_service(call: Call) -> dict[str, Any]:
    p = call.params
    definition = p.string("Definition", required=True)
    name = p.string("FlowServiceName", required=True)
    is_new_role = p.boolean("IsNewRole")
    if is_new_role is None:
        raise ApiError("MissingParameter", "The parameter IsNewRole is required.", field="IsNewRole")
    kind = _type(call)
    default_input = p.json_text("Input", max_length=MAX_INPUT_CHARS)
    with transaction.atomic(), runtime.service_errors():
        role = _role_for(call, p.string("RoleResource"), is_new_role, definition)
        template = template_create(
            owner=call.user, name=name, definition=definition, type=kind, role=role,
            description=p.string("Description") or "",
        )
        FlowServiceExtras.objects.create(
            template=template,
            chinese_name=p.string("FlowServiceChineseName", max_length=200) or "",
            enable_cls=bool(p.boolean("EnableCLS", default=False)),
            default_input=default_input,
        )
    return {"FlowServiceResource": resources.flow_service_qrn(template, call.region),
            "CreateDate": _seconds(template.created_at)}


def modify_flow_service(call: Call) -> dict[str, Any]:
    p = call.params
    template = _template(call, "FlowServiceResource")
    definition = p.string("Definition", required=True)
    name = p.string("FlowServiceName", required=True)
    chinese_name = p.string("FlowServiceChineseName", max_length=200)
    is_new_role = p.boolean("IsNewRole")
    kind = _type(call)
    if name != template.name:
        raise ApiError("UnsupportedOperation", f"Workflows cannot be renamed ('{template.name}' to '{name}').")
    with transaction.atomic(), runtime.service_errors():
        role = _role_for(call, p.string("RoleResource"), is_new_role, definition)
        template = template_update(template=template, definition=definition, role=role, type=kind,
                                   description=p.string("Description"))
        extras, _ = FlowServiceExtras.objects.get_or_create(template=template)
        if chinese_name is not None:
            extras.chinese_name = chinese_name
        enable_cls = p.boolean("EnableCLS")
        if enable_cls is not None:
            extras.enable_cls = enable_cls
        extras.save()
    return {"FlowServiceResource": resources.flow_service_qrn(template, call.region), "UpdateDate": _ms(template.updated_at)}


def _extras(template: WorkflowTemplate) -> FlowServiceExtras:
    return getattr(template, "asw_extras", None) or FlowServiceExtras(template=template)


def _role_resource(template: WorkflowTemplate) -> str | None:
    if template.role is None:
        return None
    return f"qcs::cam::uin/{resources.account_id(template.owner_id)}:roleName/{template.role.name}"


def _state_machine(template: WorkflowTemplate, region: str) -> dict[str, Any]:
    extras = _extras(template)
    return {
        "FlowServiceResource": resources.flow_service_qrn(template, region),
        "Type": template.type,
        "FlowServiceName": template.name,
        "FlowServiceChineseName": extras.chinese_name,
        "CreateDate": _seconds(template.created_at),
        "ModifyDate": _ms(template.updated_at),
        "Status": "Online",
        "Creator": resources.account_id(template.owner_id),
        "Modifier": resources.account_id(template.owner_id),
        "FlowServiceId": f"svc-{template.pk}",
        "TemplateId": f"tpl-{template.pk}-{template.next_version_number - 1}",
        "Description": template.description,
    }


def describe_flow_services(call: Call) -> dict[str, Any]:
    p = call.params
    offset = p.integer("Offset", default=0)
    limit = p.integer("Limit", default=20, low=1, high=100)
    templates = access.templates_visible(user=call.user).select_related("asw_extras").order_by("-created_at", "-id")
    filters = p.data.get("Filters") or []
    if not isinstance(filters, list):
        raise ApiError("InvalidParameterValue", "Filters must be a list of {Name, Values}.", field="Filters")
    for index, item in enumerate(filters):
        if not isinstance(item, dict) or not isinstance(item.get("Values"), list) or len(item["Values"]) > 5 \
                or not all(isinstance(v, str) for v in item["Values"]):
            raise ApiError("InvalidParameterValue", f"Filters.{index} must be {{Name, Values[<=5 strings]}}.")
        name, values = item.get("Name"), item["Values"]
        if name == "FlowServiceName":
            templates = templates.filter(name__in=values)
        elif name == "Type":
            templates = templates.filter(type__in=[v.upper() for v in values])
        elif name == "Status":
            if "Online" not in values:
                templates = templates.none()
        else:
            raise ApiError("InvalidParameterValue", f"Filters.{index}.Name must be FlowServiceName, Status or Type.")
    total = templates.count()
    page = templates[offset : offset + limit]
    return {"FlowServiceSet": [_state_machine(t, call.region) for t in page], "TotalCount": total}


def describe_flow_service_detail(call: Call) -> dict[str, Any]:
    template = _template(call, "FlowServiceResource")
    extras = _extras(template)
    return {
        "FlowServiceName": template.name,
        "Status": "Online",
        "Definition": template.definition,
        "RoleResource": _role_resource(template),
        "Type": template.type,
        "CreateDate": _seconds(template.created_at),
        "Description": template.description,
        "FlowServiceChineseName": extras.chinese_name,
        "EnableCLS": extras.enable_cls,
        "CLSUrl": None,
        "FlowInput": extras.default_input,
    }


# --- executions --------------------------------------------------------------------------


def start_execution(call: Call) -> dict[str, Any]:
    p = call.params
    template = _template(call, "StateMachineResourceName")
    text = p.json_text("Input", max_length=MAX_INPUT_CHARS)
    if text is None:
        text = _extras(template).default_input or "{}"
    if not isinstance(json.loads(text), dict):
        raise ApiError("InvalidParameterValue", "Input must be a JSON object.", field="Input")
    name = p.string("Name", max_length=80)
    if template.type == WorkflowType.EXPRESS:
        return _start_express(call, template, name, text)
    execution = runtime.execution_start(template=template, name=name, input=text)
    return {"ExecutionResourceName": resources.execution_qrn(execution, call.region), "StartDate": _ms(execution.started_at)}


def _start_express(call: Call, template: WorkflowTemplate, name: str | None, text: str) -> dict[str, Any]:
    """ASW starts Express executions like Standard ones and then polls DescribeExecution, which
    can only find the runner's summary row: so the run (short by design) completes in this
    request, and the name carries the row's id."""
    result, row = runtime.express_run_recorded(template=template, name=name, input=text)
    qrn = (resources.execution_qrn(row, call.region) if row is not None else
           f"qrn:qcs:asw:{call.region}:{resources.account_id(template.owner_id)}:execution:{template.name}:{result.name}")
    return {"ExecutionResourceName": qrn, "StartDate": _ms(result.start_date)}


def _execution(call: Call, member: str):  # type: ignore[no-untyped-def]
    qrn = call.params.string(member, required=True, max_length=2048)
    return resources.execution_find(user=call.user, ref=resources.parse_execution_qrn(qrn), label=qrn)


def describe_execution(call: Call) -> dict[str, Any]:
    execution = _execution(call, "ExecutionResourceName")
    return {
        "ExecutionResourceName": resources.execution_qrn(execution, call.region),
        "Name": execution.name,
        "StartDate": _ms(execution.started_at),
        "StopDate": _ms(execution.stopped_at),
        "StateMachineResourceName": resources.flow_service_qrn(execution.template, call.region),
        "Status": _STATUS.get(execution.status, execution.status),
        "Input": execution.input,
        "Output": execution.output,
        "ExecutionDefinition": execution.version.definition,
    }


def describe_executions(call: Call) -> dict[str, Any]:
    p = call.params
    template = _template(call, "StateMachineResourceName")
    page_size = p.integer("PageSize", low=1, high=100)
    page_index = p.integer("PageIndex", low=1)
    if page_size is None or page_index is None:
        raise ApiError("MissingParameter", "The parameters PageSize and PageIndex are required.")
    executions = access.executions_visible(user=call.user).filter(template=template, parent__isnull=True)
    status = p.string("FilterExecutionStatus")
    if status is not None:
        if status not in _STATUS_FILTER:
            raise ApiError("InvalidParameterValue", f"FilterExecutionStatus '{status}' is not a status.")
        executions = executions.filter(status__in=_STATUS_FILTER[status])
    name = p.string("FilterExecutionResourceName")
    if name:
        executions = executions.filter(name__icontains=name.rsplit(":", 1)[-1])
    total = executions.count()
    start = (page_index - 1) * page_size
    rows = executions.order_by("-started_at", "-id")[start : start + page_size]
    return {
        "Executions": [
            {
                "ExecutionResourceName": resources.execution_qrn(e, call.region),
                "Name": e.name,
                "StartDate": _ms(e.started_at),
                "StopDate": _ms(e.stopped_at),
                "StateMachineResourceName": resources.flow_service_qrn(e.template, call.region),
                "Status": _STATUS.get(e.status, e.status),
            }
            for e in rows
        ],
        "PageSize": page_size,
        "PageIndex": page_index,
        "TotalCount": total,
    }


_EXECUTION_CATEGORIES = {
    "ExecutionStarted": "ExecutionStart",
    "ExecutionSucceeded": "ExecutionSucceed",
    "ExecutionFailed": "ExecutionFail",
    "ExecutionAborted": "ExecutionTerminate",
    "ExecutionTimedOut": "ExecutionTimeout",
}


def _asw_event(event: Any, execution_qrn: str) -> dict[str, Any]:
    """One Step Functions history event in ASW's ExecutionEvent shape."""
    details = event.details or {}
    kind = event.type
    category, step, content = kind, "", None
    if kind in _EXECUTION_CATEGORIES:
        category = _EXECUTION_CATEGORIES[kind]
        step = "START" if kind == "ExecutionStarted" else "END"
        content = details.get("input") if kind == "ExecutionStarted" else details.get("output")
    elif kind.endswith("StateEntered"):
        category, step, content = kind[: -len("StateEntered")] + "NodeEnter", details.get("name", ""), details.get("input")
    elif kind.endswith("StateExited"):
        category, step, content = kind[: -len("StateExited")] + "NodeExit", details.get("name", ""), details.get("output")
    else:
        content = details.get("output", details.get("parameters"))
    exception = None
    if "error" in details or "cause" in details:
        exception = json.dumps({"Error": details.get("error"), "Cause": details.get("cause")}, ensure_ascii=False)
    return {
        "ExecutionResourceName": execution_qrn,
        "EventId": event.id,
        "EventCategory": category,
        "StepName": step,
        "ResourceName": details.get("resource", ""),
        "Timestamp": str(int(event.timestamp * 1000)),
        "Content": "" if content is None else json.dumps(content, ensure_ascii=False, separators=(",", ":")),
        "Exception": exception,
    }


def describe_execution_history(call: Call) -> dict[str, Any]:
    execution = _execution(call, "ExecutionResourceName")
    qrn = resources.execution_qrn(execution, call.region)
    return {"Events": [_asw_event(e, qrn) for e in history_events(execution_id=execution.pk)]}


def stop_execution(call: Call) -> dict[str, Any]:
    execution = _execution(call, "ExecutionQrn")
    runtime.execution_stop(execution=execution, error=None, cause=None)
    return {}


ACTIONS: dict[str, Callable[[Call], dict[str, Any]]] = {
    "CreateFlowService": create_flow_service,
    "ModifyFlowService": modify_flow_service,
    "DescribeFlowServices": describe_flow_services,
    "DescribeFlowServiceDetail": describe_flow_service_detail,
    "StartExecution": start_execution,
    "StopExecution": stop_execution,
    "DescribeExecution": describe_execution,
    "DescribeExecutions": describe_executions,
    "DescribeExecutionHistory": describe_execution_history,
}
