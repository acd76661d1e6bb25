"""Fixtures for the durable runner: stored functions and workflows under an allow-all run role."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser

from backend.workflows.models import RunRole, WorkflowTemplate
from backend.workflows.services import function_create, role_create, template_create


@pytest.fixture
def open_role(owner: AbstractBaseUser) -> RunRole:
    return role_create(owner=owner, name="everything", allowed_resources=["*"])


@pytest.fixture
def workflow(owner: AbstractBaseUser, open_role: RunRole) -> Callable[..., WorkflowTemplate]:
    def make(definition: dict[str, Any], name: str = "flow", type: str = "STANDARD",
             role: RunRole | None = None) -> WorkflowTemplate:
        return template_create(owner=owner, name=name, definition=json.dumps(definition), type=type,
                               role=role or open_role)

    return make


@pytest.fixture
def function(owner: AbstractBaseUser) -> Callable[[str, str], Any]:
    def make(name: str, source: str, **kwargs: Any) -> Any:
        return function_create(owner=owner, name=name, source=source, **kwargs)

    return make
