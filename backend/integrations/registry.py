"""The resource registry an execution's Tasks go through: run role first, then the integration."""

from __future__ import annotations

from typing import Any

from backend.engine.resources import ResourceRegistry, TaskCall, TaskOutcome
from backend.sandbox import FunctionPool
from backend.workflows.models import RunRole

from .celery_tasks import CeleryTasks
from .functions import FunctionCall, StoredFunctions, function_call
from .http import ConnectionResolver, HttpInvoker
from .roles import permission_denied
from .targets import CELERY, FUNCTION, HTTP, target_of


class IntegrationRegistry(ResourceRegistry):
    """Functions, HTTP and Celery tasks, under one run role.

    Other invokers (e.g. child workflow executions) can still be added with
    ``register_kind`` / ``register_service``; the role applies to them too.
    """

    def __init__(self, *, role: RunRole | None, functions: StoredFunctions, http: HttpInvoker,
                 celery: CeleryTasks):
        super().__init__()
        self.role = role
        self.functions = functions
        self.http = http
        self.celery = celery

    def invoke(self, call: TaskCall) -> Any:  # TaskOutcome, or PENDING for a .sync Celery task
        target = target_of(call.spec)
        function: FunctionCall | TaskOutcome | None = None
        if target is not None and target.integration == FUNCTION:
            function = function_call(call)
        function_arn = function.arn if isinstance(function, FunctionCall) else None
        denied = permission_denied(call, self.role, function_arn)
        if denied is not None:
            return denied
        if target is None:
            return super().invoke(call)
        if target.integration == FUNCTION:
            return function if isinstance(function, TaskOutcome) else self.functions(call, function)
        if target.integration == HTTP:
            return self.http(call)
        if target.integration == CELERY:
            return self.celery(call, target)
        return super().invoke(call)


def build_registry(
    *,
    owner: Any,
    role: RunRole | None,
    pool: FunctionPool | None = None,
    celery_app: Any = None,
    celery_wait: bool = False,
    connections: ConnectionResolver | None = None,
) -> IntegrationRegistry:
    """The registry for one execution of ``owner``'s workflow running under ``role``.

    ``pool``: the sandbox pool (default: the process-wide one); ``celery_app``: the app
    Celery tasks are sent through (default: ``settings.ASW_CELERY_APP``, else the
    project's); ``celery_wait``: block for ``.sync`` Celery results instead of answering
    ``PENDING`` (Express executions); ``connections``: credentials for HTTP Tasks.
    """
    return IntegrationRegistry(
        role=role,
        functions=StoredFunctions(owner_id=getattr(owner, "pk", owner), pool=pool),
        http=HttpInvoker(connections=connections),
        celery=CeleryTasks(app=celery_app, wait=celery_wait),
    )
