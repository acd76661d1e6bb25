"""Published endpoints: publish a workflow at ``/run/<slug>``, change or unpublish it, manage its API keys.

An endpoint belongs to its workflow's owner: only they (and staff) see or touch it; to
anyone else it does not exist (404). Calling the published URL is not part of this API:
see ``backend/endpoints/invocation.py`` and docs/api.md ("Published endpoints").
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.rest.common import MAX_DB_INT, paginated, validated
from backend.endpoints.models import MAX_BODY_BYTES_LIMIT, Endpoint, EndpointAuth
from backend.endpoints.selectors import api_key_get, api_keys_of, endpoint_get, endpoints_visible
from backend.endpoints.services import api_key_create, api_key_delete, endpoint_create, endpoint_delete, endpoint_update


class EndpointOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    workflow = serializers.IntegerField(source="template_id", help_text="the workflow (template) id")
    workflow_name = serializers.CharField(source="template.name")
    workflow_type = serializers.CharField(source="template.type", help_text="STANDARD (202 + status URL) or "
                                          "EXPRESS (synchronous)")
    version = serializers.IntegerField(allow_null=True, help_text="null: the latest version at each call")
    enabled = serializers.BooleanField()
    auth = serializers.ChoiceField(choices=EndpointAuth.values)
    rate_limit_per_second = serializers.FloatField(allow_null=True)
    rate_limit_burst = serializers.IntegerField(allow_null=True)
    max_body_bytes = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="the absolute URL to POST to")
    openapi_url = serializers.SerializerMethodField(help_text="the endpoint's OpenAPI description")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, endpoint: Endpoint) -> str:
        return self._absolute(f"/run/{endpoint.slug}")

    def get_openapi_url(self, endpoint: Endpoint) -> str:
        return self._absolute(f"/run/{endpoint.slug}/openapi.json")


class _EndpointFields(serializers.Serializer):
    """Types only; the services check the rest (slug shape and uniqueness, version exists ...)."""

    name = serializers.CharField(max_length=80, required=False)
    slug = serializers.CharField(max_length=64, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, allow_null=True, required=False)
    enabled = serializers.BooleanField(required=False)
    auth = serializers.ChoiceField(choices=EndpointAuth.values, required=False)
    rate_limit_per_second = serializers.FloatField(min_value=0, allow_null=True, required=False)
    rate_limit_burst = serializers.IntegerField(min_value=1, max_value=1_000_000, allow_null=True, required=False)
    max_body_bytes = serializers.IntegerField(min_value=1, max_value=MAX_BODY_BYTES_LIMIT, required=False)


def _output(endpoint: Endpoint, request: Request) -> dict[str, Any]:
    return EndpointOutput(endpoint, context={"request": request}).data


class EndpointCollectionApi(APIView):
    class EndpointFilterSerializer(serializers.Serializer):
        workflow = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)

    class EndpointCreateInputSerializer(_EndpointFields):
        workflow = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT, help_text="the workflow (template) id")
        name = serializers.CharField(max_length=80)

    @extend_schema(parameters=[EndpointFilterSerializer], responses=EndpointOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(self.EndpointFilterSerializer, request.query_params)
        endpoints = endpoints_visible(user=request.user)
        if "workflow" in filters:
            endpoints = endpoints.filter(template_id=filters["workflow"])
        return paginated(queryset=endpoints.order_by("slug", "id"), serializer_class=EndpointOutput,
                         request=request, view=self)

    @extend_schema(request=EndpointCreateInputSerializer, responses={201: EndpointOutput})
    def post(self, request: Request) -> Response:
        data = validated(self.EndpointCreateInputSerializer, request.data)
        template = access.template_get(user=request.user, template_id=data.pop("workflow"))
        endpoint = endpoint_create(template=template, **data)
        return Response(_output(endpoint, request), status=status.HTTP_201_CREATED)


class EndpointItemApi(APIView):
    class EndpointUpdateInputSerializer(_EndpointFields):
        pass

    @extend_schema(responses=EndpointOutput)
    def get(self, request: Request, endpoint_id: int) -> Response:
        return Response(_output(endpoint_get(user=request.user, endpoint_id=endpoint_id), request))

    @extend_schema(request=EndpointUpdateInputSerializer, responses=EndpointOutput)
    def patch(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_get(user=request.user, endpoint_id=endpoint_id)
        data = validated(self.EndpointUpdateInputSerializer, request.data)
        return Response(_output(endpoint_update(endpoint=endpoint, **data), request))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, endpoint_id: int) -> Response:
        endpoint_delete(endpoint=endpoint_get(user=request.user, endpoint_id=endpoint_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="the key's first characters")
    created_at = serializers.DateTimeField()


class ApiKeyCreatedOutput(ApiKeyOutput):
    key = serializers.CharField(help_text="the key: shown this once, only its hash is stored")


class EndpointKeyCollectionApi(APIView):
    class ApiKeyCreateInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")

    @extend_schema(responses=ApiKeyOutput(many=True))
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_get(user=request.user, endpoint_id=endpoint_id)
        return paginated(queryset=api_keys_of(endpoint=endpoint), serializer_class=ApiKeyOutput, request=request,
                         view=self)

    @extend_schema(request=ApiKeyCreateInputSerializer, responses={201: ApiKeyCreatedOutput})
    def post(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_get(user=request.user, endpoint_id=endpoint_id)
        data = validated(self.ApiKeyCreateInputSerializer, request.data)
        issued = api_key_create(endpoint=endpoint, name=data["name"])
        body = {**ApiKeyOutput(issued.api_key).data, "key": issued.key}
        return Response(body, status=status.HTTP_201_CREATED)


class EndpointKeyItemApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, endpoint_id: int, key_id: int) -> Response:
        endpoint = endpoint_get(user=request.user, endpoint_id=endpoint_id)
        api_key_delete(api_key=api_key_get(endpoint=endpoint, key_id=key_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
