"""Testing one state (TestState): data-flow stages, next state, errors, through REST and the SFN API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.api.signing import sfn_call

pytestmark = pytest.mark.django_db

SUM = "arn:aws:lambda:us-east-1:123456789012:function:sum"


def test_pass_state_shows_every_data_flow_stage(alice_api: APIClient) -> None:
    state = {"Type": "Pass", "InputPath": "$.a", "Parameters": {"x.$": "$.b"}, "ResultPath": "$.r",
             "OutputPath": "$.r", "Next": "After"}
    answer = alice_api.post("/api/test-state/", {"definition": state, "input": {"a": {"b": 3}}}, format="json").json()
    assert answer["status"] == "SUCCEEDED" and answer["nextState"] == "After" and answer["output"] == {"x": 3}
    assert answer["inspectionData"] == {
        "input": {"a": {"b": 3}}, "afterInputPath": {"b": 3}, "afterParameters": {"x": 3}, "result": {"x": 3},
        "afterResultPath": {"a": {"b": 3}, "r": {"x": 3}}, "output": {"x": 3}}


def test_choice_picks_the_next_state_of_a_whole_machine(alice_api: APIClient) -> None:
    machine = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "NumericGreaterThan": 1, "Next": "Big"}],
              "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}
    big = alice_api.post("/api/test-state/", {"definition": machine, "state_name": "C", "input": {"v": 5}},
                         format="json").json()
    small = alice_api.post("/api/test-state/", {"definition": json.dumps(machine), "input": {"v": 0}},
                           format="json").json()
    assert (big["nextState"], small["nextState"]) == ("Big", "Small")


def test_task_runs_the_owners_function_under_a_role(alice_api: APIClient, alice_things: dict[str, Any]) -> None:
    state = {"Type": "Task", "Resource": SUM, "ResultSelector": {"total.$": "$"}, "ResultPath": "$.sum", "End": True}
    body = {"definition": state, "input": {"values": [1, 2, 3]}, "role_id": alice_things["role"].pk}
    answer = alice_api.post("/api/test-state/", body, format="json").json()
    assert answer["status"] == "SUCCEEDED", answer
    assert answer["inspectionData"]["result"] == 6
    assert answer["inspectionData"]["afterResultSelector"] == {"total": 6}
    assert answer["output"] == {"values": [1, 2, 3], "sum": {"total": 6}}
    # Without a role the call is refused; a Catch turns that into CAUGHT_ERROR.
    caught = {**state, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]}
    refused = alice_api.post("/api/test-state/", {"definition": caught, "input": {"values": [1]}}, format="json").json()
    assert refused["status"] == "CAUGHT_ERROR" and refused["error"] == "States.Permissions"
    assert refused["nextState"] == "Handler"


def test_fail_and_wait_states(alice_api: APIClient) -> None:
    failed = alice_api.post("/api/test-state/", {"definition": {"Type": "Fail", "Error": "E", "Cause": "c"}},
                            format="json").json()
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "E", "c")
    waited = alice_api.post("/api/test-state/", {"definition": {"Type": "Wait", "Seconds": 86400, "Next": "X"},
                                                 "input": {"q": 1}}, format="json").json()
    assert waited["status"] == "SUCCEEDED" and waited["output"] == {"q": 1}  # no real waiting


@pytest.mark.parametrize(("body", "code"), [
    ({"definition": {"Type": "Pass", "Next": 5}}, "InvalidDefinition"),
    ({"definition": {"Type": "Map", "End": True}}, "ValidationException"),
    ({"definition": "{oops"}, "InvalidDefinition"),
    ({"definition": [1]}, "InvalidDefinition"),
    ({"definition": {"StartAt": "A", "States": {}}, "state_name": "A"}, "InvalidDefinition"),
])
def test_bad_states_are_client_errors(alice_api: APIClient, body: dict[str, Any], code: str) -> None:
    response = alice_api.post("/api/test-state/", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == code, response.content


def test_sfn_test_state(client: Client, alice_keys: tuple[str, str]) -> None:
    state = {"Type": "Pass", "Parameters": {"y.$": "$.x"}, "Next": "N"}
    status, body = sfn_call(client, "TestState", {"definition": json.dumps(state), "input": '{"x": 2}',
                                                  "roleArn": "arn:aws:iam::1:role/r", "inspectionLevel": "DEBUG"},
                            alice_keys)
    assert status == 200, body
    assert body["status"] == "SUCCEEDED" and json.loads(body["output"]) == {"y": 2} and body["nextState"] == "N"
    assert json.loads(body["inspectionData"]["afterParameters"]) == {"y": 2}
