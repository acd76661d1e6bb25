"""``manage.py bench_history``: how fast history events go into and come out of the database.

Appends events in groups (a group is what the engine commits between two side effects)
to a throwaway execution, reads them back, checks they are identical, and deletes
everything it created. A measurement, never a test.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backend.engine.journal import Event
from backend.executions.models import Execution
from backend.executions.selectors import history_events
from backend.executions.services import execution_create, history_append
from backend.workflows.services import template_create

_PASS = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'
_PAYLOAD = {"orderId": 42, "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}], "total": 31.5}


class Command(BaseCommand):
    help = "Measure history_append / history_events throughput on the configured database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--events", type=int, default=20_000, help="events per group size (default 20000)")
        parser.add_argument("--groups", default="1,10,100", help="group sizes to measure (default 1,10,100)")

    def handle(self, *args: Any, events: int, groups: str, **options: Any) -> None:
        sizes = [int(size) for size in groups.split(",")]
        if events < 1 or any(size < 1 for size in sizes):
            raise CommandError("--events and every group size must be at least 1")
        owner = get_user_model().objects.create_user(username=f"bench-{secrets.token_hex(4)}")
        try:
            template = template_create(owner=owner, name="bench-history", definition=_PASS)
            for size in sizes:
                self._measure(template, size, events)
        finally:
            Execution.objects.filter(template__owner=owner).delete()
            owner.delete()

    def _measure(self, template: Any, size: int, count: int) -> None:
        execution = execution_create(template=template, name=f"groups-of-{size}").execution
        now = time.time()
        recorded = [
            Event(i, i - 1, now + i / 1000, "PassStateExited" if i % 2 else "PassStateEntered",
                  {"name": f"State{i}", "input": _PAYLOAD})
            for i in range(1, count + 1)
        ]
        started = time.perf_counter()
        for start in range(0, count, size):
            history_append(execution_id=execution.pk, events=recorded[start : start + size])
        appended = time.perf_counter() - started
        started = time.perf_counter()
        loaded = history_events(execution_id=execution.pk)
        read = time.perf_counter() - started
        if loaded != recorded:
            raise CommandError("the events read back differ from those appended")
        self.stdout.write(
            f"{connection.vendor}: groups of {size:>4}: {count / appended:>9,.0f} events/s appended "
            f"({appended / (count / size) * 1000:.2f} ms per group), {count / read:>9,.0f} events/s read"
        )
