"""Fixtures for the runtime data layer (Django apps ``workflows`` and ``executions``).

The database is whatever the settings select: SQLite by default; PostgreSQL with
``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/runtime`` (pytest-django creates
and drops ``test_runtime``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from backend.sandbox import FunctionPool
from backend.workflows.models import RunRole, WorkflowTemplate
from backend.workflows.services import role_create, template_create

PASS_DEFINITION = '{"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}'


def pass_chain(*names: str) -> str:
    """A valid definition: Pass states in a row (different texts for different name lists)."""
    states = {
        name: {"Type": "Pass", **({"Next": names[i + 1]} if i + 1 < len(names) else {"End": True})}
        for i, name in enumerate(names)
    }
    import json

    return json.dumps({"StartAt": names[0], "States": states})


@pytest.fixture
def owner(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username="alice")


@pytest.fixture
def other_owner(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username="bob")


@pytest.fixture
def role(owner: AbstractBaseUser) -> RunRole:
    return role_create(owner=owner, name="all-functions", allowed_resources=["arn:aws:lambda:*:*:function:*"])


@pytest.fixture
def make_template(owner: AbstractBaseUser) -> Callable[..., WorkflowTemplate]:
    def make(name: str = "flow", definition: str = PASS_DEFINITION, **kwargs: Any) -> WorkflowTemplate:
        return template_create(owner=kwargs.pop("owner", owner), name=name, definition=definition, **kwargs)

    return make


@pytest.fixture(scope="module")
def function_pool() -> Iterator[FunctionPool]:
    """Real sandbox worker processes (one is enough for these tests)."""
    with FunctionPool(size=1) as pool:
        yield pool


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"runtime tests database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
