"""REST for connections: CRUD, validation naming the field, ownership, audit, and the
secret: write-only, so no response of these tests ever contains it (every body is searched)."""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.test import APIClient

from backend.accounts.secret_box import open_sealed
from backend.audit.models import AuditEvent
from backend.connections.models import Connection
from tests.api.conftest import alice, bob, staff  # noqa: F401 (fixtures)
from tests.runtime.runner.support import authorization_check

SECRET = "rest-Secret-Value-4b7e91"
ROTATED = "rest-Rotated-Secret-d02c55"


class RecordingClient(APIClient):
    """An API client that keeps every response body, to search them all for secrets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bodies: list[bytes] = []

    def request(self, *args: Any, **kwargs: Any) -> Any:
        response = super().request(*args, **kwargs)
        self.bodies.append(b"".join(response) if response.streaming else response.content)
        return response


@pytest.fixture
def bodies() -> list[list[bytes]]:
    return []


@pytest.fixture
def client_of(bodies: list[list[bytes]]):  # type: ignore[no-untyped-def]
    def make(user: User) -> RecordingClient:
        client = RecordingClient()
        client.force_authenticate(user)
        bodies.append(client.bodies)
        return client

    return make


@pytest.fixture
def alice_api(alice: User, client_of) -> RecordingClient:  # type: ignore[no-untyped-def]
    return client_of(alice)


@pytest.fixture(autouse=True)
def no_secret_in_any_response(bodies: list[list[bytes]], caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert any(bodies), "no response was recorded"
    everything = b"\n".join(body for client in bodies for body in client).decode("utf-8", "replace")
    everything += caplog.text
    for secret in (SECRET, ROTATED):
        assert secret not in everything
        assert base64.b64encode(f"ada:{secret}".encode()).decode() not in everything


def create(api: APIClient, **fields: Any) -> Any:
    body = {"name": "crm", "kind": "basic", "parameters": {"username": "ada"}, "secret": SECRET, **fields}
    return api.post("/api/connections/", body, format="json")


@pytest.mark.django_db
def test_create_read_list_rotate_and_delete_never_return_the_secret(alice_api: RecordingClient) -> None:
    created = create(alice_api, description="the CRM")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {key: body[key] for key in ("name", "kind", "description", "parameters", "secret_set", "resource",
                                       "owner")} == {
        "name": "crm", "kind": "basic", "description": "the CRM", "parameters": {"username": "ada"},
        "secret_set": True, "resource": "connection:crm", "owner": "alice"}
    assert "secret" not in body
    connection_id = body["id"]
    assert alice_api.get(f"/api/connections/{connection_id}/").json() == body
    assert alice_api.get("/api/connections/").json()["results"] == [body]
    assert alice_api.get("/api/connections/", {"kind": "bearer"}).json()["count"] == 0
    assert alice_api.get("/api/connections/", {"name": "cr"}).json()["count"] == 1
    sealed = Connection.objects.get().secret_sealed
    assert open_sealed(sealed) == SECRET

    # Changing the parameters keeps the secret; a new secret replaces it.
    changed = alice_api.patch(f"/api/connections/{connection_id}/", {"parameters": {"username": "grace"}},
                              format="json")
    assert changed.status_code == 200 and changed.json()["parameters"] == {"username": "grace"}
    assert Connection.objects.get().secret_sealed == sealed
    rotated = alice_api.patch(f"/api/connections/{connection_id}/", {"secret": ROTATED}, format="json")
    assert rotated.status_code == 200 and rotated.json()["secret_set"] is True
    assert open_sealed(Connection.objects.get().secret_sealed) == ROTATED

    # The audit log saw each change, without the secret.
    audit = alice_api.get("/api/audit/", {"object_type": "connection"}).json()
    assert [event["action"] for event in audit["results"]] == ["changed", "changed", "created"]
    assert {(event["client"], event["actor_name"]) for event in audit["results"]} == {("rest", "alice")}

    assert alice_api.delete(f"/api/connections/{connection_id}/").status_code == 204
    assert alice_api.get(f"/api/connections/{connection_id}/").status_code == 404
    dump = io.StringIO()
    call_command("dumpdata", "audit", stdout=dump)
    assert SECRET not in dump.getvalue() and ROTATED not in dump.getvalue()
    assert AuditEvent.objects.filter(object_type="connection", action="deleted").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("fields, field", [
    ({"kind": "digest"}, "kind"),
    ({"parameters": {}}, "parameters.username"),
    ({"kind": "api_key", "parameters": {"name": "X-Key", "location": "cookie"}}, "parameters.location"),
    ({"kind": "oauth2", "parameters": {"token_url": "file:///etc/passwd", "client_id": "app"}},
     "parameters.token_url"),
    ({"kind": "oauth2", "parameters": {"token_url": "https://auth.example/token"}}, "parameters.client_id"),
    ({"secret": ""}, "secret"),
    ({"secret": None}, "secret"),
    ({"parameters": ["username"]}, "parameters"),
    ({"name": ""}, "name"),
    ({"name": "no/slashes"}, "name"),
])
def test_invalid_connections_are_refused_naming_the_field(alice_api: RecordingClient, fields: dict[str, Any],
                                                          field: str) -> None:
    response = create(alice_api, **fields)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == field, response.json()
    assert not Connection.objects.exists()


@pytest.mark.django_db
def test_names_are_unique_per_owner_and_changes_are_checked(alice_api: RecordingClient, bob: User,
                                                            client_of) -> None:  # type: ignore[no-untyped-def]
    connection_id = create(alice_api).json()["id"]
    again = create(alice_api)
    assert again.status_code == 409 and again.json()["error"]["code"] == "ResourceAlreadyExists"
    assert create(client_of(bob)).status_code == 201  # bob's own "crm"
    for fields, field in [({"parameters": {"username": ""}}, "parameters.username"), ({"secret": ""}, "secret")]:
        response = alice_api.patch(f"/api/connections/{connection_id}/", fields, format="json")
        assert response.status_code == 400 and response.json()["error"]["field"] == field, response.content
    assert open_sealed(Connection.objects.get(pk=connection_id).secret_sealed) == SECRET


@pytest.mark.django_db
def test_another_users_connections_are_invisible_and_untouchable(alice_api: RecordingClient, bob: User,
                                                                 staff: User, client_of) -> None:  # type: ignore[no-untyped-def]
    connection_id = create(alice_api).json()["id"]
    bob_api = client_of(bob)
    for method, body in [("get", None), ("patch", {"secret": "bobs-now", "description": "mine"}), ("delete", None)]:
        response = getattr(bob_api, method)(f"/api/connections/{connection_id}/", body, format="json")
        assert response.status_code == 404, (method, response.content)
        assert response.json()["error"]["code"] == "ResourceNotFound"
    assert bob_api.get("/api/connections/").json()["count"] == 0
    row = Connection.objects.get(pk=connection_id)
    assert (row.description, open_sealed(row.secret_sealed)) == ("", SECRET)
    staff_api = client_of(staff)
    listing = staff_api.get("/api/connections/").json()
    assert listing["count"] == 1 and listing["results"][0]["owner"] == "alice"
    assert staff_api.get(f"/api/connections/{connection_id}/").status_code == 200


@pytest.mark.django_db
def test_the_schema_marks_the_secret_write_only(alice_api: RecordingClient) -> None:
    schemas = alice_api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert "secret" not in schemas["ConnectionOutput"]["properties"]
    assert "secret" in schemas["ConnectionCreateInputRequest"]["properties"]
    assert "secret_set" in schemas["ConnectionOutput"]["properties"]


# --- a connection made over REST, used by an HTTP Task run by the runner ----------------------


@pytest.fixture
def echo_url() -> Iterator[str]:
    """A loopback API that answers whether it got the credential (never echoing it)."""
    with authorization_check("Basic " + base64.b64encode(f"ada:{SECRET}".encode()).decode()) as url:
        yield url


@pytest.mark.django_db(transaction=True)
def test_a_workflow_uses_a_rest_made_connection_when_its_run_role_allows_it(
        alice_api: RecordingClient, echo_url: str) -> None:
    from tests.runtime.runner.support import run_until_idle

    assert create(alice_api).status_code == 201
    definition = {"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {"ApiEndpoint": echo_url, "Method": "GET", "Authentication": {"ConnectionName": "crm"}},
        "ResultSelector": {"authorized.$": "$.ResponseBody.authorized"}, "End": True}}}
    outcomes = {}
    for allowed in (["arn:aws:states:::http:invoke", "connection:crm"], ["arn:aws:states:::http:invoke"]):
        role = alice_api.post("/api/roles/", {"name": f"caller-{len(allowed)}", "allowed_resources": allowed},
                              format="json").json()
        flow = alice_api.post("/api/templates/", {"name": f"crm-{len(allowed)}", "definition": definition,
                                                  "role_id": role["id"]}, format="json").json()
        execution = alice_api.post("/api/executions/", {"workflow": flow["id"], "name": "call"}, format="json").json()
        run_until_idle()
        outcomes[len(allowed)] = alice_api.get(f"/api/executions/{execution['id']}/").json()
        history = alice_api.get(f"/api/executions/{execution['id']}/history/").json()
        assert "crm" in json.dumps(history)  # the history names the connection; the autouse check: no secret
    assert (outcomes[2]["status"], json.loads(outcomes[2]["output"])) == ("SUCCEEDED", {"authorized": True})
    assert outcomes[1]["status"] == "FAILED" and "connection:crm" in outcomes[1]["cause"]
