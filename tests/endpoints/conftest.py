"""Fixtures for published endpoints: two users who must not see each other's endpoints, staff, workflows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

from backend.endpoints import ratelimit
from backend.endpoints.selectors import serving_cache_drop
from backend.workflows.models import WorkflowTemplate
from backend.workflows.services import role_create, template_create
# alice_api and bob_api: clients of this folder's alice and bob.
from tests.api.conftest import alice_api, bob_api, client_for  # noqa: F401 (fixtures; client_for for test_rest)

# Three states: Pass (intrinsic), Choice, Pass.
SUM_DEFINITION = {
    "StartAt": "Add",
    "States": {
        "Add": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "Next": "Big?"},
        "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.sum", "NumericGreaterThan": 100, "Next": "Big"}],
                 "Default": "Done"},
        "Big": {"Type": "Fail", "Error": "TooBig", "Cause": "the sum is over 100"},
        "Done": {"Type": "Pass", "End": True},
    },
}


@pytest.fixture(autouse=True)
def _fresh_process_state(settings: Any) -> Iterator[None]:
    """Each test starts with no cached endpoint and no rate-limit bucket; summary rows are
    saved at once (a writer thread would not see the test's open transaction)."""
    settings.ENDPOINTS_BATCH_SUMMARIES = False
    settings.ENDPOINTS_REDIS_URL = None
    serving_cache_drop()
    ratelimit.reset()
    yield
    serving_cache_drop()
    ratelimit.reset()


@pytest.fixture
def alice(db: Any) -> User:
    return User.objects.create_user("alice")


@pytest.fixture
def bob(db: Any) -> User:
    return User.objects.create_user("bob")


@pytest.fixture
def staff(db: Any) -> User:
    return User.objects.create_user("root", is_staff=True)


@pytest.fixture
def workflow(alice: User) -> Callable[..., WorkflowTemplate]:
    """alice's workflows, under a run role allowing everything."""
    role = role_create(owner=alice, name="everything", allowed_resources=["*"])

    def make(definition: dict[str, Any] = SUM_DEFINITION, name: str = "sum", type: str = "EXPRESS") -> WorkflowTemplate:
        return template_create(owner=alice, name=name, definition=json.dumps(definition), type=type, role=role)

    return make
