"""What a runner needs of an execution row, in one query (the claim's own where it can), with
its pinned version cached.

A resume reads the execution (name, input, redrive state, parent) and its workflow
version, template, owner and run role. Versions are immutable, so they are cached; the
role is not (its patterns may be edited), so the query also returns the role's
``updated_at`` and a changed role reloads the version.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db import connection

from backend.executions.models import Execution, HistoryEvent
from backend.workflows.models import RunRole, WorkflowTemplate, WorkflowType, WorkflowVersion
from backend.workflows.selectors import template_get_version

_versions: dict[int, tuple[Any, WorkflowVersion]] = {}
_lock = threading.Lock()


@lru_cache(maxsize=2)
def _columns_sql(e: str) -> str:
    """What a run reads of the execution row (``e``: its table's name or alias), its role's
    stamp, and whether it has any history yet (a fresh execution's history need not be read)."""
    q = connection.ops.quote_name
    version = q(WorkflowVersion._meta.db_table)
    role = q(RunRole._meta.db_table)
    history = q(HistoryEvent._meta.db_table)
    return (
        f"{e}.{q('name')}, {e}.{q('input')}, {e}.{q('redrive_segments')}, {e}.{q('redrive_count')}, "
        f"{e}.{q('parent_id')}, {e}.{q('version_id')}, {e}.{q('child_redrive_segments')}, "
        f"(SELECT r.{q('updated_at')} FROM {version} v LEFT JOIN {role} r ON r.{q('id')} = v.{q('role_id')} "
        f"WHERE v.{q('id')} = {e}.{q('version_id')}), "
        f"EXISTS (SELECT 1 FROM {history} h WHERE h.{q('execution_id')} = {e}.{q('id')})"
    )


@lru_cache(maxsize=1)
def _select_sql() -> str:
    q = connection.ops.quote_name
    return f"SELECT {_columns_sql('e')} FROM {q(Execution._meta.db_table)} e WHERE e.{q('id')} = %s"


@lru_cache(maxsize=1)
def claim_returning_sql() -> str | None:
    """``RETURNING`` what a run reads, for the claim's UPDATE (of the unaliased table), where the
    database has UPDATE ... RETURNING (PostgreSQL; SQLite from 3.35): one statement for the
    claim and the read. None elsewhere (claim, then ``execution_for_run``)."""
    if connection.vendor == "postgresql" or (connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35)):
        return " RETURNING " + _columns_sql(connection.ops.quote_name(Execution._meta.db_table))
    return None


def _version(version_id: int, role_stamp: Any) -> WorkflowVersion:
    cached = _versions.get(version_id)
    if cached is not None and cached[0] == role_stamp:
        return cached[1]
    version = WorkflowVersion.objects.select_related("template__owner", "role").get(pk=version_id)
    with _lock:
        _versions[version_id] = (role_stamp, version)
    return version


def execution_for_run(execution_id: int) -> tuple[Execution, bool]:
    """An (unsaved-looking) Execution carrying what the runner reads, version and template
    attached, and whether it has any recorded history."""
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(), [execution_id])
        return execution_from_row(execution_id, cursor.fetchone())


def execution_from_row(execution_id: int, row: Sequence[Any]) -> tuple[Execution, bool]:
    """``execution_for_run`` from a row of ``_columns_sql()``."""
    name, input_text, segments, redrive_count, parent_id, version_id, child_segments, role_stamp, has_history = row
    if isinstance(segments, str):
        segments = json.loads(segments)
    if isinstance(child_segments, str):
        child_segments = json.loads(child_segments)
    version = _version(version_id, role_stamp)
    execution = Execution(pk=execution_id, name=name, input=input_text, redrive_segments=segments or [],
                          child_redrive_segments=child_segments or {}, redrive_count=redrive_count,
                          parent_id=parent_id, version=version, template=version.template,
                          type=WorkflowType.STANDARD)
    return execution, bool(has_history)


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
