"""Connections: credentials added to real HTTP calls on loopback; secrets never leak."""

from __future__ import annotations

import base64
import io
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from backend.connections.models import Connection
from backend.connections.selectors import connection_list
from backend.connections.services import (
    ConnectionResolver,
    InvalidConnection,
    connection_create,
    connection_update,
)
from backend.engine.journal import MemoryJournal
from backend.integrations import build_registry
from backend.workflows.services import role_create
from tests.integrations.support import run_workflow, task

HTTP = "arn:aws:states:::http:invoke"
SECRET = "pa55-Very-Secret-Value-7f3a"


class Server:
    """An API that echoes what it got, and an OAuth 2 token endpoint that counts its calls."""

    def __init__(self) -> None:
        self.token_calls: list[dict[str, Any]] = []
        self.tokens_issued = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if self.path == "/token":
                    server.token_calls.append({"auth": self.headers["Authorization"], "form": parse_qs(body)})
                    server.tokens_issued += 1
                    self._json({"access_token": f"token-{server.tokens_issued}", "expires_in": 3600})
                else:
                    self._echo()

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/quiet"):  # an API that does not echo credentials back
                    self._json({"ok": True})
                else:
                    self._echo()

            def _echo(self) -> None:
                parts = urlsplit(self.path)
                self._json({"headers": {k.lower(): v for k, v in self.headers.items()},
                            "query": parse_qs(parts.query)})

            def _json(self, value: Any) -> None:
                payload = json.dumps(value).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}"


