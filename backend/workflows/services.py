"""Write-side use cases for templates, versions, roles and functions.

HackSoft style: keyword-only, typed, ``<entity>_<action>``; each owns its transaction
and raises a ``ServiceError`` (see ``errors.py``) for the caller's mistakes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from backend.engine.validation import Diagnostic, validate_definition
from backend.sandbox import FunctionPool, FunctionSpec, InvocationResult
from backend.workflows.errors import (
    FunctionAlreadyExists,
    InvalidDefinition,
    InvalidFunction,
    InvalidRole,
    RoleAlreadyExists,
    WorkflowAlreadyExists,
    WorkflowTypeNotChangeable,
    WorkflowTypeNotSupported,
)
from backend.workflows.function_pool import shared_function_pool
from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowType, WorkflowVersion
from backend.workflows.names import check_function_name, check_name
from backend.workflows.selectors import function_spec, template_latest_version


class _Unset:
    """Marks an argument that was not given (None is a meaningful value for ``role``)."""


UNSET: Any = _Unset()

MAX_ROLE_PATTERNS = 100
MAX_PATTERN_LENGTH = 2048
MAX_FUNCTION_TIMEOUT_S = 900.0
FUNCTION_MEMORY_RANGE_MB = (32, 10240)


# --- run roles ---------------------------------------------------------------------------


def role_patterns_check(*, allowed_resources: Iterable[str]) -> list[str]:
    """The patterns as a list; InvalidRole naming the first bad one."""
    patterns = list(allowed_resources)
    if len(patterns) > MAX_ROLE_PATTERNS:
        raise InvalidRole(f"A run role allows at most {MAX_ROLE_PATTERNS} resource patterns, got {len(patterns)}.")
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, str) or not pattern.strip() or len(pattern) > MAX_PATTERN_LENGTH:
            raise InvalidRole(
                f"allowed_resources[{index}]: a resource pattern must be a non-empty string of at most "
                f"{MAX_PATTERN_LENGTH} characters, got {pattern!r}."
            )
    return patterns


@transaction.atomic
def role_create(
    *, owner: AbstractBaseUser, name: str, description: str = "", allowed_resources: Iterable[str] = ()
) -> RunRole:
    check_name(name, what="role")
    patterns = role_patterns_check(allowed_resources=allowed_resources)
    role = RunRole(owner=owner, name=name, description=description, allowed_resources=patterns)
    if RunRole.objects.filter(owner=owner, name=name).exists():
        raise RoleAlreadyExists(f"Run role '{name}' already exists.")
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError:  # created concurrently
        raise RoleAlreadyExists(f"Run role '{name}' already exists.") from None
    return role


@transaction.atomic
def role_update(
    *, role: RunRole, description: str | None = None, allowed_resources: Iterable[str] | None = None
) -> RunRole:
    """Apply the given fields; saves only if something changed."""
    fields = []
    if description is not None and description != role.description:
        role.description = description
        fields.append("description")
    if allowed_resources is not None:
        patterns = role_patterns_check(allowed_resources=allowed_resources)
        if patterns != role.allowed_resources:
            role.allowed_resources = patterns
            fields.append("allowed_resources")
    if fields:
        role.save(update_fields=[*fields, "updated_at"])
    return role


# --- templates and versions ----------------------------------------------------------------


def _definition_text(definition: str | Mapping[str, Any]) -> str:
    """The text to store: given text verbatim, a parsed definition as indented JSON."""
    if isinstance(definition, str):
        return definition
    return json.dumps(definition, indent=2, ensure_ascii=False)


def definition_check(*, definition: str | Mapping[str, Any], workflow_type: str) -> list[Diagnostic]:
    """The definition's warnings; InvalidDefinition (diagnostics with JSON pointers) if it has errors."""
    diagnostics = validate_definition(_definition_text(definition), workflow_type=workflow_type)
    if any(d.severity == "ERROR" for d in diagnostics):
        raise InvalidDefinition(diagnostics)
    return diagnostics


def _check_role_owner(role: RunRole | None, owner_id: int) -> None:
    if role is not None and role.owner_id != owner_id:
        raise InvalidRole(f"Run role '{role.name}' belongs to another user.")


