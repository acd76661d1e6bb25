"""The OpenAPI 3 description of one published endpoint (``GET /run/<slug>/openapi.json``)."""

from __future__ import annotations

from typing import Any

from backend.endpoints.selectors import ServingEndpoint
from backend.workflows.models import WorkflowType

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
            },
        }
    },
}

_EXECUTION_STATUS_SCHEMA = {
    "type": "object",
    "required": ["execution_id", "name", "status"],
    "properties": {
        "execution_id": {"type": "integer"},
        "name": {"type": "string"},
        "status": {"type": "string", "enum": ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]},
        "output": {"description": "the execution's output (a JSON value) once it SUCCEEDED", "nullable": True},
        "error": {"type": "string", "nullable": True},
        "cause": {"type": "string", "nullable": True},
        "started_at": {"type": "string", "format": "date-time"},
        "stopped_at": {"type": "string", "format": "date-time", "nullable": True},
        "status_url": {"type": "string", "format": "uri"},
    },
}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description,
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if headers:
        response["headers"] = headers
    return response


def endpoint_openapi(endpoint: ServingEndpoint, *, base_url: str) -> dict[str, Any]:
    path = f"/run/{endpoint.slug}"
    express = endpoint.workflow_type == WorkflowType.EXPRESS
    version = "latest" if endpoint.version is None else str(endpoint.version)
    responses: dict[str, Any] = {}
    if express:
        responses["200"] = {
            "description": "The execution succeeded: its output is the response body.",
            "headers": {"X-Execution-Name": {"schema": {"type": "string"}, "description": "the execution's name"}},
            "content": {"application/json": {"schema": {"description": "the workflow's output (any JSON value)"}}},
        }
    else:
        responses["202"] = {
            "description": "The execution started; poll its status URL (also in the Location header).",
            "headers": {"Location": {"schema": {"type": "string", "format": "uri"},
                                     "description": "the execution's status URL"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ExecutionStatus"}}},
        }
    responses["400"] = _error("The body is not JSON (SerializationException) or not a valid execution input.")
    if endpoint.auth == "api_key":
        responses["401"] = _error("No API key (NotAuthenticated).")
        responses["403"] = _error("The API key is not one of this endpoint's (AccessDenied).")
    responses["404"] = _error("No endpoint is published here, or it is disabled.")
    responses["413"] = _error(f"The body is larger than {endpoint.max_body_bytes} bytes (PayloadTooLarge).")
    if endpoint.rate_limit_per_second is not None:
        responses["429"] = _error(
            f"More than {endpoint.rate_limit_per_second:g} calls per second (ThrottlingException).",
            headers={"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}})
    if express:
        responses["502"] = _error("The execution failed (ExecutionFailed / ExecutionAborted); "
                                  "details.error and details.cause say why.")
        responses["504"] = _error("The execution timed out (ExecutionTimedOut).")
    operation: dict[str, Any] = {
        "operationId": "invoke",
        "summary": f"Run {'synchronously' if express else 'asynchronously'}: {endpoint.name}",
        "description": (endpoint.description or "")
        + ("\n\nExpress workflow: the call returns when the execution ends."
           if express else "\n\nStandard workflow: the call returns 202 as soon as the execution started."),
        "requestBody": {
            "required": False,
            "description": f"The execution input (any JSON value; empty body = {{}}), at most "
                           f"{endpoint.max_body_bytes} bytes.",
            "content": {"application/json": {"schema": {}}},
        },
        "responses": responses,
    }
    security: list[dict[str, list[str]]] = []
    components: dict[str, Any] = {"schemas": {"Error": _ERROR_SCHEMA}}
    if endpoint.auth == "api_key":
        security = [{"ApiKey": []}]
        components["securitySchemes"] = {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}
        operation["security"] = security
    paths: dict[str, Any] = {path: {"post": operation}}
    if not express:
        components["schemas"]["ExecutionStatus"] = _EXECUTION_STATUS_SCHEMA
        status_operation: dict[str, Any] = {
            "operationId": "executionStatus",
            "summary": "An execution started through this endpoint: status, and output once it ended.",
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
                            "description": "the execution name from the 202 response"}],
            "responses": {
                "200": {"description": "The execution.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ExecutionStatus"}}}},
                "404": _error("No such execution of this endpoint's workflow."),
            },
        }
        if security:
            status_operation["security"] = security
            status_operation["responses"]["401"] = _error("No API key (NotAuthenticated).")
            status_operation["responses"]["403"] = _error("The API key is not one of this endpoint's (AccessDenied).")
        paths[f"{path}/executions/{{name}}"] = {"get": status_operation}
    return {
        "openapi": "3.0.3",
        "info": {"title": endpoint.name, "version": version,
                 "description": f"Published workflow endpoint `{path}` (workflow version: {version})."},
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": components,
    }
