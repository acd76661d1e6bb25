"""Functions: Python code run in the sandbox.

Writing a function's code runs it on the server, so creating, changing and deleting
need the model permissions ``workflows.add_function`` / ``change_function`` /
``delete_function``; a test call needs ``workflows.invoke_function``. Reading one's own
functions needs neither.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.errors import ApiError
from backend.api.rest.common import JsonTextField, paginated, parse_json_text, validated
from backend.api.runtime import service_errors
from backend.api.services import function_delete
from backend.workflows.services import function_create, function_test_invoke, function_update

_WRITE_PERMISSIONS = {
    "POST": "workflows.add_function",
    "PATCH": "workflows.change_function",
    "DELETE": "workflows.delete_function",
}


def _require(request: Request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise ApiError("AccessDenied", f"Writing function code needs the permission '{permission}'.", status=403)


class FunctionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField()
    handler = serializers.CharField()
    timeout_s = serializers.FloatField()
    memory_mb = serializers.IntegerField()
    environment = serializers.DictField(child=serializers.CharField())
    content_hash = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FunctionFieldsSerializer(serializers.Serializer):
    source = serializers.CharField(trim_whitespace=False)
    handler = serializers.CharField(max_length=100, required=False)
    timeout_s = serializers.FloatField(required=False)
    memory_mb = serializers.IntegerField(required=False)
    environment = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class FunctionCollectionApi(APIView):
    class FunctionCreateInputSerializer(FunctionFieldsSerializer):
        name = serializers.CharField(max_length=64)

    @extend_schema(responses=FunctionOutput(many=True))
    def get(self, request: Request) -> Response:
        functions = access.functions_visible(user=request.user).order_by("name", "id")
        return paginated(queryset=functions, serializer_class=FunctionOutput, request=request, view=self)

    @extend_schema(request=FunctionCreateInputSerializer, responses={201: FunctionOutput})
    def post(self, request: Request) -> Response:
        _require(request, _WRITE_PERMISSIONS["POST"])
        data = validated(self.FunctionCreateInputSerializer, request.data)
        with service_errors():
            function = function_create(owner=request.user, **data)
        return Response(FunctionOutput(function).data, status=status.HTTP_201_CREATED)


class FunctionItemApi(APIView):
    class FunctionUpdateInputSerializer(FunctionFieldsSerializer):
        source = serializers.CharField(trim_whitespace=False, required=False)

    @extend_schema(responses=FunctionOutput)
    def get(self, request: Request, function_id: int) -> Response:
        return Response(FunctionOutput(access.function_get(user=request.user, function_id=function_id)).data)

    @extend_schema(request=FunctionUpdateInputSerializer, responses=FunctionOutput)
    def patch(self, request: Request, function_id: int) -> Response:
        function = access.function_get(user=request.user, function_id=function_id)
        _require(request, _WRITE_PERMISSIONS["PATCH"])
        data = validated(self.FunctionUpdateInputSerializer, request.data)
        with service_errors():
            function = function_update(function=function, **data)
        return Response(FunctionOutput(function).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, function_id: int) -> Response:
        function = access.function_get(user=request.user, function_id=function_id)
        _require(request, _WRITE_PERMISSIONS["DELETE"])
        function_delete(function=function)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CanInvokeFunctions(BasePermission):
    message = "Calling functions needs the permission 'workflows.invoke_function'."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("workflows.invoke_function"))


class FunctionInvokeApi(APIView):
    permission_classes = [CanInvokeFunctions]

    class FunctionInvokeInputSerializer(serializers.Serializer):
        event = JsonTextField(required=False, default="{}")

    class FunctionInvokeOutputSerializer(serializers.Serializer):
        ok = serializers.BooleanField()
        payload = serializers.JSONField(allow_null=True)
        error = serializers.CharField(allow_null=True)
        cause = serializers.CharField(allow_null=True)
        logs = serializers.CharField(allow_null=True)
        duration_ms = serializers.FloatField()

    @extend_schema(request=FunctionInvokeInputSerializer, responses=FunctionInvokeOutputSerializer)
    def post(self, request: Request, function_id: int) -> Response:
        function = access.function_get(user=request.user, function_id=function_id)
        data = validated(self.FunctionInvokeInputSerializer, request.data)
        with service_errors():
            result = function_test_invoke(function=function, event=parse_json_text(data["event"]))
        return Response(_invocation_dict(result))


def _invocation_dict(result: Any) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "payload": result.payload if result.ok else None,
        "error": result.error,
        "cause": result.cause,
        "logs": result.logs,
        "duration_ms": result.duration_ms,
    }
