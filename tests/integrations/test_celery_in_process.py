"""Celery Tasks without a broker (the embedded default, ``task_always_eager``): the task runs in place.

The real worker and broker are in ``celery_cases.py``; these need neither.
"""

from __future__ import annotations

import json

import pytest
from celery import Celery

from backend.integrations import build_registry
from tests.integrations.support import caught, run_workflow, task

ASL = "arn:aws:states:::celery:task"
TCSL = "qrn:qcs:asw:ap-guangzhou:1250000000:celery:{}"


class Declined(Exception):
    pass


@pytest.fixture(scope="module")
def app() -> Celery:
    app = Celery("in-process", set_as_current=False)
    app.conf.update(task_always_eager=True, broker_url="memory://")

    @app.task(name="shop.add")
    def add(a: int, b: int) -> int:
        return a + b

    @app.task(name="shop.bill")
    def bill(order: dict) -> dict:
        raise Declined(f"order {order['id']} declined")

    return app


@pytest.fixture
def registry(owner, open_role, app):
    return build_registry(owner=owner, role=open_role, celery_app=app)


def test_request_response_returns_the_task_id(registry) -> None:
    result = run_workflow(task(ASL, Parameters={"TaskName": "shop.add", "Args": [1, 2]}), {}, registry)

    assert list(result.output) == ["TaskId"]


def test_sync_returns_the_result(registry) -> None:
    definition = task(f"{ASL}.sync", Parameters={"TaskName": "shop.add", "Kwargs": {"a": 1, "b": 2}},
                      ResultSelector={"sum.$": "$.Result", "status.$": "$.Status"})

    assert run_workflow(definition, {}, registry).output == {"sum": 3, "status": "SUCCESS"}


def test_a_raised_exception_is_the_error(registry) -> None:
    result = run_workflow(caught(TCSL.format("shop.bill.sync")), {"id": 3}, registry)

    assert result.output["error"]["Error"] == "Declined"
    assert json.loads(result.output["error"]["Cause"])["errorMessage"] == "order 3 declined"


def test_an_unregistered_task_says_a_broker_is_needed(registry) -> None:
    result = run_workflow(task(TCSL.format("shop.missing")), {}, registry)

    assert result.error == "Celery.NotRegistered"
    assert "CELERY_BROKER_URL" in result.cause


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"Args": [1]}, "TaskName must be the name of a Celery task"),
        ({"TaskName": "shop.add", "Args": {"a": 1}}, "Args must be an array"),
        ({"TaskName": "shop.add", "Kwargs": [1]}, "Kwargs must be an object"),
        ({"TaskName": "shop.add", "Queue": ""}, "Queue must be a non-empty string"),
    ],
)
def test_bad_parameters_name_the_field(registry, parameters: dict, message: str) -> None:
    result = run_workflow(task(ASL, Parameters=parameters), {}, registry)

    assert result.error == "States.Runtime"
    assert message in result.cause
