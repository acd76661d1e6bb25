"""Ownership: the selectors every endpoint and action reads through.

A user sees and touches only what they own; staff see everything. Objects of another
user are answered exactly as missing ones (no existence leak), so every lookup here
raises the Step Functions "does not exist" error for both cases.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from backend.api.errors import ApiError, not_found
from backend.executions.models import Execution, TaskToken
from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowVersion


def sees_everything(user: AbstractBaseUser) -> bool:
    return bool(user.is_staff)


def owned(queryset: QuerySet, user: AbstractBaseUser, owner_path: str) -> QuerySet:
    return queryset if sees_everything(user) else queryset.filter(**{owner_path: user.pk})


def _as_int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def get_by_id(visible: QuerySet, object_id: Any, kind: str) -> Any:
    """The row of ``visible`` with the id given as ``object_id``; a malformed id is not found either."""
    pk = _as_int(object_id)
    row = None if pk is None else visible.filter(pk=pk).first()
    if row is None:
        raise not_found(kind, object_id)
    return row


def templates_visible(*, user: AbstractBaseUser) -> QuerySet[WorkflowTemplate]:
    return owned(WorkflowTemplate.objects.select_related("role", "owner"), user, "owner_id")


def template_get(*, user: AbstractBaseUser, template_id: Any) -> WorkflowTemplate:
    return get_by_id(templates_visible(user=user), template_id, "state machine")


def template_get_by_name(*, user: AbstractBaseUser, owner_id: int, name: str) -> WorkflowTemplate:
    """The template ``name`` of account ``owner_id`` (from an ARN/QRN), if the user may see it."""
    template = templates_visible(user=user).filter(owner_id=owner_id, name=name).first()
    if template is None:
        raise not_found("state machine", name)
    return template


def version_get(*, template: WorkflowTemplate, number: Any) -> WorkflowVersion:
    pk = _as_int(number)
    version = None if pk is None else template.versions.filter(number=pk).first()
    if version is None:
        raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{template.name}' has no version {number}")
    return version


def roles_visible(*, user: AbstractBaseUser) -> QuerySet[RunRole]:
    return owned(RunRole.objects.all(), user, "owner_id")


def role_get(*, user: AbstractBaseUser, role_id: Any) -> RunRole:
    return get_by_id(roles_visible(user=user), role_id, "run role")


def role_get_by_name(*, owner_id: int, name: str) -> RunRole | None:
    return RunRole.objects.filter(owner_id=owner_id, name=name).first()


def functions_visible(*, user: AbstractBaseUser) -> QuerySet[Function]:
    return owned(Function.objects.all(), user, "owner_id")


def function_get(*, user: AbstractBaseUser, function_id: Any) -> Function:
    return get_by_id(functions_visible(user=user), function_id, "function")


def executions_visible(*, user: AbstractBaseUser) -> QuerySet[Execution]:
    return owned(Execution.objects.select_related("template", "version"), user, "template__owner_id")


def execution_get(*, user: AbstractBaseUser, execution_id: Any) -> Execution:
    return get_by_id(executions_visible(user=user), execution_id, "execution")


def token_check(*, user: AbstractBaseUser, token: Any) -> None:
    """A callback token of another user's execution is answered as a missing one.

    Tokens of the wrong shape pass through, so the service answers InvalidToken itself.
    """
    if not isinstance(token, str):
        raise ApiError("InvalidToken", "Invalid Token: 'Invalid token'", field="taskToken")
    row = TaskToken.objects.filter(token=token).values_list("execution__template__owner_id", flat=True).first()
    if row is not None and not sees_everything(user) and row != user.pk:
        raise ApiError("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'")
