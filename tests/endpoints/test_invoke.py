"""Calling a published endpoint (Django's test client through the same ``handle`` the server's fast path uses)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from backend.endpoints.models import Endpoint
from backend.endpoints.services import api_key_create, api_key_delete, endpoint_create, endpoint_update
from backend.executions.models import Execution
from backend.workflows.services import template_update
from tests.runtime.runner.support import run_until_idle

pytestmark = pytest.mark.django_db

WAIT_THEN_DONE = {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 0, "Next": "Done"},
                                                "Done": {"Type": "Pass", "Result": {"waited": True}, "End": True}}}


def post(client: Client, slug: str, body: bytes | str | None = b"", key: str | None = None, **extra: Any) -> Any:
    headers = {"HTTP_X_API_KEY": key} if key is not None else {}
    return client.generic("POST", f"/run/{slug}", body if body is not None else b"",
                          content_type="application/json", **headers, **extra)


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


@pytest.fixture
def public(workflow: Any) -> Endpoint:
    return endpoint_create(template=workflow(), name="sum", slug="sum", auth="none")


def test_express_success_is_the_output(client: Client, public: Endpoint) -> None:
    response = post(client, "sum", json.dumps({"a": 2, "b": 3}))
    assert response.status_code == 200, response.content
    assert response.json() == {"sum": 5}
    assert response["Content-Type"] == "application/json"
    name = response["X-Execution-Name"]
    row = Execution.objects.get(name=name)
    assert row.type == "EXPRESS" and row.status == "SUCCEEDED" and json.loads(row.output) == {"sum": 5}
    assert json.loads(row.input) == {"a": 2, "b": 3}


def test_express_failure_is_502_with_error_and_cause(client: Client, public: Endpoint) -> None:
    response = post(client, "sum", json.dumps({"a": 100, "b": 3}))
    assert response.status_code == 502
    error = error_of(response)
    assert error["code"] == "ExecutionFailed" and "TooBig" in error["message"]
    assert error["details"]["error"] == "TooBig" and error["details"]["cause"] == "the sum is over 100"
    assert error["details"]["execution_name"] == response["X-Execution-Name"]


def test_express_runtime_error_is_502(client: Client, public: Endpoint) -> None:
    response = post(client, "sum", json.dumps({"a": "two", "b": 3}))  # MathAdd on a string
    assert response.status_code == 502
    assert error_of(response)["details"]["error"] == "States.IntrinsicFailure"


def test_express_timeout_is_504(client: Client, workflow: Any) -> None:
    slow = workflow({"StartAt": "W", "TimeoutSeconds": 1,
                     "States": {"W": {"Type": "Wait", "Seconds": 3, "End": True}}}, name="slow")
    endpoint_create(template=slow, name="slow", slug="slow", auth="none")
    response = post(client, "slow", b"{}")
    assert response.status_code == 504
    error = error_of(response)
    assert error["code"] == "ExecutionTimedOut" and error["details"]["error"] == "States.Timeout"


def test_the_chosen_version_runs(client: Client, workflow: Any) -> None:
    template = workflow({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "v1", "End": True}}}, name="v")
    template_update(template=template,
                    definition={"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "v2", "End": True}}})
    endpoint_create(template=template, name="pinned", slug="pinned", auth="none", version=1)
    endpoint_create(template=template, name="latest", slug="latest", auth="none")
    assert post(client, "pinned").json() == "v1"
    assert post(client, "latest").json() == "v2"


def test_standard_is_202_with_a_status_url(client: Client, workflow: Any) -> None:
    template = workflow(WAIT_THEN_DONE, name="std", type="STANDARD")
    endpoint_create(template=template, name="std", slug="std", auth="none")
    response = post(client, "std", json.dumps({"x": 1}))
    assert response.status_code == 202, response.content
    body = response.json()
    execution = Execution.objects.get(pk=body["execution_id"])
    assert body["name"] == execution.name and body["status"] == "RUNNING"
    assert body["status_url"] == f"http://testserver/run/std/executions/{execution.name}"
    assert response["Location"] == body["status_url"]
    assert body["api_url"] == f"http://testserver/api/executions/{execution.pk}/"
    status_path = body["status_url"].removeprefix("http://testserver")
    assert client.get(status_path).json()["status"] == "RUNNING"

    run_until_idle()
    final = client.get(status_path).json()
    assert final["status"] == "SUCCEEDED" and final["output"] == {"waited": True}
    assert final["execution_id"] == execution.pk and final["stopped_at"] is not None
    assert client.get("/run/std/executions/no-such-name").status_code == 404


def test_api_key_missing_bad_good_revoked(client: Client, workflow: Any) -> None:
    endpoint = endpoint_create(template=workflow(), name="keyed", slug="keyed")
    issued = api_key_create(endpoint=endpoint)
    missing = post(client, "keyed", b"{}")
    assert missing.status_code == 401 and error_of(missing)["code"] == "NotAuthenticated"
    assert "X-Api-Key" in missing["WWW-Authenticate"]
    bad = post(client, "keyed", b"{}", key=issued.key + "x")
    assert bad.status_code == 403 and error_of(bad)["code"] == "AccessDenied"
    good = post(client, "keyed", json.dumps({"a": 1, "b": 1}), key=issued.key)
    assert good.status_code == 200 and good.json() == {"sum": 2}
    # A key of another endpoint is not a key of this one.
    other = endpoint_create(template=endpoint.template, name="other", slug="other")
    assert post(client, "other", b"{}", key=issued.key).status_code == 403
    api_key_delete(api_key=issued.api_key)
    assert post(client, "keyed", b"{}", key=issued.key).status_code == 403
    assert other.auth == "api_key"


def test_the_status_url_needs_the_key_too(client: Client, workflow: Any) -> None:
    endpoint = endpoint_create(template=workflow(WAIT_THEN_DONE, name="std", type="STANDARD"), name="s", slug="s")
    key = api_key_create(endpoint=endpoint).key
    status_url = post(client, "s", b"{}", key=key).json()["status_url"].removeprefix("http://testserver")
    assert client.get(status_url).status_code == 401
    assert client.get(status_url, HTTP_X_API_KEY="wfk_wrong").status_code == 403
    assert client.get(status_url, HTTP_X_API_KEY=key).status_code == 200


def test_body_over_the_limit_is_413(client: Client, public: Endpoint) -> None:
    endpoint_update(endpoint=public, max_body_bytes=100)
    fits = json.dumps({"a": 1, "b": 2, "pad": "x" * 50})
    assert post(client, "sum", fits).status_code == 200
    too_big = post(client, "sum", json.dumps({"a": 1, "b": 2, "pad": "x" * 100}))
    assert too_big.status_code == 413 and error_of(too_big)["code"] == "PayloadTooLarge"


def test_rate_limit_is_429_with_retry_after(client: Client, public: Endpoint) -> None:
    endpoint_update(endpoint=public, rate_limit_per_second=0.5, rate_limit_burst=2)
    body = json.dumps({"a": 1, "b": 2})
    assert [post(client, "sum", body).status_code for _ in range(2)] == [200, 200]
    limited = post(client, "sum", body)
    assert limited.status_code == 429
    assert error_of(limited)["code"] == "ThrottlingException"
    assert int(limited["Retry-After"]) >= 1
    assert 0 < error_of(limited)["details"]["retry_after_seconds"] <= 2


def test_disabled_unknown_and_wrong_method(client: Client, public: Endpoint) -> None:
    assert client.get("/run/sum").status_code == 405
    assert client.get("/run/sum")["Allow"] == "POST"
    assert post(client, "nothing-here").status_code == 404
    assert error_of(post(client, "nothing-here"))["code"] == "ResourceNotFound"
    assert client.post("/run/sum/elsewhere", b"{}", content_type="application/json").status_code == 404
    for odd in ("a%00b", "%E4%B8%AD", "UPPER", "x" * 300, "sum%0A"):
        assert post(client, odd, b"{}").status_code == 404, odd
        assert client.get(f"/run/{odd}/openapi.json").status_code == 404, odd
    assert client.get(f"/run/sum/executions/{'n' * 300}").status_code == 404
    assert client.get("/run/sum/executions/a%00b").status_code == 404
    endpoint_update(endpoint=public, enabled=False)
    assert post(client, "sum", b"{}").status_code == 404


MALFORMED = [
    b"{",
    b"{'single': 'quotes'}",
    b"\xff\xfe\x00",
    b"[" * 100_000,
    b"NaN",
    b"{\"a\": Infinity}",
    b"1e999999",
    b"{\"a\": 1}{\"b\": 2}",
    b"\"\\ud800\"",
    b"{\"a\": \"x\\udfff\"}",
    "{\"a\": \"\ud800\"}".encode("utf-8", "surrogatepass"),
]


@pytest.mark.parametrize("body", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_bodies_are_400(client: Client, public: Endpoint, body: bytes) -> None:
    response = post(client, "sum", body)
    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "SerializationException"


@pytest.mark.parametrize("body", [b"", b"   ", b"null", b"[]", b"\"text\"", b"12", b"[" * 500 + b"]" * 500,
                                  json.dumps({"deep": [[[[[[{"x": "\u00e9\u4e2d"}]]]]]]}).encode(),
                                  b"\"\\ud83d\\ude00\""])
def test_any_json_input_gets_an_answer_never_a_500(client: Client, public: Endpoint, body: bytes) -> None:
    response = post(client, "sum", body)
    assert response.status_code in (200, 502), response.content
    response.json()


def test_other_content_types_are_read_as_json(client: Client, public: Endpoint) -> None:
    response = client.generic("POST", "/run/sum", json.dumps({"a": 1, "b": 1}), content_type="text/plain")
    assert response.status_code == 200 and response.json() == {"sum": 2}


def _openapi_schema() -> dict[str, Any]:
    import drf_spectacular.validation

    path = Path(drf_spectacular.validation.__file__).parent / "openapi_3_0_schema.json"
    return json.loads(path.read_text())


def test_openapi_describes_the_endpoint(client: Client, workflow: Any) -> None:
    import jsonschema

    keyed = endpoint_create(template=workflow(), name="Adder", slug="adder", description="Adds a and b.",
                            rate_limit_per_second=10)
    standard = endpoint_create(template=workflow(WAIT_THEN_DONE, name="std", type="STANDARD"), name="Std",
                               slug="std", auth="none")
    for endpoint in (keyed, standard):
        response = client.get(f"/run/{endpoint.slug}/openapi.json")  # no key needed
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        document = json.loads(response.content)
        jsonschema.validate(document, _openapi_schema())
        assert document["servers"] == [{"url": "http://testserver"}]
        assert document["info"]["title"] == endpoint.name
        assert list(document["paths"])[0] == f"/run/{endpoint.slug}"
    adder = client.get("/run/adder/openapi.json").json()
    operation = adder["paths"]["/run/adder"]["post"]
    assert {"200", "400", "401", "403", "413", "429", "502", "504"} <= set(operation["responses"])
    assert operation["security"] == [{"ApiKey": []}]
    assert adder["components"]["securitySchemes"]["ApiKey"] == {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
    assert "Adds a and b." in operation["description"]
    std = client.get("/run/std/openapi.json").json()
    assert "202" in std["paths"]["/run/std"]["post"]["responses"]
    assert "security" not in std["paths"]["/run/std"]["post"]
    assert "/run/std/executions/{name}" in std["paths"]
    assert client.get("/run/nope/openapi.json").status_code == 404
    assert client.post("/run/adder/openapi.json").status_code == 405
