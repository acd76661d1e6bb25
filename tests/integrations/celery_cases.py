"""Celery Tasks against a real worker process on the real Redis broker (run by test_celery_tasks.py).

Not collected on its own (its name does not start with ``test_``): the worker must see
the test database, so ``test_celery_tasks.py`` runs this file in a nested pytest on
PostgreSQL, where pytest-django's test database is a real one the worker can reach.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import setup_databases, teardown_databases
from django_celery_results.models import TaskResult

from backend.engine.journal import MemoryJournal
from backend.engine.resources import PENDING, ResourceSpec, TaskCall, TaskOutcome, parse_resource
from backend.integrations import build_registry, poll_pending
from backend.integrations.celery_tasks import task_id_for
from backend.workflows.services import role_create
from tests.integrations.support import EVERYTHING, caught, run_workflow, task

ASL = "arn:aws:states:::celery:task"
TCSL = "qrn:qcs:asw:ap-guangzhou:1250000000:celery:{}"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def database(worker, django_db_blocker) -> Iterator[None]:
    """Plain autocommit access to the test database: the worker must see what we write, and we its
    rows. Nothing is rolled back or flushed between tests (each uses its own task ids); the whole
    database is dropped at the end."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="session")
def owner(worker, django_db_blocker):
    with django_db_blocker.unblock():
        return get_user_model().objects.create_user(username=f"celery-{secrets.token_hex(4)}")


@pytest.fixture(scope="session")
def open_role(owner, django_db_blocker):
    with django_db_blocker.unblock():
        return role_create(owner=owner, name="everything", allowed_resources=EVERYTHING)


@pytest.fixture(scope="session")
def worker_process() -> Iterator[tuple[subprocess.Popen, str]]:
    """A real ``celery worker`` process of the user's app, on the test database and a private queue.

    Started before the test database is created, so the two start-ups overlap; the worker
    touches the database only when it stores a result.
    """
    queue = f"integrations-{secrets.token_hex(4)}"
    os.environ["TEST_CELERY_QUEUE"] = queue  # read by the app module on import, here and in the worker
    test_database = connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}"
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{test_database}").geturl()
    name = f"{queue}@localhost"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.integrations.user_celery_app", "worker", "--pool", "solo",
         "-Q", f"{queue},{queue}-other", "-n", name, "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=REPO_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, name
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.returncode is None:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output[-5000:])


@pytest.fixture(scope="session")
def django_db_setup(worker_process, django_test_environment, django_db_blocker) -> Iterator[None]:
    """The test database, created while the worker starts and dropped after it stopped.

    (pytest-django's own fixture creates databases only for tests marked ``django_db``,
    and those run inside a transaction or get flushed: neither suits a second process.)
    """
    # Tables straight from the models (about half the time of running every migration on a
    # busy machine); the migrations themselves are exercised by tests/runtime on PostgreSQL.
    connection.settings_dict["TEST"]["MIGRATE"] = False
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    stop(worker_process[0])  # its connection would keep the database from being dropped
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def worker(worker_process, django_db_setup) -> object:
    """The user's Celery app, once its worker answers a ping."""
    from tests.integrations.user_celery_app import app

    process, name = worker_process
    for _ in range(60):  # importing Django and connecting takes a few seconds
        if app.control.ping(destination=[name], timeout=0.5) or process.poll() is not None:
            break
    assert process.poll() is None, "the Celery worker exited at start-up (its output follows the tests)"
    return app


@pytest.fixture
def registry(worker, owner, open_role):
    return build_registry(owner=owner, role=open_role, celery_app=worker)


