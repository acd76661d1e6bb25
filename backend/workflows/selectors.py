"""Read-side queries for templates, versions, roles and functions (they never write)."""

from __future__ import annotations

import re
from fnmatch import translate
from functools import lru_cache

from django.db.models import QuerySet

from backend.sandbox import FunctionSpec
from backend.workflows.errors import VersionDoesNotExist
from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowVersion


def role_allows(*, role: RunRole | None, resource: str) -> bool:
    """Whether ``role`` lets a Task call ``resource`` (no role allows nothing)."""
    if role is None:
        return False
    return resource_patterns_matcher(tuple(role.allowed_resources))(resource)


@lru_cache(maxsize=1024)
def resource_patterns_matcher(patterns: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """One compiled regex for a role's glob patterns: ``matcher(resource) -> bool``.

    Cached by the patterns themselves, so an execution pays the compilation once per
    role content, and an edited role never uses a stale matcher.
    """
    if not patterns:
        return lambda resource: False
    regex = re.compile("|".join(f"(?:{translate(p)})" for p in patterns))
    return lambda resource: regex.match(resource) is not None


def template_latest_version(*, template: WorkflowTemplate) -> WorkflowVersion | None:
    return template.versions.order_by("-number").first()


def template_get_version(*, template: WorkflowTemplate, number: int | None = None) -> WorkflowVersion:
    """The version an execution should pin: ``number``, or the latest; VersionDoesNotExist if none."""
    versions = template.versions.all()
    version = versions.order_by("-number").first() if number is None else versions.filter(number=number).first()
    if version is None:
        which = "any version" if number is None else f"version {number}"
        raise VersionDoesNotExist(f"State Machine Does Not Exist: '{template.name}' has no {which}")
    return version


def template_list(*, owner_id: int | None = None) -> QuerySet[WorkflowTemplate]:
    queryset = WorkflowTemplate.objects.select_related("role", "owner")
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    return queryset


def function_get(*, owner_id: int, name: str) -> Function:
    return Function.objects.get(owner_id=owner_id, name=name)


def function_spec(*, function: Function) -> FunctionSpec:
    """What the sandbox runs; its version is the content hash, so edits reload and the rest stays warm."""
    return FunctionSpec(
        function.name,
        source=function.source,
        handler=function.handler,
        timeout_s=function.timeout_s,
        memory_mb=function.memory_mb,
        env=dict(function.environment or {}),
        version=function.content_hash[:16],
    )
