"""``manage.py bench_runtime`` runs (tiny counts) and leaves nothing behind."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection

from backend.executions.models import Execution
from backend.workflows.models import WorkflowTemplate

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_runtime_measures_against_the_floor_and_cleans_up(capsys):
    # Concurrent clients on PostgreSQL; the SQLite test database is in memory (shared cache:
    # concurrent writers lock tables, which a WAL file does not).
    threads = 2 if connection.vendor == "postgresql" else 1
    call_command("bench_runtime", express=5, chain100=3, choice_loop=1, threads=threads, floor=True)
    out = capsys.readouterr().out
    assert re.search(r"express 3-state: +[\d,]+ executions/s", out)
    for workload in ("chain100", "choice_loop"):
        assert re.search(rf"floor  durable {workload} .*: +[\d,]+ transitions/s", out), out
        assert re.search(rf"durable {workload} +\({threads} threads?\): +[\d,]+ transitions/s", out), out
        if threads == 1:
            assert re.search(rf"durable {workload} +median execution .*x the floor.s median", out), out
    assert not Execution.objects.exists() and not WorkflowTemplate.objects.exists()