def wait_for(predicate, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not true within {seconds} s")


def test_request_response_returns_the_task_id_and_the_worker_runs_it(registry) -> None:
    definition = task(ASL, Parameters={"TaskName": "shop.add", "Args": [2, 3]})

    result = run_workflow(definition, {}, registry)

    assert result.status == "SUCCEEDED", result.cause
    task_id = result.output["TaskId"]
    done = wait_for(lambda: TaskResult.objects.filter(task_id=task_id, status="SUCCESS").first())
    assert done.result == "5"


def test_sync_suspends_and_poll_pending_completes_it(registry) -> None:
    definition = task(f"{ASL}.sync", Parameters={"TaskName": "shop.add", "Args.$": "$.args", "Kwargs": {"b": 10}})
    journal = MemoryJournal()

    first = run_workflow(definition, {"args": [4]}, registry, journal=journal, name="sync-1")
    assert first.status == "SUSPENDED"
    pending = first.pending[0]
    outcomes = wait_for(lambda: poll_pending([pending.call]))
    journal.append(pending.completion_event(outcomes[pending.call.attempt_key], journal.events[-1].id + 1,
                                            time.time()))
    resumed = run_workflow(definition, {"args": [4]}, registry, journal=journal, name="sync-1")

    assert resumed.status == "SUCCEEDED", resumed.cause
    assert resumed.output == {"TaskId": task_id_for(pending.call.attempt_key), "TaskName": "shop.add",
                              "Status": "SUCCESS", "Result": 14}


def test_a_resumed_attempt_is_answered_from_its_result_not_sent_again(registry, tmp_path) -> None:
    ledger = tmp_path / "ledger"
    spec = parse_resource(f"{ASL}.sync")
    call = TaskCall(spec, {"TaskName": "shop.record", "Args": [str(ledger), "once"]}, "Call", "arn", "exec#2#0", None)

    assert registry.invoke(call) is PENDING
    wait_for(lambda: poll_pending([call]))
    again = registry.invoke(call)  # as after a crash before the outcome was journaled
    other = TaskCall(spec, {"TaskName": "shop.record", "Args": [str(ledger), "retry"]}, "Call", "arn", "exec#2#1",
                     None)
    assert registry.invoke(other) is PENDING
    wait_for(lambda: poll_pending([other]))

    assert again.output["Result"] == "once"
    assert ledger.read_text() == "once\nretry\n"


def test_tcsl_sync_waits_in_place_and_a_raised_exception_is_caught_by_its_name(worker, owner, open_role) -> None:
    registry = build_registry(owner=owner, role=open_role, celery_app=worker, celery_wait=True)
    definition = caught(TCSL.format("shop.bill.sync"))
    definition["States"]["Call"]["Catch"].insert(
        0, {"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.declined", "Next": "Caught"})

    paid = run_workflow(task(TCSL.format("shop.bill.sync")), {"id": 7, "total": 30}, registry)
    declined = run_workflow(definition, {"id": 8, "total": 5, "card": "stolen"}, registry)

    assert paid.output == {"order": 7, "billed": 30}
    assert declined.output["declined"]["Error"] == "PaymentDeclined"
    assert "card declined for order 8" in declined.output["declined"]["Cause"]


def test_waiting_in_place_is_bounded_by_the_task_timeout(worker, owner, open_role) -> None:
    registry = build_registry(owner=owner, role=open_role, celery_app=worker, celery_wait=True)
    definition = task(f"{ASL}.sync", Parameters={"TaskName": "shop.slow", "Args": [3]}, TimeoutSeconds=1)
    started = time.monotonic()

    result = run_workflow(definition, {}, registry)

    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert time.monotonic() - started < 2.5


def test_the_queue_parameter_routes_the_call(registry) -> None:
    queue = os.environ["TEST_CELERY_QUEUE"] + "-other"
    spec = parse_resource(f"{ASL}.sync")
    call = TaskCall(spec, {"TaskName": "shop.where", "Queue": queue}, "Call", "arn", "exec#3#0", None)

    assert registry.invoke(call) is PENDING
    outcome: TaskOutcome = wait_for(lambda: poll_pending([call]))[call.attempt_key]

    assert outcome.output["Result"] == queue


def test_poll_pending_ignores_what_is_not_a_sync_celery_call(registry) -> None:
    http = TaskCall(ResourceSpec("arn:aws:states:::http:invoke", "service", service="http", action="invoke"),
                    {}, "Call", "arn", "exec#4#0", None)
    assert poll_pending([http]) == {}
