"""Fixtures for the metrics tests: two users, workflows under an allow-all run role, stored functions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from prometheus_client.parser import text_string_to_metric_families

from backend.metrics.selectors import history_rollup
from backend.workflows.models import RunRole, WorkflowTemplate
from backend.workflows.services import function_create, role_create, template_create

SUM = "def handler(event, context):\n    return sum(event['values'])\n"
BOOM = "def handler(event, context):\n    raise ValueError('boom')\n"


@pytest.fixture(autouse=True)
def fresh_rollup() -> None:
    """Each test has its own database: forget what the per-process history rollup counted."""
    history_rollup.reset()


@pytest.fixture
def owner(db: None) -> User:
    return User.objects.create_user("alice", password="alice-pass-123")


@pytest.fixture
def other_owner(db: None) -> User:
    return User.objects.create_user("bob", password="bob-pass-123")


@pytest.fixture
def workflow(owner: User) -> Callable[..., WorkflowTemplate]:
    roles: dict[int, RunRole] = {}

    def make(definition: dict[str, Any], name: str = "flow", type: str = "STANDARD",
             owner: User = owner) -> WorkflowTemplate:
        if owner.pk not in roles:
            roles[owner.pk] = role_create(owner=owner, name="everything", allowed_resources=["*"])
        return template_create(owner=owner, name=name, definition=json.dumps(definition), type=type,
                               role=roles[owner.pk])

    return make


@pytest.fixture
def functions(owner: User) -> None:
    function_create(owner=owner, name="sum", source=SUM)
    function_create(owner=owner, name="boom", source=BOOM)


def task(function: str, **more: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": f"arn:aws:lambda:us-east-1:111111111111:function:{function}", **more}


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a Prometheus text exposition: (name, labels) -> value (parsed by prometheus_client)."""
    out: dict[tuple[str, frozenset], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return out


def for_workflow(template: WorkflowTemplate, **more: str) -> frozenset:
    return frozenset({"workflow_id": str(template.pk), "workflow": template.name,
                      "owner": template.owner.username, **more}.items())
