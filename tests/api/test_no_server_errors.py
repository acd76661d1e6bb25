"""Odd but well-signed requests (huge numbers, wrong types, NULs, long names) never get a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.api.signing import asw_call, sfn_call

BIG = 10**30


@pytest.mark.django_db
def test_odd_requests_get_protocol_errors_not_500(alice_api: APIClient, alice_things: dict[str, Any], client: Client,
                                                  alice_keys: tuple[str, str]) -> None:
    t = alice_things["template"].pk
    for path in [f"/api/templates/?offset={BIG}", f"/api/templates/?limit={BIG}", f"/api/executions/?workflow={BIG}",
                 f"/api/executions/1/history/?after={BIG}", f"/api/executions/?offset={BIG}&limit=5",
                 f"/api/templates/{t}/versions/?offset={BIG}", "/api/executions/?started_after=2020-13-45",
                 "/api/executions/?ordering=", "/api/templates/?name=%00"]:
        r = alice_api.get(path)
        assert r.status_code < 500, (path, r.status_code, r.content[:300])
    for op, params in [("ListStateMachines", {"nextToken": "bzoxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw"}),
                       ("ListStateMachines", {"maxResults": True}), ("ListStateMachines", {"maxResults": -1}),
                       ("CreateStateMachine", {"name": "x", "definition": "{}", "roleArn": "arn:aws:iam::1:role/r", "tags": "x"}),
                       ("CreateStateMachine", {"name": "\u0000", "definition": "\u0000", "roleArn": "arn:aws:iam::1:role/r"}),
                       ("StartExecution", {"stateMachineArn": "arn:aws:states:r:999999999999:stateMachine:x"}),
                       ("StartExecution", {"stateMachineArn": "arn:aws:states:r:000000000000:stateMachine:x", "name": "x" * 500}),
                       ("DescribeExecution", {"executionArn": "arn:aws:states:r:1:execution:a:" + "b" * 3000}),
                       ("GetExecutionHistory", {"executionArn": "arn:aws:states:r:1:execution:a:b", "maxResults": 10**12}),
                       ("ValidateStateMachineDefinition", {"definition": "x" * 100, "type": "NOPE"}),
                       ("ValidateStateMachineDefinition", {"definition": "{}", "maxResults": 5, "severity": 3}),
                       ("TestState", {"definition": "{}", "input": "{}"}),
                       ("TestState", {"definition": "[]"}),
                       ("TestState", {"definition": '{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}', "roleArn": "x"}),
                       ("SendTaskSuccess", {"taskToken": "A" * 64, "output": "{"}),
                       ("SendTaskFailure", {"taskToken": "A" * 64, "error": 5}),
                       ("StopExecution", {"executionArn": 5}),
                       ]:
        status, body = sfn_call(client, op, params, alice_keys)
        assert status < 500, (op, params, body)
    for action, params in [("DescribeFlowServices", {"Offset": 2**31 - 1, "Limit": 100}),
                           ("DescribeExecutions", {"StateMachineResourceName": "alice-flow", "PageSize": 100, "PageIndex": 2**31 - 1}),
                           ("CreateFlowService", {"FlowServiceName": "y", "Definition": "{}", "IsNewRole": True, "Type": "express", "RoleResource": "x" * 300}),
                           ("CreateFlowService", {"FlowServiceName": "z", "Definition": "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}", "IsNewRole": True, "Type": "STANDARD", "RoleResource": "qcs::cam::uin/1:roleName/" + "r" * 200}),
                           ("StartExecution", {"StateMachineResourceName": "alice-flow", "Input": "{}", "Name": 5}),
                           ("ModifyFlowService", {"FlowServiceResource": "alice-flow"}),
                           ("DescribeExecutionHistory", {"ExecutionResourceName": 7}),
                           ]:
        r = asw_call(client, action, params, alice_keys)
        assert r.get("Error", {}).get("Code") != "InternalError", (action, r)
