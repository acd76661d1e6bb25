"""REST management of published endpoints: CRUD, validation, API keys, audit, and the ownership matrix."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from backend.audit.models import AuditEvent
from backend.endpoints.models import Endpoint, EndpointApiKey
from backend.endpoints.services import api_key_create, endpoint_create, key_hash
from tests.endpoints.conftest import client_for

pytestmark = pytest.mark.django_db


def test_publish_get_list_change_unpublish(alice_api: APIClient, workflow: Any) -> None:
    template = workflow()
    created = alice_api.post("/api/endpoints/", {"workflow": template.pk, "name": "Sum it"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["slug"] == "sum-it"
    assert body["url"] == "http://testserver/run/sum-it"
    assert body["openapi_url"] == "http://testserver/run/sum-it/openapi.json"
    assert {key: body[key] for key in ("workflow", "workflow_name", "workflow_type", "version", "enabled", "auth",
                                       "rate_limit_per_second", "rate_limit_burst", "max_body_bytes")} == {
        "workflow": template.pk, "workflow_name": "sum", "workflow_type": "EXPRESS", "version": None,
        "enabled": True, "auth": "api_key", "rate_limit_per_second": None, "rate_limit_burst": None,
        "max_body_bytes": 262144}
    assert {"id", "name", "created_at", "updated_at", "description"} <= set(body)
    endpoint_id = body["id"]

    assert alice_api.get(f"/api/endpoints/{endpoint_id}/").json() == body
    listed = alice_api.get("/api/endpoints/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == endpoint_id
    assert alice_api.get(f"/api/endpoints/?workflow={template.pk}").json()["count"] == 1
    assert alice_api.get(f"/api/endpoints/?workflow={template.pk + 1}").json()["count"] == 0

    changed = alice_api.patch(f"/api/endpoints/{endpoint_id}/", {
        "slug": "adder", "version": 1, "auth": "none", "rate_limit_per_second": 2.5, "rate_limit_burst": 5,
        "max_body_bytes": 1000, "enabled": False, "description": "adds"}, format="json")
    assert changed.status_code == 200, changed.content
    assert {key: changed.json()[key] for key in ("slug", "version", "auth", "rate_limit_per_second",
                                                 "rate_limit_burst", "max_body_bytes", "enabled", "url")} == {
        "slug": "adder", "version": 1, "auth": "none", "rate_limit_per_second": 2.5, "rate_limit_burst": 5,
        "max_body_bytes": 1000, "enabled": False, "url": "http://testserver/run/adder"}
    assert alice_api.patch(f"/api/endpoints/{endpoint_id}/", {"version": None, "rate_limit_per_second": None},
                           format="json").json()["version"] is None

    assert alice_api.delete(f"/api/endpoints/{endpoint_id}/").status_code == 204
    assert alice_api.get(f"/api/endpoints/{endpoint_id}/").status_code == 404
    assert not Endpoint.objects.exists()

    actions = list(AuditEvent.objects.filter(object_type="endpoint").order_by("id").values_list("action", flat=True))
    assert actions == ["published", "changed", "changed", "deleted"]
    unpublished = AuditEvent.objects.filter(object_type="endpoint", action="deleted").get()
    assert unpublished.details["unpublished"] is True and unpublished.actor_name == "alice"
    published = AuditEvent.objects.filter(object_type="endpoint", action="published").get()
    assert published.details["workflow_id"] == template.pk and published.object_name == "sum-it"


def test_slugs_are_unique_and_generated(alice_api: APIClient, workflow: Any) -> None:
    template = workflow()
    first = alice_api.post("/api/endpoints/", {"workflow": template.pk, "name": "calc", "slug": "calc"}, format="json")
    assert first.status_code == 201
    taken = alice_api.post("/api/endpoints/", {"workflow": template.pk, "name": "x", "slug": "calc"}, format="json")
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "ResourceAlreadyExists"
    generated = alice_api.post("/api/endpoints/", {"workflow": template.pk, "name": "calc"}, format="json")
    assert generated.status_code == 201 and generated.json()["slug"].startswith("calc-")
    other = alice_api.post("/api/endpoints/", {"workflow": template.pk, "name": "other"}, format="json").json()
    clash = alice_api.patch(f"/api/endpoints/{other['id']}/", {"slug": "calc"}, format="json")
    assert clash.status_code == 409


@pytest.mark.parametrize("fields, field", [
    ({"slug": "Has Spaces"}, "slug"),
    ({"slug": "-dash-first"}, "slug"),
    ({"slug": "x" * 65}, "slug"),
    ({"slug": "new\nline"}, "slug"),
    ({"version": 7}, "version"),
    ({"version": 0}, "version"),
    ({"version": "one"}, "version"),
    ({"rate_limit_per_second": 0}, "rate_limit_per_second"),
    ({"rate_limit_per_second": -1}, "rate_limit_per_second"),
    ({"rate_limit_per_second": "fast"}, "rate_limit_per_second"),
    ({"rate_limit_burst": 0}, "rate_limit_burst"),
    ({"max_body_bytes": 0}, "max_body_bytes"),
    ({"max_body_bytes": 262145}, "max_body_bytes"),
    ({"auth": "password"}, "auth"),
    ({"enabled": "maybe"}, "enabled"),
    ({"name": ""}, "name"),
])
def test_invalid_fields_are_400(alice_api: APIClient, workflow: Any, fields: dict[str, Any], field: str) -> None:
    template = workflow()
    response = alice_api.post("/api/endpoints/", {"workflow": template.pk, "name": "n", **fields}, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "ValidationException" and field in error["message"]
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("body", [[], "text", 3, None, {"workflow": "x", "name": "n"}, {"name": "no workflow"}])
def test_malformed_create_bodies_are_400(alice_api: APIClient, workflow: Any, body: Any) -> None:
    workflow()
    response = alice_api.post("/api/endpoints/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "ValidationException"


def test_unparsable_json_is_400(alice_api: APIClient) -> None:
    response = alice_api.post("/api/endpoints/", b"{nope", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "SerializationException"


def test_api_keys_are_shown_once_and_stored_hashed(alice_api: APIClient, workflow: Any) -> None:
    endpoint = alice_api.post("/api/endpoints/", {"workflow": workflow().pk, "name": "n"}, format="json").json()
    created = alice_api.post(f"/api/endpoints/{endpoint['id']}/keys/", {"name": "ci"}, format="json")
    assert created.status_code == 201
    issued = created.json()
    assert set(issued) == {"id", "name", "prefix", "key", "created_at"}
    assert issued["key"].startswith(issued["prefix"]) and len(issued["key"]) > 40
    row = EndpointApiKey.objects.get(pk=issued["id"])
    assert row.key_hash == key_hash(issued["key"]) and issued["key"] not in (row.key_hash, row.prefix, row.name)

    listed = alice_api.get(f"/api/endpoints/{endpoint['id']}/keys/").json()
    assert listed["count"] == 1 and "key" not in listed["results"][0]
    assert listed["results"][0]["prefix"] == issued["prefix"]
    assert issued["key"] not in str(listed)

    assert alice_api.delete(f"/api/endpoints/{endpoint['id']}/keys/{issued['id']}/").status_code == 204
    assert alice_api.get(f"/api/endpoints/{endpoint['id']}/keys/").json()["count"] == 0
    assert alice_api.delete(f"/api/endpoints/{endpoint['id']}/keys/{issued['id']}/").status_code == 404
    actions = list(AuditEvent.objects.filter(object_type="endpoint_api_key").values_list("action", flat=True))
    assert sorted(actions) == ["created", "deleted"]
    assert not AuditEvent.objects.filter(details__icontains=issued["key"][5:]).exists()


def test_anonymous_gets_401(db: Any) -> None:
    response = APIClient().get("/api/endpoints/")
    assert response.status_code == 401 and response.json()["error"]["code"] == "NotAuthenticated"


def _alices_endpoint(workflow: Any) -> tuple[Endpoint, EndpointApiKey]:
    endpoint = endpoint_create(template=workflow(), name="mine", slug="mine")
    return endpoint, api_key_create(endpoint=endpoint).api_key


def test_other_users_cannot_see_or_touch_an_endpoint(workflow: Any, bob_api: APIClient) -> None:
    endpoint, key = _alices_endpoint(workflow)
    e, k, t = endpoint.pk, key.pk, endpoint.template_id
    calls = [
        ("get", f"/api/endpoints/{e}/", None),
        ("patch", f"/api/endpoints/{e}/", {"auth": "none"}),
        ("delete", f"/api/endpoints/{e}/", None),
        ("get", f"/api/endpoints/{e}/keys/", None),
        ("post", f"/api/endpoints/{e}/keys/", {}),
        ("delete", f"/api/endpoints/{e}/keys/{k}/", None),
        ("post", "/api/endpoints/", {"workflow": t, "name": "hijack", "auth": "none"}),
    ]
    for method, path, body in calls:
        response = getattr(bob_api, method)(path, body, format="json")
        assert response.status_code == 404, (method, path, response.status_code, response.content)
        assert response.json()["error"]["code"] in {"ResourceNotFound", "StateMachineDoesNotExist"}
    assert bob_api.get("/api/endpoints/").json()["count"] == 0
    assert bob_api.get(f"/api/endpoints/?workflow={t}").json()["count"] == 0
    endpoint.refresh_from_db()
    assert endpoint.auth == "api_key" and Endpoint.objects.count() == 1 and EndpointApiKey.objects.count() == 1


def test_staff_see_and_manage_every_endpoint(workflow: Any, staff: User, alice: User) -> None:
    endpoint, _ = _alices_endpoint(workflow)
    root = client_for(staff)
    assert root.get("/api/endpoints/").json()["count"] == 1
    assert root.patch(f"/api/endpoints/{endpoint.pk}/", {"enabled": False}, format="json").status_code == 200
    assert root.post(f"/api/endpoints/{endpoint.pk}/keys/", {}, format="json").status_code == 201
    # Staff publishing alice's workflow: the endpoint is alice's (it goes with the workflow).
    created = root.post("/api/endpoints/", {"workflow": endpoint.template_id, "name": "by staff"}, format="json")
    assert created.status_code == 201
    assert client_for(alice).get(f"/api/endpoints/{created.json()['id']}/").status_code == 200


def test_deleting_the_workflow_unpublishes(alice_api: APIClient, workflow: Any) -> None:
    endpoint, _ = _alices_endpoint(workflow)
    assert alice_api.delete(f"/api/templates/{endpoint.template_id}/").status_code == 204
    assert not Endpoint.objects.exists() and not EndpointApiKey.objects.exists()


def test_the_schema_documents_the_endpoints_api(alice_api: APIClient) -> None:
    schema = alice_api.get("/api/schema/?format=json").json()
    assert {"/api/endpoints/", "/api/endpoints/{endpoint_id}/", "/api/endpoints/{endpoint_id}/keys/",
            "/api/endpoints/{endpoint_id}/keys/{key_id}/"} <= set(schema["paths"])


def test_a_slug_with_a_trailing_newline_is_refused(workflow: Any) -> None:
    from backend.endpoints.errors import InvalidEndpoint

    with pytest.raises(InvalidEndpoint):
        endpoint_create(template=workflow(), name="n", slug="slug\n")
