"""Races the services must survive, runnable in-process or as a script on a fresh database.

``python tests/runtime/race_scenarios.py`` (with SQLITE_PATH or DATABASE_URL set to an
empty database) migrates it, runs every scenario and prints their results as JSON.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

THREADS = 4


def in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; their results (or exceptions)."""
    from django.db import connection

    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as error:  # reported to the caller, which asserts on it
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def race_same_execution_name(template: Any) -> dict[str, Any]:
    from backend.executions.models import Execution
    from backend.executions.services import execution_create

    starts = in_threads(THREADS, lambda i: execution_create(template=template, name="same", input='{"x": 1}'))
    return {
        "errors": [repr(s) for s in starts if isinstance(s, Exception)],
        "created": sum(bool(getattr(s, "created", False)) for s in starts),
        "distinct_ids": len({s.execution.pk for s in starts if not isinstance(s, Exception)}),
        "rows": Execution.objects.filter(template=template).count(),
    }


def race_version_numbers(template: Any) -> dict[str, Any]:
    from backend.workflows.models import WorkflowTemplate
    from backend.workflows.services import template_update

    def edit(i: int) -> None:
        definition = json.dumps({"StartAt": f"S{i}", "States": {f"S{i}": {"Type": "Pass", "End": True}}})
        template_update(template=WorkflowTemplate.objects.get(pk=template.pk), definition=definition)

    results = in_threads(THREADS, edit)
    return {
        "errors": [repr(r) for r in results if isinstance(r, Exception)],
        "numbers": sorted(template.versions.values_list("number", flat=True)),
    }


def run_all() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from backend.workflows.services import template_create

    owner = get_user_model().objects.create_user(username="racer")
    definition = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'
    return {
        "same_execution_name": race_same_execution_name(template_create(owner=owner, name="a", definition=definition)),
        "version_numbers": race_version_numbers(template_create(owner=owner, name="b", definition=definition)),
    }


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print(json.dumps(run_all()))
