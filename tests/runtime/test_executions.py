"""Executions: idempotent start by name (Standard), version pinning, input checks."""

from __future__ import annotations

import pytest

from backend.executions.errors import ExecutionAlreadyExists, InvalidExecutionInput
from backend.executions.models import Execution, ExecutionStatus
from backend.executions.services import PAYLOAD_LIMIT_BYTES, execution_create
from backend.workflows.errors import InvalidName, VersionDoesNotExist
from backend.workflows.services import template_update
from tests.runtime.conftest import pass_chain


def test_start_pins_the_latest_version_and_copies_the_type(make_template) -> None:
    template = make_template(type="STANDARD")
    first = execution_create(template=template, name="one").execution
    template_update(template=template, definition=pass_chain("A", "B"))
    second = execution_create(template=template, name="two").execution
    older = execution_create(template=template, name="three", version_number=1).execution

    assert (first.version.number, second.version.number, older.version.number) == (1, 2, 1)
    assert first.type == "STANDARD" and first.status == ExecutionStatus.RUNNING
    assert first.input == "{}" and first.started_at is not None


def test_same_name_and_input_while_running_returns_the_same_execution(make_template) -> None:
    template = make_template()
    first = execution_create(template=template, name="order-1", input='{"id": 1}')
    again = execution_create(template=template, name="order-1", input='{"id": 1}')

    assert first.created and not again.created
    assert again.execution.pk == first.execution.pk
    assert Execution.objects.count() == 1


def test_same_name_with_other_input_is_refused(make_template) -> None:
    template = make_template()
    execution_create(template=template, name="order-1", input='{"id": 1}')
    with pytest.raises(ExecutionAlreadyExists, match="order-1"):
        execution_create(template=template, name="order-1", input='{"id": 2}')


@pytest.mark.parametrize("status", ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"])
def test_same_name_of_a_closed_execution_is_refused(make_template, status: str) -> None:
    template = make_template()
    start = execution_create(template=template, name="order-1", input="{}")
    Execution.objects.filter(pk=start.execution.pk).update(status=status)
    with pytest.raises(ExecutionAlreadyExists):
        execution_create(template=template, name="order-1", input="{}")


def test_names_are_per_template(make_template) -> None:
    a = execution_create(template=make_template(name="a"), name="same").execution
    b = execution_create(template=make_template(name="b"), name="same").execution
    assert a.pk != b.pk


def test_express_executions_are_not_deduplicated(make_template) -> None:
    template = make_template(type="EXPRESS")
    first = execution_create(template=template, name="burst")
    second = execution_create(template=template, name="burst")
    assert first.created and second.created
    assert first.execution.pk != second.execution.pk
    assert first.execution.type == "EXPRESS"


def test_a_name_is_generated_when_none_is_given(make_template) -> None:
    template = make_template()
    a = execution_create(template=template).execution
    b = execution_create(template=template).execution
    assert a.name != b.name and len(a.name) == 36


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": ', "Invalid execution input"),
        (" ", "Invalid execution input"),
        ('"' + "x" * PAYLOAD_LIMIT_BYTES + '"', "maximum of 262144 bytes"),
    ],
)
def test_bad_input_is_refused(make_template, text: str, message: str) -> None:
    with pytest.raises(InvalidExecutionInput, match=message):
        execution_create(template=make_template(), name="x", input=text)
    assert not Execution.objects.exists()


def test_input_at_the_limit_is_accepted_and_kept_verbatim(make_template) -> None:
    text = '"' + "é" * ((PAYLOAD_LIMIT_BYTES - 2) // 2) + '"'
    assert len(text.encode()) <= PAYLOAD_LIMIT_BYTES
    execution = execution_create(template=make_template(), name="big", input=text).execution
    assert Execution.objects.get(pk=execution.pk).input == text


def test_a_missing_version_is_refused(make_template) -> None:
    template = make_template(name="flow")
    with pytest.raises(VersionDoesNotExist, match="'flow' has no version 7"):
        execution_create(template=template, name="x", version_number=7)
    assert not Execution.objects.exists()


def test_bad_execution_names_are_refused(make_template) -> None:
    with pytest.raises(InvalidName):
        execution_create(template=make_template(), name="a/b")
