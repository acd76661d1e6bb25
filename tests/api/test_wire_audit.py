"""Changes made through the signed wire APIs are audited with the signer as the actor."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from backend.audit.models import AuditEvent
from tests.api.conftest import PASS_DEFINITION
from tests.api.signing import asw_call, sfn_call

pytestmark = pytest.mark.django_db


def test_an_asw_signed_change_is_audited_with_the_signer(client: Client, alice, alice_keys) -> None:
    response = asw_call(client, "CreateFlowService", {
        "FlowServiceName": "audited", "Definition": json.dumps(PASS_DEFINITION), "IsNewRole": False,
        "Type": "STANDARD", "FlowServiceChineseName": "流程"}, alice_keys)
    assert "Error" not in response
    event = AuditEvent.objects.get(object_type="workflow", object_name="audited", action="created")
    assert (event.actor_id, event.actor_name, event.client) == (alice.pk, alice.username, "asw")


def test_an_sfn_signed_change_is_audited_with_the_signer(client: Client, alice, alice_keys) -> None:
    status, body = sfn_call(client, "CreateStateMachine", {
        "name": "audited-sm", "definition": json.dumps(PASS_DEFINITION),
        "roleArn": "arn:aws:iam::123456789012:role/alice-role"}, alice_keys)
    assert status == 200, body
    event = AuditEvent.objects.get(object_type="workflow", object_name="audited-sm", action="created")
    assert (event.actor_id, event.actor_name, event.client) == (alice.pk, alice.username, "sfn")
