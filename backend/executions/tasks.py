"""Celery tasks of the scale-out mode (``CELERY_BROKER_URL`` set): the same runner code.

* ``run_execution(execution_id)``: drive one Standard execution (queued when it is
  started or woken);
* ``run_express(template_id, name, input, version)``: an asynchronous Express start;
* ``tick()``: fire due timers and re-queue runnable executions nobody holds (a crashed
  worker's, after its lease ran out). Celery beat runs it every second
  (``CELERY_BEAT_SCHEDULE``); ``manage.py runengine --scheduler-only`` does the same job
  without beat.
"""

from __future__ import annotations

import os
import socket

from celery import shared_task


def _owner() -> str:
    return f"celery:{socket.gethostname()}:{os.getpid()}"  # per call: prefork children are forked after import


@shared_task(name="executions.run_execution", ignore_result=True)
def run_execution(execution_id: int) -> str:
    from backend.executions.runner.heap import freeze_startup_heap
    from backend.executions.runner.run import drive

    freeze_startup_heap()  # once per worker process (a flag check afterwards)
    return drive(execution_id, _owner())


@shared_task(name="executions.run_express", ignore_result=True)
def run_express(template_id: int, name: str, input: str, version_number: int | None = None) -> str:
    import json

    from backend.executions.runner.express import express_run
    from backend.workflows.models import WorkflowTemplate

    template = WorkflowTemplate.objects.select_related("owner").get(pk=template_id)
    return express_run(template=template, input_value=json.loads(input), name=name, input_text=input,
                       version_number=version_number).status


@shared_task(name="executions.tick", ignore_result=True)
def tick() -> int:
    from backend.executions.runner.loop import runnable_ids
    from backend.executions.runner.wake import dispatch, fire_due_timers

    fired = fire_due_timers()
    dispatch(runnable_ids(1000, set(), idle_seconds=5.0))
    return fired
