"""The server's fast path for /run/... (backend.endpoints.asgi), driven as an ASGI application."""

from __future__ import annotations

import json
from typing import Any

import pytest

from backend.endpoints.asgi import endpoint_router
from backend.endpoints.models import MAX_BODY_BYTES_LIMIT
from backend.endpoints.services import endpoint_create


async def _inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 299, "headers": []})
    await send({"type": "http.response.body", "body": b"inner"})


async def request(path: str, body_chunks: list[bytes] = (b"",), headers: list[tuple[bytes, bytes]] | None = None,
                  method: str = "POST") -> tuple[int, dict[bytes, bytes], bytes]:
    app = endpoint_router(_inner)
    messages = [{"type": "http.request", "body": chunk, "more_body": index < len(body_chunks) - 1}
                for index, chunk in enumerate(body_chunks)]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "scheme": "http", "query_string": b"",
             "headers": headers if headers is not None else [(b"host", b"127.0.0.1:8000")]}
    await app(scope, receive, send)
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


@pytest.mark.asyncio
async def test_other_paths_go_to_django() -> None:
    for path in ("/", "/api/endpoints/", "/running", "/run/", "/runs/x"):
        status, _, body = await request(path)
        assert (status, body) == (299, b"inner"), path


@pytest.mark.asyncio
async def test_a_host_outside_allowed_hosts_is_refused() -> None:
    status, headers, body = await request("/run/x", headers=[(b"host", b"evil.example")])
    assert status == 400 and json.loads(body)["error"]["code"] == "DisallowedHost"
    assert headers[b"content-type"] == b"application/json"
    status, _, _ = await request("/run/x", headers=[])
    assert status == 400


@pytest.mark.asyncio
async def test_oversized_bodies_are_refused_before_reading_them_all() -> None:
    too_long = [(b"host", b"localhost"), (b"content-length", str(MAX_BODY_BYTES_LIMIT + 1).encode())]
    status, _, body = await request("/run/x", headers=too_long)
    assert status == 413 and json.loads(body)["error"]["code"] == "PayloadTooLarge"
    chunks = [b"x" * 100_000] * 3  # no Content-Length (chunked): counted as it arrives
    status, _, body = await request("/run/x", body_chunks=chunks)
    assert status == 413
    bad_length = [(b"host", b"localhost"), (b"content-length", b"lots")]
    assert (await request("/run/x", headers=bad_length))[0] == 400


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_call_runs_in_the_pool(workflow: Any, settings: Any) -> None:
    from asgiref.sync import sync_to_async

    settings.ENDPOINTS_BATCH_SUMMARIES = False
    await sync_to_async(lambda: endpoint_create(template=workflow(), name="sum", slug="sum", auth="none"))()
    status, headers, body = await request("/run/sum", body_chunks=[b'{"a": 4,', b' "b": 5}'])
    assert status == 200 and json.loads(body) == {"sum": 9}
    assert headers[b"x-content-type-options"] == b"nosniff" and headers[b"content-length"] == str(len(body)).encode()
    status, headers, body = await request("/run/sum", method="HEAD")
    assert status == 405  # HEAD is a GET, and the endpoint itself takes POST
    status, _, body = await request("/run/sum/openapi.json", method="HEAD")
    assert status == 200 and body == b""
