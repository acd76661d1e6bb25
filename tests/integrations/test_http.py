"""HTTP Tasks against a real HTTP server on loopback, through the real engine."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.engine.resources import ResourceSpec, TaskCall
from backend.integrations import build_registry
from backend.integrations.http import HttpInvoker, HttpRequest, InvalidHttpParameters, build_request
from tests.integrations.support import caught, run_workflow, task

ASL = "arn:aws:states:::http:invoke"
TCSL = "qrn:qcs:asw:ap-guangzhou:1250000000:http:invoke"


class EchoHandler(BaseHTTPRequestHandler):
    """Answers with what it received; ``/status/N`` answers N, ``/sleep/S`` waits S seconds, ``/text`` plain text."""

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if parts.path.startswith("/sleep/"):
            time.sleep(float(parts.path.rsplit("/", 1)[1]))
        if parts.path == "/text":
            self._send(200, b"plain words", "text/plain")
            return
        if parts.path == "/big":
            self._send(200, b"x" * 300_000, "text/plain")
            return
        status = int(parts.path.rsplit("/", 1)[1]) if parts.path.startswith("/status/") else 200
        echo = {
            "method": self.command,
            "path": parts.path,
            "query": parse_qs(parts.query),
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        }
        self._send(status, json.dumps(echo).encode(), "application/json")

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-Echo", "one")
            self.send_header("X-Echo", "two")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout tests)
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def registry(owner, open_role):
    return build_registry(owner=owner, role=open_role)


def http_task(resource: str = ASL, **parameters: object) -> dict:
    return task(resource, Parameters=parameters)


@pytest.mark.parametrize("resource", [ASL, TCSL], ids=["asl", "tcsl"])
def test_get_with_query_and_headers(server: str, registry, resource: str) -> None:
    definition = http_task(resource, **{
        "ApiEndpoint": f"{server}/items?fixed=1", "Method": "GET",
        "Headers": {"X-Trace": "abc", "X-Count": 3},
        "QueryParameters": {"q": "tea cup", "tag": ["a", "b"]},
    })

    result = run_workflow(definition, {}, registry)

    assert result.status == "SUCCEEDED", result.cause
    output = result.output
    assert (output["StatusCode"], output["StatusText"]) == (200, "OK")
    assert output["Headers"]["X-Echo"] == ["one", "two"]
    echo = output["ResponseBody"]  # JSON bodies come back parsed
    assert echo["method"] == "GET"
    assert echo["query"] == {"fixed": ["1"], "q": ["tea cup"], "tag": ["a", "b"]}
    assert echo["headers"]["x-trace"] == "abc"
    assert echo["headers"]["x-count"] == "3"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_json_request_body(server: str, registry, method: str) -> None:
    definition = http_task(ApiEndpoint=f"{server}/orders", Method=method, **{"RequestBody.$": "$.order"})

    result = run_workflow(definition, {"order": {"item": "tea", "qty": 2}}, registry)

    echo = result.output["ResponseBody"]
    assert echo["method"] == method
    assert json.loads(echo["body"]) == {"item": "tea", "qty": 2}
    assert echo["headers"]["content-type"] == "application/json"


def test_a_url_encoded_body(server: str, registry) -> None:
    definition = http_task(
        ApiEndpoint=f"{server}/form", Method="POST", RequestBody={"a": "1 2", "list": ["x", "y"]},
        Transform={"RequestBodyEncoding": "URL_ENCODED", "RequestEncodingOptions": {"ArrayFormat": "BRACKETS"}},
    )

    echo = run_workflow(definition, {}, registry).output["ResponseBody"]

    assert echo["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(echo["body"]) == {"a": ["1 2"], "list[]": ["x", "y"]}


def test_a_text_response_stays_text(server: str, registry) -> None:
    result = run_workflow(http_task(ApiEndpoint=f"{server}/text", Method="GET"), {}, registry)

    assert result.output["ResponseBody"] == "plain words"


def test_a_response_over_256_kib_is_data_limit_exceeded(server: str, registry) -> None:
    result = run_workflow(http_task(ApiEndpoint=f"{server}/big", Method="GET"), {}, registry)

    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")


def test_a_non_2xx_status_is_caught_by_its_status_error(server: str, registry) -> None:
    definition = caught(ASL, Parameters={"ApiEndpoint": f"{server}/status/404", "Method": "GET"})
    definition["States"]["Call"]["Catch"].insert(
        0, {"ErrorEquals": ["States.Http.StatusCode.404"], "ResultPath": "$.notFound", "Next": "Caught"}
    )

    result = run_workflow(definition, {}, registry)

    assert result.status == "SUCCEEDED"
    assert result.output["notFound"]["Error"] == "States.Http.StatusCode.404"
    assert json.loads(result.output["notFound"]["Cause"])["path"] == "/status/404"  # the response body


def test_an_uncaught_5xx_fails_the_execution(server: str, registry) -> None:
    result = run_workflow(http_task(ApiEndpoint=f"{server}/status/503", Method="GET"), {}, registry)

    assert (result.status, result.error) == ("FAILED", "States.Http.StatusCode.503")


def test_the_task_timeout_bounds_the_request(server: str, registry) -> None:
    definition = task(ASL, Parameters={"ApiEndpoint": f"{server}/sleep/5", "Method": "GET"}, TimeoutSeconds=1)
    started = time.monotonic()

    result = run_workflow(definition, {}, registry)

    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert time.monotonic() - started < 3


def test_the_http_limit_is_a_socket_error(server: str) -> None:
    call = TaskCall(ResourceSpec(ASL, "service", service="http", action="invoke"),
                    {"ApiEndpoint": f"{server}/sleep/2", "Method": "GET"}, "Call", "arn", "key", None)

    outcome = HttpInvoker(limit_s=0.5)(call)

    assert (outcome.status, outcome.error) == ("FAILED", "States.Http.Socket")
    assert "timed out after 0.5 seconds" in outcome.cause


def test_a_refused_connection_is_a_socket_error(registry) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    definition = caught(ASL, Parameters={"ApiEndpoint": f"http://127.0.0.1:{port}/", "Method": "GET"})

    result = run_workflow(definition, {}, registry)

    assert result.output["error"]["Error"] == "States.Http.Socket"
    assert f"http://127.0.0.1:{port}/" in result.output["error"]["Cause"]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"Method": "GET"}, "ApiEndpoint must be an http or https URL"),
        ({"ApiEndpoint": "ftp://x/", "Method": "GET"}, "ApiEndpoint must be an http or https URL"),
        ({"ApiEndpoint": "http://x/", "Method": "FETCH"}, "Method must be one of"),
        ({"ApiEndpoint": "http://x/", "Method": "GET", "Headers": ["a"]}, "Headers must be an object"),
    ],
)
def test_bad_parameters_name_the_field(parameters: dict, message: str) -> None:
    with pytest.raises(InvalidHttpParameters, match=message):
        build_request(parameters)


def test_a_named_connection_goes_through_the_resolver(server: str) -> None:
    class TokenConnections:
        def authorize(self, authentication: dict, request: HttpRequest) -> HttpRequest:
            assert authentication == {"ConnectionName": "crm"}
            return HttpRequest(request.method, request.url, {**request.headers, "Authorization": "Bearer t"},
                               request.body)

    params = {"ApiEndpoint": f"{server}/me", "Method": "GET", "Authentication": {"ConnectionName": "crm"}}
    call = TaskCall(ResourceSpec(ASL, "service", service="http", action="invoke"), params, "Call", "arn", "k", None)

    with_resolver = HttpInvoker(connections=TokenConnections())(call)
    without = HttpInvoker()(call)

    assert with_resolver.output["ResponseBody"]["headers"]["authorization"] == "Bearer t"
    assert (without.error, without.cause) == (
        "States.Runtime", "The HTTP Task 'Call': Authentication: the connection 'crm' does not exist (no connections "
        "are configured).")