def _version_create(*, template: WorkflowTemplate, description: str = "") -> WorkflowVersion:
    """Snapshot the template's definition and role as its next number (call inside a transaction)."""
    locked = WorkflowTemplate.objects.select_for_update().only("next_version_number").get(pk=template.pk)
    number = locked.next_version_number
    WorkflowTemplate.objects.filter(pk=template.pk).update(next_version_number=number + 1)
    template.next_version_number = number + 1
    return WorkflowVersion.objects.create(
        template=template, number=number, definition=template.definition, role=template.role, description=description
    )


@transaction.atomic
def template_create(
    *,
    owner: AbstractBaseUser,
    name: str,
    definition: str | Mapping[str, Any],
    type: str = WorkflowType.STANDARD,
    role: RunRole | None = None,
    description: str = "",
) -> WorkflowTemplate:
    """A new template and its version 1."""
    check_name(name, what="state machine")
    if type not in WorkflowType.values:
        raise WorkflowTypeNotSupported(f"Workflow type '{type}' is not supported; it must be STANDARD or EXPRESS.")
    _check_role_owner(role, owner.pk)
    text = _definition_text(definition)
    definition_check(definition=text, workflow_type=type)
    if WorkflowTemplate.objects.filter(owner=owner, name=name).exists():
        raise WorkflowAlreadyExists(f"State Machine Already Exists: '{name}'")
    template = WorkflowTemplate(owner=owner, name=name, description=description, type=type, role=role, definition=text)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:  # created concurrently
        raise WorkflowAlreadyExists(f"State Machine Already Exists: '{name}'") from None
    _version_create(template=template)
    return template


@transaction.atomic
def template_update(
    *,
    template: WorkflowTemplate,
    definition: str | Mapping[str, Any] | None = None,
    role: RunRole | None = UNSET,
    description: str | None = None,
    type: str | None = None,
) -> WorkflowTemplate:
    """Change a template; a new definition or role becomes a new version.

    ``type`` may be given only to restate the current type (it is fixed at creation).
    """
    if type is not None and type != template.type:
        raise WorkflowTypeNotChangeable(
            f"The type of workflow '{template.name}' is {template.type} and cannot be changed to {type}."
        )
    fields: list[str] = []
    if definition is not None:
        text = _definition_text(definition)
        if text != template.definition:
            definition_check(definition=text, workflow_type=template.type)
            template.definition = text
            fields.append("definition")
    if role is not UNSET and role != template.role:
        _check_role_owner(role, template.owner_id)
        template.role = role
        fields.append("role")
    if description is not None and description != template.description:
        template.description = description
        fields.append("description")
    if not fields:
        return template
    template.save(update_fields=[*fields, "updated_at"])
    if "definition" in fields or "role" in fields:
        _version_create(template=template)
    return template


@transaction.atomic
def version_publish(*, template: WorkflowTemplate, description: str = "") -> WorkflowVersion:
    """Publish the current definition and role; idempotent (as PublishStateMachineVersion).

    If the latest version already holds them, that version is returned instead of a copy.
    """
    latest = template_latest_version(template=template)
    if latest is not None and latest.definition == template.definition and latest.role_id == template.role_id:
        return latest
    return _version_create(template=template, description=description)


# --- functions ---------------------------------------------------------------------------


def function_check(*, function: Function) -> Function:
    """Raise InvalidFunction, naming the field, for anything the sandbox would refuse."""
    check_function_name(function.name)
    try:
        compile(function.source, f"{function.name}.py", "exec", dont_inherit=True)
    except SyntaxError as error:
        raise InvalidFunction(f"source: {error.msg} (line {error.lineno})") from None
    except ValueError as error:  # e.g. a NUL byte in the source
        raise InvalidFunction(f"source: {error}") from None
    if not 0 < function.timeout_s <= MAX_FUNCTION_TIMEOUT_S:
        raise InvalidFunction(f"timeout_s: must be more than 0 and at most {MAX_FUNCTION_TIMEOUT_S:g} seconds.")
    low, high = FUNCTION_MEMORY_RANGE_MB
    if not low <= function.memory_mb <= high:
        raise InvalidFunction(f"memory_mb: must be between {low} and {high}.")
    if not isinstance(function.environment, dict):
        raise InvalidFunction("environment: must be an object mapping variable names to strings.")
    try:
        FunctionSpec(
            function.name,
            source=function.source,
            handler=function.handler,
            timeout_s=function.timeout_s,
            memory_mb=function.memory_mb,
            env=function.environment,
        )
    except ValueError as error:
        raise InvalidFunction(str(error).replace(f"function {function.name!r}: ", "")) from None
    return function


