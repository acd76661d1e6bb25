"""Small shared pieces of the REST views: definitions as text or JSON, paging, input checking."""

from __future__ import annotations

import json
from typing import Any

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response


# Database integers are 64-bit: a larger id or cursor is refused as a value error, not a crash.
MAX_DB_INT = 2**63 - 1


class DefinitionField(serializers.JSONField):
    """A definition given as JSON text (kept verbatim) or as an object (stored as indented JSON)."""

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str):
            return data
        if isinstance(data, dict):
            return json.dumps(data, indent=2, ensure_ascii=False)
        raise serializers.ValidationError("must be the definition as JSON text or as an object")


class JsonTextField(serializers.JSONField):
    """Any JSON value, given as text or inline; returned as JSON text (what services store)."""

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str):
            try:
                json.loads(data)
            except ValueError:
                return json.dumps(data)  # a plain string is the JSON string value
            return data
        return json.dumps(data, ensure_ascii=False)


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def parse_json_text(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class Paging(LimitOffsetPagination):
    default_limit = 50
    max_limit = 1000


def paginated(*, queryset: Any, serializer_class: type[serializers.Serializer], request: Request, view: Any) -> Response:
    paginator = Paging()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
