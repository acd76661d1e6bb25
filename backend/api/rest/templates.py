"""Workflow templates (state machines) and their versions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.rest.common import MAX_DB_INT, DefinitionField, paginated, validated
from backend.api.runtime import service_errors
from backend.api.services import template_delete
from backend.workflows.models import RunRole, WorkflowTemplate, WorkflowType
from backend.workflows.services import UNSET, template_create, template_update

TEMPLATE_ORDERINGS = {"name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"}


class TemplateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    type = serializers.CharField()
    role_id = serializers.IntegerField(allow_null=True)
    definition = serializers.CharField()
    latest_version = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner.get_username")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_latest_version(self, template: WorkflowTemplate) -> int:
        return template.next_version_number - 1


class VersionOutput(serializers.Serializer):
    number = serializers.IntegerField()
    definition = serializers.CharField()
    role_id = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()
    created_at = serializers.DateTimeField()


def _role(request: Request, role_id: Any) -> RunRole | None:
    return None if role_id is None else access.role_get(user=request.user, role_id=role_id)


class TemplateListApi(APIView):
    class TemplateFilterSerializer(serializers.Serializer):
        name = serializers.CharField(required=False)
        type = serializers.ChoiceField(choices=WorkflowType.values, required=False)
        ordering = serializers.ChoiceField(choices=sorted(TEMPLATE_ORDERINGS), required=False)

    @extend_schema(parameters=[TemplateFilterSerializer], responses=TemplateOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(self.TemplateFilterSerializer, request.query_params)
        templates = access.templates_visible(user=request.user)
        if "name" in filters:
            templates = templates.filter(name__icontains=filters["name"])
        if "type" in filters:
            templates = templates.filter(type=filters["type"])
        templates = templates.order_by(filters.get("ordering", "name"), "id")
        return paginated(queryset=templates, serializer_class=TemplateOutput, request=request, view=self)


class TemplateCreateApi(APIView):
    class TemplateCreateInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=80)
        definition = DefinitionField()
        type = serializers.ChoiceField(choices=WorkflowType.values, default=WorkflowType.STANDARD)
        role_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_DB_INT)
        description = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=TemplateCreateInputSerializer, responses={201: TemplateOutput})
    def post(self, request: Request) -> Response:
        data = validated(self.TemplateCreateInputSerializer, request.data)
        role = _role(request, data.pop("role_id", None))
        with service_errors():
            template = template_create(owner=request.user, role=role, **data)
        return Response(TemplateOutput(template).data, status=status.HTTP_201_CREATED)


class TemplateDetailApi(APIView):
    @extend_schema(responses=TemplateOutput)
    def get(self, request: Request, template_id: int) -> Response:
        template = access.template_get(user=request.user, template_id=template_id)
        return Response(TemplateOutput(template).data)


class TemplateUpdateApi(APIView):
    class TemplateUpdateInputSerializer(serializers.Serializer):
        definition = DefinitionField(required=False)
        role_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_DB_INT)
        description = serializers.CharField(required=False, allow_blank=True)
        type = serializers.ChoiceField(choices=WorkflowType.values, required=False)

    @extend_schema(request=TemplateUpdateInputSerializer, responses=TemplateOutput)
    def patch(self, request: Request, template_id: int) -> Response:
        template = access.template_get(user=request.user, template_id=template_id)
        data = validated(self.TemplateUpdateInputSerializer, request.data)
        role = _role(request, data.pop("role_id")) if "role_id" in data else UNSET
        with service_errors():
            template = template_update(template=template, role=role, **data)
        return Response(TemplateOutput(template).data)


class TemplateDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, template_id: int) -> Response:
        template = access.template_get(user=request.user, template_id=template_id)
        template_delete(template=template)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplateItemApi(TemplateDetailApi, TemplateUpdateApi, TemplateDeleteApi):
    """GET, PATCH and DELETE on one URL."""


class TemplateCollectionApi(TemplateListApi, TemplateCreateApi):
    """GET (list) and POST (create) on one URL."""


class VersionListApi(APIView):
    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request: Request, template_id: int) -> Response:
        template = access.template_get(user=request.user, template_id=template_id)
        versions = template.versions.order_by("-number")
        return paginated(queryset=versions, serializer_class=VersionOutput, request=request, view=self)


class VersionDetailApi(APIView):
    @extend_schema(responses=VersionOutput)
    def get(self, request: Request, template_id: int, number: int) -> Response:
        template = access.template_get(user=request.user, template_id=template_id)
        return Response(VersionOutput(access.version_get(template=template, number=number)).data)