@transaction.atomic
def function_create(
    *,
    owner: AbstractBaseUser,
    name: str,
    source: str,
    handler: str = "handler",
    timeout_s: float = 3.0,
    memory_mb: int = 128,
    environment: Mapping[str, str] | None = None,
    description: str = "",
) -> Function:
    function = function_check(
        function=Function(
            owner=owner,
            name=name,
            source=source,
            handler=handler,
            timeout_s=float(timeout_s),
            memory_mb=int(memory_mb),
            environment=dict(environment or {}),
            description=description,
        )
    )
    if Function.objects.filter(owner=owner, name=name).exists():
        raise FunctionAlreadyExists(f"Function already exist: {name}")
    try:
        with transaction.atomic():
            function.save()
    except IntegrityError:  # created concurrently
        raise FunctionAlreadyExists(f"Function already exist: {name}") from None
    return function


@transaction.atomic
def function_update(
    *,
    function: Function,
    source: str | None = None,
    handler: str | None = None,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    environment: Mapping[str, str] | None = None,
    description: str | None = None,
) -> Function:
    """Apply the given fields; saves (and re-hashes) only if something changed."""
    changes: dict[str, Any] = {
        "source": source,
        "handler": handler,
        "timeout_s": None if timeout_s is None else float(timeout_s),
        "memory_mb": None if memory_mb is None else int(memory_mb),
        "environment": None if environment is None else dict(environment),
        "description": description,
    }
    changed = [field for field, value in changes.items() if value is not None and getattr(function, field) != value]
    if not changed:
        return function
    for field in changed:
        setattr(function, field, changes[field])
    function_check(function=function)
    function.save(update_fields=[*changed, "updated_at"])
    return function


def function_test_invoke(
    *, function: Function, event: Any, pool: FunctionPool | None = None, timeout_s: float | None = None
) -> InvocationResult:
    """Run the stored function once on ``event`` in the sandbox (the editor's Test button).

    Never raises for what the function does: the result carries its error and logs.
    """
    spec = function_spec(function=function)
    context = {"request_id": f"test-{uuid.uuid4()}"}
    return (pool or shared_function_pool()).invoke(spec, event, context=context, timeout_s=timeout_s)


@dataclass(frozen=True)
class LoadedFunction:
    function: Function
    action: str  # "created" | "updated" | "unchanged"


FUNCTION_SETTINGS_FIELDS = ("handler", "timeout_s", "memory_mb", "environment", "description")


def load_functions_from_folder(*, owner: AbstractBaseUser, folder: Path) -> list[LoadedFunction]:
    """Create or update one function per ``NAME.py`` in ``folder``.

    An optional ``NAME.json`` beside it sets ``handler``, ``timeout_s``, ``memory_mb``,
    ``environment`` and ``description``. Everything is checked before anything is saved,
    so a bad file leaves the stored functions as they were.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidFunction(f"{folder}: not a folder")
    planned: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(folder.glob("*.py")):
        name = path.stem
        settings_path = path.with_suffix(".json")
        options: dict[str, Any] = {}
        if settings_path.exists():
            try:
                options = json.loads(settings_path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise InvalidFunction(f"{settings_path.name}: not JSON ({error})") from None
            unknown = set(options) - set(FUNCTION_SETTINGS_FIELDS) if isinstance(options, dict) else None
            if unknown is None or unknown:
                raise InvalidFunction(
                    f"{settings_path.name}: expected an object with only {', '.join(FUNCTION_SETTINGS_FIELDS)}"
                )
        planned.append((name, path.read_text(encoding="utf-8"), options))
    loaded: list[LoadedFunction] = []
    with transaction.atomic():
        for name, source, options in planned:
            try:
                existing = Function.objects.get(owner=owner, name=name)
            except Function.DoesNotExist:
                function = function_create(owner=owner, name=name, source=source, **options)
                loaded.append(LoadedFunction(function, "created"))
                continue
            before = existing.content_hash, existing.description
            function = function_update(function=existing, source=source, **options)
            after = function.content_hash, function.description
            loaded.append(LoadedFunction(function, "unchanged" if before == after else "updated"))
    return loaded
