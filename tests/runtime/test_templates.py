"""Templates and versions: numbering, immutability, fixed type, validation with pointers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from backend.workflows.errors import (
    InvalidDefinition,
    InvalidName,
    InvalidRole,
    WorkflowAlreadyExists,
    WorkflowTypeNotChangeable,
    WorkflowTypeNotSupported,
)
from backend.workflows.models import WorkflowTemplate, WorkflowVersion
from backend.workflows.selectors import template_get_version, template_latest_version
from backend.workflows.services import role_create, template_update, version_publish
from tests.runtime.conftest import PASS_DEFINITION, pass_chain


def test_create_stores_the_definition_verbatim_as_version_1(make_template, role) -> None:
    text = '{\n  "StartAt": "Done",\n  "States": {"Done": {"Type": "Pass", "End": true}}\n}'
    template = make_template(definition=text, role=role)

    template.refresh_from_db()
    version = template_latest_version(template=template)
    assert template.definition == text
    assert (version.number, version.definition, version.role) == (1, text, role)


def test_a_definition_change_is_a_new_version_and_the_same_text_is_not(make_template) -> None:
    template = make_template(definition=pass_chain("A"))
    template_update(template=template, definition=pass_chain("A", "B"))
    template_update(template=template, definition=pass_chain("A", "B"))  # unchanged
    template_update(template=template, description="only the description")

    numbers = list(template.versions.values_list("number", flat=True))
    assert numbers == [1, 2]
    assert template_get_version(template=template, number=1).definition == pass_chain("A")
    assert template_get_version(template=template).definition == pass_chain("A", "B")


def test_a_role_change_is_pinned_in_a_new_version(make_template, owner, role) -> None:
    template = make_template()
    template_update(template=template, role=role)
    other = role_create(owner=owner, name="other")
    template_update(template=template, role=other)

    assert [(v.number, v.role) for v in template.versions.all()] == [(1, None), (2, role), (3, other)]


def test_version_numbers_are_never_reused_after_a_delete(make_template) -> None:
    template = make_template(definition=pass_chain("A"))
    template_update(template=template, definition=pass_chain("B"))
    WorkflowVersion.objects.filter(template=template, number=2).delete()

    template_update(template=template, definition=pass_chain("C"))

    assert list(template.versions.values_list("number", flat=True)) == [1, 3]


def test_numbering_is_per_template(make_template) -> None:
    first = make_template(name="first")
    second = make_template(name="second", definition=pass_chain("X"))
    template_update(template=first, definition=pass_chain("Y"))

    assert template_latest_version(template=first).number == 2
    assert template_latest_version(template=second).number == 1


def test_versions_are_immutable(make_template) -> None:
    version = template_latest_version(template=make_template())
    version.definition = pass_chain("Tampered")
    with pytest.raises(ValidationError, match="immutable"):
        version.save()
    assert WorkflowVersion.objects.get(pk=version.pk).definition == PASS_DEFINITION


def test_publish_is_idempotent_until_something_changes(make_template) -> None:
    template = make_template()
    assert version_publish(template=template).number == 1
    assert version_publish(template=template).number == 1

    # A definition saved behind the services' back (e.g. a data migration) gets published.
    WorkflowTemplate.objects.filter(pk=template.pk).update(definition=pass_chain("Z"))
    template.refresh_from_db()
    published = version_publish(template=template, description="release")
    assert (published.number, published.definition, published.description) == (2, pass_chain("Z"), "release")


def test_type_is_fixed_at_creation_in_the_service(make_template) -> None:
    template = make_template(type="EXPRESS")
    with pytest.raises(WorkflowTypeNotChangeable, match="is EXPRESS and cannot be changed to STANDARD"):
        template_update(template=template, type="STANDARD")
    template_update(template=template, type="EXPRESS", description="restating the type is fine")
    assert WorkflowTemplate.objects.get(pk=template.pk).type == "EXPRESS"


def test_type_is_fixed_at_creation_in_the_model(make_template) -> None:
    template = WorkflowTemplate.objects.get(pk=make_template().pk)
    template.type = "EXPRESS"
    with pytest.raises(ValidationError, match="cannot be changed"):
        template.save()
    assert WorkflowTemplate.objects.get(pk=template.pk).type == "STANDARD"


def test_invalid_definition_carries_diagnostics_with_json_pointers(make_template) -> None:
    bad = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}'
    with pytest.raises(InvalidDefinition) as caught:
        make_template(definition=bad)

    error = caught.value
    assert error.code == "InvalidDefinition"
    locations = {d.location for d in error.diagnostics if d.severity == "ERROR"}
    assert "/States/A/Next" in locations
    assert error.message.startswith("Invalid State Machine Definition: '")
    assert "at /States/A/Next" in error.message
    assert not WorkflowTemplate.objects.exists()


def test_update_with_an_invalid_definition_changes_nothing(make_template) -> None:
    template = make_template()
    with pytest.raises(InvalidDefinition) as caught:
        template_update(template=template, definition='{"StartAt": "A", "States": {}}')
    assert caught.value.diagnostics
    template.refresh_from_db()
    assert template.definition == PASS_DEFINITION
    assert template.versions.count() == 1


def test_express_rules_are_checked_for_express_templates(make_template) -> None:
    callback = (
        '{"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,'
        ' "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",'
        ' "Parameters": {"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}}}}}'
    )
    make_template(name="standard-callback", definition=callback)
    with pytest.raises(InvalidDefinition) as caught:
        make_template(name="express-callback", definition=callback, type="EXPRESS")
    assert any(d.location.startswith("/States/T") for d in caught.value.diagnostics)


def test_names_are_unique_per_owner_and_checked(make_template, other_owner) -> None:
    make_template(name="orders")
    with pytest.raises(WorkflowAlreadyExists):
        make_template(name="orders")
    make_template(name="orders", owner=other_owner)  # another user's namespace
    with pytest.raises(InvalidName, match="must not contain"):
        make_template(name="has space")
    with pytest.raises(InvalidName, match="1 to 80"):
        make_template(name="x" * 81)


def test_a_template_uses_only_its_owners_roles(make_template, other_owner) -> None:
    foreign = role_create(owner=other_owner, name="theirs")
    with pytest.raises(InvalidRole, match="another user"):
        make_template(role=foreign)
    template = make_template()
    with pytest.raises(InvalidRole):
        template_update(template=template, role=foreign)
    assert template.versions.count() == 1


def test_unknown_workflow_types_are_refused(make_template) -> None:
    with pytest.raises(WorkflowTypeNotSupported, match="must be STANDARD or EXPRESS"):
        make_template(type="BATCH")
    assert not WorkflowTemplate.objects.exists()
