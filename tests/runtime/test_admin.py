"""The admin pages of the runtime models: they render, and edits go through the services."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from backend.engine.journal import Event
from backend.executions.models import Execution, HistoryEvent, TaskToken, Timer
from backend.executions.services import execution_create, history_append, timer_schedule, token_issue
from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowVersion
from tests.runtime.conftest import pass_chain

MODELS = [WorkflowTemplate, WorkflowVersion, RunRole, Function, Execution, HistoryEvent, TaskToken, Timer]


@pytest.fixture
def admin_client_with_data(db: None) -> Client:
    call_command("seed_demo")
    execution = execution_create(template=WorkflowTemplate.objects.get(name="sum"), name="run-1").execution
    history_append(
        execution_id=execution.pk,
        events=[Event(1, 0, 1_700_000_000.5, "ExecutionStarted", {"input": {"values": [1]}})],
    )
    token_issue(execution=execution, state_entered_event_id=1, after_event_id=1, state_name="Sum")
    timer_schedule(execution=execution, due_at=execution.started_at, kind="WAIT")
    user = get_user_model().objects.create_superuser("root", password="pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_list_and_detail_pages_render(admin_client_with_data: Client, model) -> None:
    meta = model._meta
    listing = admin_client_with_data.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    obj = model.objects.first()
    detail = admin_client_with_data.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    assert detail.status_code == 200


def test_execution_page_shows_its_history_read_only(admin_client_with_data: Client) -> None:
    execution = Execution.objects.get(name="run-1")
    page = admin_client_with_data.get(reverse("admin:executions_execution_change", args=[execution.pk]))
    body = page.content.decode()
    assert "ExecutionStarted" in body and "2023-11-14T22:13:20.500Z" in body
    assert 'name="events-0-type"' not in body  # not an editable form field


def template_form(template: WorkflowTemplate, definition: str) -> dict[str, str]:
    return {
        "owner": str(template.owner_id),
        "description": template.description,
        "role": str(template.role_id or ""),
        "definition": definition,
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": str(template.versions.count()),
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }


def test_an_admin_edit_is_validated_and_becomes_a_version(admin_client_with_data: Client) -> None:
    template = WorkflowTemplate.objects.get(name="choice")
    url = reverse("admin:workflows_workflowtemplate_change", args=[template.pk])

    dangling = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}'
    bad = admin_client_with_data.post(url, template_form(template, dangling))
    assert bad.status_code == 200
    assert "/States/A/Next" in bad.content.decode()
    assert template.versions.count() == 1

    good = admin_client_with_data.post(url, template_form(template, pass_chain("A", "B")))
    assert good.status_code == 302, good.content.decode()[:2000]
    template.refresh_from_db()
    assert template.definition == pass_chain("A", "B")
    assert list(template.versions.values_list("number", flat=True)) == [1, 2]
