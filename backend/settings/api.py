"""The service API: Django REST framework, the OpenAPI schema, and credential encryption."""

from __future__ import annotations

import os

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Programs: "Authorization: Token <key>" (first, so anonymous calls get 401 with
        # WWW-Authenticate); browsers: the session cookie (CSRF enforced by DRF).
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "backend.api.rest.exception_handler.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Workflow orchestrator API",
    "DESCRIPTION": "Templates, versions, roles, functions, executions and task callbacks. "
    "The ASW and Step Functions wire APIs live at POST / (see docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's Swagger UI files come from this server (self-hosted installs may be offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Several models have a "kind" with their own choices: one enum name each.
    "ENUM_NAME_OVERRIDES": {
        "ScheduleKindEnum": "backend.schedules.models.ScheduleKind",
        "ConnectionKindEnum": "backend.connections.models.ConnectionKind",
        "AlertKindEnum": "backend.alerts.models.AlertKind",
    },
}

# SecretKeys must be recoverable to verify HMAC signatures, so they are encrypted at rest
# with this key (SECRET_KEY when unset). See backend/accounts/secret_box.py.
CREDENTIALS_ENCRYPTION_KEY = os.environ.get("CREDENTIALS_ENCRYPTION_KEY") or None
