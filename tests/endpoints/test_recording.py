"""The batching writer of endpoint Express summaries (the server's default path)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db.models.signals import post_save
from django.test import Client

from backend.endpoints import recording
from backend.endpoints.services import endpoint_create
from backend.executions.models import Execution


@pytest.mark.django_db(transaction=True)
def test_summaries_are_written_in_batches_and_announced(client: Client, workflow: Any, settings: Any) -> None:
    settings.ENDPOINTS_BATCH_SUMMARIES = True
    endpoint_create(template=workflow(), name="sum", slug="sum", auth="none")
    seen: list[tuple[str, bool]] = []

    def saved(sender: Any, instance: Execution, created: bool, **kwargs: Any) -> None:
        assert instance.pk is not None
        seen.append((instance.name, created))

    post_save.connect(saved, sender=Execution, dispatch_uid="test-endpoint-recording")
    try:
        names = []
        for n in range(20):
            response = client.post("/run/sum", json.dumps({"a": n, "b": 1}), content_type="application/json")
            assert response.status_code == 200 and response.json() == {"sum": n + 1}
            names.append(response["X-Execution-Name"])
        assert recording.flush(timeout=10)
    finally:
        post_save.disconnect(dispatch_uid="test-endpoint-recording")
    rows = {row.name: row for row in Execution.objects.filter(name__in=names)}
    assert set(rows) == set(names)
    assert all(row.type == "EXPRESS" and row.status == "SUCCEEDED" for row in rows.values())
    assert json.loads(rows[names[3]].output) == {"sum": 4}
    assert sorted(seen) == sorted((name, True) for name in names)
    row = rows[names[0]]
    assert row.pk is not None and row.redrive_segments == [] and row.stopped_at >= row.started_at
    assert row.version.number == 1 and row.template.name == "sum" and row.error is None
    assert recording.pending() == 0


@pytest.mark.django_db(transaction=True)
def test_a_row_the_database_refuses_does_not_lose_the_others(workflow: Any) -> None:
    from django.utils import timezone

    template = workflow()
    version = template.versions.get()
    now = timezone.now()

    def row(name: str) -> Execution:
        return Execution(template=template, version=version, name=name, type="EXPRESS", status="SUCCEEDED",
                         input="{}", output="{}", started_at=now, stopped_at=now)

    recording._write([row("first"), row("bad \ud800"), row("last")])
    assert set(Execution.objects.values_list("name", flat=True)) == {"first", "last"}
