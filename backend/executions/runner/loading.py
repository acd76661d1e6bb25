"""What a runner needs of an execution row, in one query, with its pinned version cached.

A resume reads the execution (name, input, redrive state, parent) and its workflow
version, template, owner and run role. Versions are immutable, so they are cached; the
role is not (its patterns may be edited), so the query also returns the role's
``updated_at`` and a changed role reloads the version.
"""

from __future__ import annotations

import json
import threading
import time
from functools import lru_cache
from typing import Any

from django.db import connection

from backend.executions.models import Execution
from backend.workflows.models import RunRole, WorkflowTemplate, WorkflowType, WorkflowVersion
from backend.workflows.selectors import template_get_version

_versions: dict[int, tuple[Any, WorkflowVersion]] = {}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _select_sql() -> str:
    q = connection.ops.quote_name
    execution = q(Execution._meta.db_table)
    version = q(WorkflowVersion._meta.db_table)
    role = q(RunRole._meta.db_table)
    return (
        f"SELECT e.{q('name')}, e.{q('input')}, e.{q('redrive_segments')}, e.{q('redrive_count')}, "
        f"e.{q('parent_id')}, e.{q('version_id')}, r.{q('updated_at')} "
        f"FROM {execution} e JOIN {version} v ON v.{q('id')} = e.{q('version_id')} "
        f"LEFT JOIN {role} r ON r.{q('id')} = v.{q('role_id')} WHERE e.{q('id')} = %s"
    )


def _version(version_id: int, role_stamp: Any) -> WorkflowVersion:
    cached = _versions.get(version_id)
    if cached is not None and cached[0] == role_stamp:
        return cached[1]
    version = WorkflowVersion.objects.select_related("template__owner", "role").get(pk=version_id)
    with _lock:
        _versions[version_id] = (role_stamp, version)
    return version


def execution_for_run(execution_id: int) -> Execution:
    """An (unsaved-looking) Execution carrying what the runner reads, version and template attached."""
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(), [execution_id])
        name, input_text, segments, redrive_count, parent_id, version_id, role_stamp = cursor.fetchone()
    if isinstance(segments, str):
        segments = json.loads(segments)
    version = _version(version_id, role_stamp)
    return Execution(pk=execution_id, name=name, input=input_text, redrive_segments=segments or [],
                     redrive_count=redrive_count, parent_id=parent_id, version=version, template=version.template,
                     type=WorkflowType.STANDARD)


# (template id, its creation time, version number) -> (version, when its role was read).
_template_versions: dict[tuple[int, Any, int], tuple[WorkflowVersion, float]] = {}
_templates_lock = threading.Lock()
# A cached version's run role is read again after this long (roles can be edited).
ROLE_REFRESH_SECONDS = 2.0


def template_version(template: WorkflowTemplate, number: int | None) -> WorkflowVersion:
    """``template``'s version ``number`` (default: its latest), with its run role loaded.

    Versions are immutable, so they are cached (the template row in hand knows its latest
    number: no query on a hot path); the role is re-read every ``ROLE_REFRESH_SECONDS``.
    """
    number = number if number is not None else template.next_version_number - 1
    key = (template.pk, template.created_at, number)
    cached = _template_versions.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[1] < ROLE_REFRESH_SECONDS:
        return cached[0]
    version = template_get_version(template=template, number=number) if cached is None else cached[0]
    version.template = template
    version.role = None if version.role_id is None else RunRole.objects.filter(pk=version.role_id).first()
    with _templates_lock:
        _template_versions[key] = (version, now)
    return version
