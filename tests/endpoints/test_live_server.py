"""Published endpoints through the real server (`make run`: its ASGI fast path, embedded runner, summary writer)."""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.endpoints.server import make_run_without_ui, manage

SETUP = """
import json
from django.contrib.auth.models import User
from backend.endpoints.services import api_key_create, endpoint_create
from backend.workflows.services import template_create
from tests.endpoints.conftest import SUM_DEFINITION

user = User.objects.create_user("live-endpoints")
express = template_create(owner=user, name="sum", definition=SUM_DEFINITION, type="EXPRESS")
standard = template_create(owner=user, name="wait", type="STANDARD", definition={
    "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
                               "P": {"Type": "Pass", "Parameters": {"got.$": "$"}, "End": True}}})
keyed = endpoint_create(template=express, name="sum", slug="sum", rate_limit_per_second=1000, max_body_bytes=64)
limited = endpoint_create(template=express, name="limited", slug="limited", auth="none", rate_limit_per_second=1,
                          rate_limit_burst=1)
endpoint_create(template=standard, name="wait", slug="wait", auth="none")
print(json.dumps({"key": api_key_create(endpoint=keyed).key}))
"""


def call(base_url: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, Any, Any]:
    """(status, headers (case-insensitive), JSON body)."""
    request = urllib.request.Request(base_url + path, data=body, headers=headers or {},
                                     method=method or ("POST" if body is not None else "GET"))
    try:
        with urllib.request.urlopen(request, timeout=15) as reply:
            return reply.status, reply.headers, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def test_endpoints_on_the_real_server(tmp_path: Path) -> None:
    environ = {"DATA_DIR": str(tmp_path / "data")}
    with make_run_without_ui(tmp_path / "server.log", environ) as (server, _):
        # make run migrated the database; the server reads endpoints as they are called.
        key = json.loads(manage(sys.executable, environ, "shell", "-c", SETUP).strip().splitlines()[-1])["key"]
        base = server.base_url
        status, headers, body = call(base, "/run/sum", b'{"a": 20, "b": 22}', {"X-Api-Key": key})
        assert (status, body) == (200, {"sum": 42}), (status, body)
        assert headers["Content-Type"] == "application/json" and headers["X-Content-Type-Options"] == "nosniff"
        express_name = headers["X-Execution-Name"]

        assert call(base, "/run/sum", b"{}")[0] == 401
        assert call(base, "/run/sum", b"{}", {"X-Api-Key": "wfk_guess"})[0] == 403
        status, _, body = call(base, "/run/sum", b'{"a": 1, "b":', {"X-Api-Key": key})
        assert status == 400 and body["error"]["code"] == "SerializationException"
        status, _, body = call(base, "/run/sum", b'{"a": 1, "b": 2, "pad": "' + b"x" * 100 + b'"}',
                               {"X-Api-Key": key})
        assert status == 413 and body["error"]["code"] == "PayloadTooLarge"
        status, _, body = call(base, "/run/sum", b"x" * 300_000, {"X-Api-Key": key})
        assert status == 413
        status, _, body = call(base, "/run/sum", b'{"a": 99, "b": 2}', {"X-Api-Key": key})
        assert status == 502 and body["error"]["details"]["error"] == "TooBig"
        assert call(base, "/run/sum")[0] == 405
        assert call(base, "/run/nowhere", b"{}")[0] == 404

        statuses = [call(base, "/run/limited", b'{"a": 1, "b": 1}')[0] for _ in range(3)]
        assert statuses[0] == 200 and 429 in statuses[1:], statuses
        status, headers, body = call(base, "/run/limited", b'{"a": 1, "b": 1}')
        assert status == 429 and int(headers["Retry-After"]) >= 1

        status, headers, body = call(base, "/run/wait", b'{"n": 7}')
        assert status == 202, body
        assert headers["Location"] == body["status_url"] and body["status_url"].startswith(base + "/run/wait/")
        deadline = time.monotonic() + 30
        while True:
            status, _, state = call(base, body["status_url"].removeprefix(base))
            assert status == 200
            if state["status"] != "RUNNING" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert state["status"] == "SUCCEEDED" and state["output"] == {"got": {"n": 7}}, state

        # The Express call's summary row reached the database (the batching writer).
        status, _, summary = call(base, f"/run/sum/executions/{express_name}", headers={"X-Api-Key": key})
        assert status == 200 and summary["status"] == "SUCCEEDED" and summary["output"] == {"sum": 42}

        status, headers, document = call(base, "/run/sum/openapi.json")
        assert status == 200 and document["openapi"].startswith("3.")
        assert document["servers"] == [{"url": base}] and "/run/sum" in document["paths"]
        # Everything else still goes to Django.
        assert call(base, "/healthz")[0] == 200
