"""``manage.py seed_demo``: idempotent, valid demo workflows, and the tutorial's sum gives 15."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from backend.engine.execution import Execution as EngineExecution
from backend.engine.program import compile_definition
from backend.engine.resources import SCF_INVOKE, ResourceRegistry, TaskCall, TaskOutcome
from backend.engine.validation import validate_definition
from backend.workflows.demo_data import demo_definitions
from backend.workflows.models import Function, RunRole, WorkflowTemplate, WorkflowVersion
from backend.workflows.selectors import role_allows
from backend.workflows.services import function_test_invoke

EXPECTED_WORKFLOWS = {"callback", "choice", "map", "parallel", "retry-catch", "sum", "wait"}


def snapshot() -> tuple:
    return (
        list(Function.objects.values_list("name", "content_hash", "updated_at")),
        list(RunRole.objects.values_list("name", "allowed_resources", "updated_at")),
        list(WorkflowTemplate.objects.values_list("name", "definition", "next_version_number", "updated_at")),
        WorkflowVersion.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys) -> None:
    call_command("seed_demo")
    first_output = capsys.readouterr().out
    before = snapshot()
    call_command("seed_demo")
    second_output = capsys.readouterr().out

    assert "workflow sum: created" in first_output
    assert "created" not in second_output and "updated" not in second_output
    functions, roles, templates, versions = snapshot()
    assert (functions, roles, versions) == (before[0], before[1], before[3])
    assert templates == before[2]
    assert {t[0] for t in templates} == EXPECTED_WORKFLOWS
    assert versions == len(EXPECTED_WORKFLOWS)


@pytest.mark.django_db
def test_seed_demo_brings_changed_files_back_as_new_versions() -> None:
    call_command("seed_demo")
    WorkflowTemplate.objects.filter(name="sum").update(definition="{}")
    call_command("seed_demo")
    template = WorkflowTemplate.objects.get(name="sum")
    assert template.definition == demo_definitions()["sum"]
    assert template.versions.count() == 2


@pytest.mark.parametrize("name", sorted(EXPECTED_WORKFLOWS))
def test_every_demo_definition_passes_the_validator(name: str) -> None:
    errors = [d for d in validate_definition(demo_definitions()[name]) if d.severity == "ERROR"]
    assert errors == []


@pytest.mark.django_db
def test_the_demo_role_allows_every_resource_the_demo_workflows_call() -> None:
    call_command("seed_demo")
    for template in WorkflowTemplate.objects.select_related("role"):
        for resource in resources_of(json.loads(template.definition)):
            assert role_allows(role=template.role, resource=resource), (template.name, resource)


def resources_of(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["Resource"]] if isinstance(node.get("Resource"), str) else []
        return found + [r for value in node.values() for r in resources_of(value)]
    if isinstance(node, list):
        return [r for value in node for r in resources_of(value)]
    return []


@pytest.mark.django_db
def test_the_tutorial_workflow_sums_to_15_with_the_stored_function(function_pool) -> None:
    call_command("seed_demo")
    template = WorkflowTemplate.objects.get(name="sum")

    def invoke_stored_function(call: TaskCall) -> TaskOutcome:
        function = Function.objects.get(owner=template.owner, name=call.spec.function)
        result = function_test_invoke(function=function, event=call.payload, pool=function_pool)
        return TaskOutcome.succeeded(result.payload) if result.ok else TaskOutcome.failed(result.error, result.cause)

    registry = ResourceRegistry()
    registry.register_kind(SCF_INVOKE, invoke_stored_function)
    program = compile_definition(template.versions.get().definition)
    result = EngineExecution(program, {"values": [1, 2, 3, 4, 5]}, registry=registry).run()

    assert (result.status, result.output) == ("SUCCEEDED", 15)


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_clients_roles_for_the_sum_function_only() -> None:
    call_command("seed_demo")
    asw = RunRole.objects.get(owner__username="demo", name="asw-demo-role")
    sfn = RunRole.objects.get(owner__username="demo", name="sfn-demo-role")
    assert role_allows(role=asw, resource="qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum")
    assert role_allows(role=sfn, resource="arn:aws:lambda:us-east-1:123456789012:function:sum")
    assert not role_allows(role=sfn, resource="arn:aws:lambda:us-east-1:123456789012:function:other")


@pytest.mark.django_db
def test_the_demo_owner_signs_in_only_when_a_password_is_given(client) -> None:
    from django.contrib.auth import get_user_model

    call_command("seed_demo")
    demo = get_user_model().objects.get(username="demo")
    assert not demo.has_usable_password()
    assert client.post("/api/auth/login/", {"username": "demo", "password": "pw-1"},
                       content_type="application/json").status_code >= 400
    call_command("seed_demo", password="pw-1")
    response = client.post("/api/auth/login/", {"username": "demo", "password": "pw-1"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert client.get("/api/templates/").json()["count"] == len(EXPECTED_WORKFLOWS)
