"""Run roles: which Task resources a workflow may call."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.rest.common import paginated, validated
from backend.api.runtime import service_errors
from backend.api.services import role_delete
from backend.workflows.services import role_create, role_update


class RoleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    allowed_resources = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RoleCollectionApi(APIView):
    class RoleCreateInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=80)
        description = serializers.CharField(required=False, allow_blank=True, default="")
        allowed_resources = serializers.ListField(child=serializers.CharField(), required=False, default=list)

    @extend_schema(responses=RoleOutput(many=True))
    def get(self, request: Request) -> Response:
        roles = access.roles_visible(user=request.user).order_by("name", "id")
        return paginated(queryset=roles, serializer_class=RoleOutput, request=request, view=self)

    @extend_schema(request=RoleCreateInputSerializer, responses={201: RoleOutput})
    def post(self, request: Request) -> Response:
        data = validated(self.RoleCreateInputSerializer, request.data)
        with service_errors():
            role = role_create(owner=request.user, **data)
        return Response(RoleOutput(role).data, status=status.HTTP_201_CREATED)


class RoleItemApi(APIView):
    class RoleUpdateInputSerializer(serializers.Serializer):
        description = serializers.CharField(required=False, allow_blank=True)
        allowed_resources = serializers.ListField(child=serializers.CharField(), required=False)

    @extend_schema(responses=RoleOutput)
    def get(self, request: Request, role_id: int) -> Response:
        return Response(RoleOutput(access.role_get(user=request.user, role_id=role_id)).data)

    @extend_schema(request=RoleUpdateInputSerializer, responses=RoleOutput)
    def patch(self, request: Request, role_id: int) -> Response:
        role = access.role_get(user=request.user, role_id=role_id)
        data = validated(self.RoleUpdateInputSerializer, request.data)
        with service_errors():
            role = role_update(role=role, **data)
        return Response(RoleOutput(role).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, role_id: int) -> Response:
        role_delete(role=access.role_get(user=request.user, role_id=role_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
