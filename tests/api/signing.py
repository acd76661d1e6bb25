"""Requests signed by the official SDKs' own code (not ours), sent through Django's test client."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

HOST = "testserver"


def tc3_signed(action: str, params: dict[str, Any], secret_id: str, secret_key: str) -> tuple[dict[str, str], str]:
    """Headers and body exactly as tencentcloud-sdk-python's AswClient would send them."""
    from tencentcloud.asw.v20200722.asw_client import AswClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    client = AswClient(Credential(secret_id, secret_key), "ap-guangzhou",
                       ClientProfile(httpProfile=HttpProfile(endpoint=HOST, protocol="http")))
    request = RequestInternal(HOST, "POST", "/")
    client._build_req_inter(action, params, request)
    return dict(request.header), request.data


def tc3_signed_raw(action: str, body: str | bytes, secret_id: str, secret_key: str) -> dict[str, str]:
    """Headers for an arbitrary (even malformed) body, signed by the SDK's own TC3 code."""
    from tencentcloud.asw.v20200722.asw_client import AswClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    client = AswClient(Credential(secret_id, secret_key), "ap-guangzhou",
                       ClientProfile(httpProfile=HttpProfile(endpoint=HOST, protocol="http")))
    request = RequestInternal(HOST, "POST", "/")
    client._build_req_inter(action, {}, request)
    request.data = body
    date = request.header["Authorization"].split("Credential=")[1].split("/")[1]
    signature = client._get_tc3_signature({}, request, date, "asw", secret_key)
    request.header["Authorization"] = request.header["Authorization"].rsplit("Signature=", 1)[0] + f"Signature={signature}"
    return dict(request.header)


def send_tc3(client: Client, headers: dict[str, str], body: str | bytes) -> Any:
    headers = dict(headers)
    content_type = headers.pop("Content-Type")
    return client.post("/", data=body, content_type=content_type, headers=headers)


def asw_call(client: Client, action: str, params: dict[str, Any], keys: tuple[str, str]) -> dict[str, Any]:
    headers, body = tc3_signed(action, params, *keys)
    response = send_tc3(client, headers, body)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["Response"]


def sigv4_signed(operation: str, params: dict[str, Any], access_key: str, secret_key: str,
                 region: str = "us-east-1") -> tuple[dict[str, str], bytes]:
    """Headers and body as botocore signs them (SigV4Auth)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    body = json.dumps(params).encode()
    request = AWSRequest(method="POST", url=f"http://{HOST}/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"AWSStepFunctions.{operation}",
    })
    SigV4Auth(Credentials(access_key, secret_key), "states", region).add_auth(request)
    # botocore signs the Host of the URL and lets the HTTP layer send it.
    return {"Host": HOST, **dict(request.headers.items())}, body


def send_sigv4(client: Client, headers: dict[str, str], body: bytes) -> Any:
    headers = dict(headers)
    content_type = headers.pop("Content-Type")
    return client.post("/", data=body, content_type=content_type, headers=headers)


def sfn_call(client: Client, operation: str, params: dict[str, Any], keys: tuple[str, str]) -> tuple[int, dict[str, Any]]:
    headers, body = sigv4_signed(operation, params, *keys)
    response = send_sigv4(client, headers, body)
    assert response["Content-Type"] == "application/x-amz-json-1.0"
    return response.status_code, json.loads(response.content)
