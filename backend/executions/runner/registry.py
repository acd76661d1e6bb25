"""Which invokers an execution's Tasks reach, under the execution's run role.

``backend.integrations.build_registry(owner=..., role=...)`` (functions, HTTP, Celery
tasks, with ``States.Permissions``) is used when that package is installed. Until then
this module provides the stored-functions part itself: Lambda ARNs, ``lambda:invoke``
and TCSL ``scf:Invoke/NAME`` call the owner's ``Function`` of that name in the
sandbox worker pool, after the role allowed the resource string.
"""

from __future__ import annotations

import importlib
from typing import Any

from backend.engine.resources import (
    LAMBDA_ARN,
    LAMBDA_INVOKE,
    SCF_INVOKE,
    ResourceRegistry,
    TaskCall,
    TaskOutcome,
)
from backend.workflows.function_pool import shared_function_pool
from backend.workflows.models import Function, RunRole
from backend.workflows.selectors import function_spec, role_allows

PERMISSIONS = "States.Permissions"


def build_registry(*, owner: Any, role: RunRole | None) -> ResourceRegistry:
    try:
        integrations = importlib.import_module("backend.integrations")
    except ModuleNotFoundError:
        integrations = None
    if integrations is not None and hasattr(integrations, "build_registry"):
        return integrations.build_registry(owner=owner, role=role)
    return StoredFunctionsRegistry(owner_id=owner.pk if owner is not None else None, role=role)


def permission_denied(resource: str, role: RunRole | None) -> TaskOutcome:
    role_name = role.name if role is not None else "(none)"
    return TaskOutcome.failed(
        PERMISSIONS, f"The run role '{role_name}' does not allow calling the resource '{resource}'."
    )


class StoredFunctionsRegistry(ResourceRegistry):
    def __init__(self, *, owner_id: int | None, role: RunRole | None):
        super().__init__()
        self.owner_id = owner_id
        self.role = role
        for kind in (LAMBDA_ARN, LAMBDA_INVOKE, SCF_INVOKE):
            self.register_kind(kind, self._invoke_function)

    def invoke(self, call: TaskCall) -> TaskOutcome:
        if not role_allows(role=self.role, resource=call.spec.text):
            return permission_denied(call.spec.text, self.role)
        return super().invoke(call)

    def _invoke_function(self, call: TaskCall) -> TaskOutcome:
        spec = call.spec
        payload = call.payload
        name = spec.function
        if spec.kind == LAMBDA_INVOKE:
            if not isinstance(payload, dict) or not isinstance(payload.get("FunctionName"), str):
                return TaskOutcome.failed("States.Runtime", "lambda:invoke needs Parameters.FunctionName")
            name = payload["FunctionName"].rsplit(":function:", 1)[-1].split(":", 1)[0]
            payload = payload.get("Payload", {})
        try:
            function = Function.objects.get(owner_id=self.owner_id, name=name)
        except Function.DoesNotExist:
            return TaskOutcome.failed(
                "Lambda.ResourceNotFoundException", f"Function not found: {name}"
            )
        result = shared_function_pool().invoke(
            function_spec(function=function), payload, context={"request_id": call.attempt_key},
            timeout_s=call.timeout_seconds,
        )
        if not result.ok:
            return TaskOutcome.failed(result.error, result.cause)
        if spec.kind == LAMBDA_INVOKE:
            return TaskOutcome.succeeded({"StatusCode": 200, "ExecutedVersion": "$LATEST",
                                          "Payload": result.payload})
        return TaskOutcome.succeeded(result.payload)