@pytest.fixture
def server() -> Iterator[Server]:
    found = Server()
    thread = threading.Thread(target=found.http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield found
    found.http.shutdown()
    found.http.server_close()
    thread.join(5)


@pytest.fixture
def run_role(owner):  # type: ignore[no-untyped-def]
    return role_create(owner=owner, name="http-crm", allowed_resources=[HTTP, "connection:crm*"])


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def call(owner, role, server: Server, connection: str, clock=None, journal=None,  # type: ignore[no-untyped-def]
         path: str = "/api") -> dict:
    registry = build_registry(owner=owner, role=role,
                              connections=ConnectionResolver(owner=owner, role=role, clock=clock or FakeClock()))
    definition = task(HTTP, Parameters={"ApiEndpoint": f"{server.url}{path}?page=1", "Method": "GET",
                                        "Authentication": {"ConnectionName": connection}})
    result = run_workflow(definition, {}, registry, journal=journal)
    return {"status": result.status, "error": result.error, "cause": result.cause,
            "echo": (result.output or {}).get("ResponseBody")}


@pytest.mark.parametrize("kind, parameters, header, expected", [
    ("basic", {"username": "ada"}, "authorization", "Basic " + base64.b64encode(f"ada:{SECRET}".encode()).decode()),
    ("bearer", {}, "authorization", f"Bearer {SECRET}"),
    ("api_key", {"name": "X-Api-Key", "location": "header"}, "x-api-key", SECRET),
])
def test_credentials_go_into_headers(owner, run_role, server, kind, parameters, header, expected) -> None:
    connection_create(owner=owner, name="crm", kind=kind, parameters=parameters, secret=SECRET)
    answer = call(owner, run_role, server, "crm")
    assert answer["status"] == "SUCCEEDED", answer
    assert answer["echo"]["headers"][header] == expected


def test_an_api_key_can_go_into_the_query(owner, run_role, server) -> None:
    connection_create(owner=owner, name="crm", kind="api_key", parameters={"name": "key", "location": "query"},
                      secret=SECRET)
    answer = call(owner, run_role, server, "crm")
    assert answer["echo"]["query"] == {"page": ["1"], "key": [SECRET]}


def test_oauth2_client_credentials_tokens_are_cached_and_refreshed(owner, run_role, server) -> None:
    connection_create(owner=owner, name="crm", kind="oauth2", secret=SECRET,
                      parameters={"token_url": f"{server.url}/token", "client_id": "app", "scope": "read"})
    clock = FakeClock()
    first = call(owner, run_role, server, "crm", clock)
    clock.now += 3000  # still within the hour, minus the 30 s margin
    second = call(owner, run_role, server, "crm", clock)
    assert first["echo"]["headers"]["authorization"] == second["echo"]["headers"]["authorization"] == "Bearer token-1"
    clock.now += 600  # past expiry: a new token
    third = call(owner, run_role, server, "crm", clock)
    assert third["echo"]["headers"]["authorization"] == "Bearer token-2"
    assert len(server.token_calls) == 2
    assert server.token_calls[0]["auth"] == "Basic " + base64.b64encode(f"app:{SECRET}".encode()).decode()
    assert server.token_calls[0]["form"] == {"grant_type": ["client_credentials"], "scope": ["read"]}
    # Rotating the secret drops the cached token.
    connection_update(connection=Connection.objects.get(name="crm"), secret=SECRET + "-rotated")
    fourth = call(owner, run_role, server, "crm", clock)
    assert fourth["echo"]["headers"]["authorization"] == "Bearer token-3"


def test_the_run_role_decides_which_connections_a_workflow_may_use(owner, server) -> None:
    connection_create(owner=owner, name="billing", kind="bearer", parameters={}, secret=SECRET)
    role = role_create(owner=owner, name="http-only", allowed_resources=[HTTP])
    answer = call(owner, role, server, "billing")
    assert (answer["status"], answer["error"]) == ("FAILED", "States.Runtime")
    assert "the run role does not allow the connection 'billing'" in answer["cause"]


def test_another_owners_connection_does_not_exist_for_this_workflow(owner, run_role, server) -> None:
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user(username="eve")
    connection_create(owner=other, name="crm", kind="bearer", parameters={}, secret=SECRET)
    answer = call(owner, run_role, server, "crm")
    assert answer["status"] == "FAILED" and "the connection 'crm' does not exist" in answer["cause"]


def test_the_secret_appears_in_no_history_event_record_listing_or_log(owner, run_role, server, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    connection_create(owner=owner, name="crm", kind="basic", parameters={"username": "ada"}, secret=SECRET)
    connection_create(owner=owner, name="crm-oauth", kind="oauth2", secret=SECRET,
                      parameters={"token_url": f"{server.url}/token", "client_id": "app"})
    journal = MemoryJournal()
    assert call(owner, run_role, server, "crm", journal=journal, path="/quiet")["echo"] == {"ok": True}
    assert call(owner, run_role, server, "crm-oauth", journal=journal, path="/quiet")["echo"] == {"ok": True}
    # The request headers (with the credentials) are not part of the Task's result or history.
    history = json.dumps([list(event) for event in journal.events])
    assert '"ConnectionName": "crm"' in history or '"ConnectionName":"crm"' in history
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)  # every table: connections, audit log, everything
    everything = history + dump.getvalue() + caplog.text + json.dumps(connection_list(owner_id=owner.pk))
    encoded = base64.b64encode(f"ada:{SECRET}".encode()).decode()
    assert SECRET not in everything and encoded not in everything


@pytest.mark.parametrize("fields, field", [
    ({"kind": "digest", "parameters": {}}, "kind"),
    ({"kind": "basic", "parameters": {}}, "parameters.username"),
    ({"kind": "api_key", "parameters": {"name": "k", "location": "cookie"}}, "parameters.location"),
    ({"kind": "oauth2", "parameters": {"token_url": "file:///x", "client_id": "a"}}, "parameters.token_url"),
    ({"kind": "bearer", "parameters": {}, "secret": ""}, "secret"),
])
def test_invalid_connections_are_refused_naming_the_field(owner, fields: dict, field: str) -> None:
    with pytest.raises(InvalidConnection, match=f"Invalid connection: {field}"):
        connection_create(owner=owner, name="x", **{"secret": SECRET, **fields})


def test_the_admin_form_never_renders_the_secret_and_keeps_it_when_left_empty(owner) -> None:
    from backend.connections.admin import ConnectionForm

    connection = connection_create(owner=owner, name="crm", kind="bearer", parameters={}, secret=SECRET)
    assert SECRET not in ConnectionForm(instance=connection).as_p()
    form = ConnectionForm({"owner": owner.pk, "name": "crm", "kind": "bearer", "parameters": "{}",
                           "description": "renamed nothing", "secret": ""}, instance=connection)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.secret_sealed == connection.secret_sealed and saved.description == "renamed nothing"
