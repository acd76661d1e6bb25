"""Task callbacks for ``.waitForTaskToken`` Tasks: success, failure, heartbeat."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access, runtime
from backend.api.rest.common import JsonTextField, validated


class TaskSuccessApi(APIView):
    class TaskSuccessInputSerializer(serializers.Serializer):
        task_token = serializers.CharField(max_length=1024)
        output = JsonTextField()

    @extend_schema(request=TaskSuccessInputSerializer, responses={200: None})
    def post(self, request: Request) -> Response:
        data = validated(self.TaskSuccessInputSerializer, request.data)
        access.token_check(user=request.user, token=data["task_token"])
        runtime.send_task_success(token=data["task_token"], output=data["output"])
        return Response({})


class TaskFailureApi(APIView):
    class TaskFailureInputSerializer(serializers.Serializer):
        task_token = serializers.CharField(max_length=1024)
        error = serializers.CharField(max_length=256, required=False, allow_blank=True)
        cause = serializers.CharField(max_length=32768, required=False, allow_blank=True)

    @extend_schema(request=TaskFailureInputSerializer, responses={200: None})
    def post(self, request: Request) -> Response:
        data = validated(self.TaskFailureInputSerializer, request.data)
        access.token_check(user=request.user, token=data["task_token"])
        runtime.send_task_failure(token=data["task_token"], error=data.get("error"), cause=data.get("cause"))
        return Response({})


class TaskHeartbeatApi(APIView):
    class TaskHeartbeatInputSerializer(serializers.Serializer):
        task_token = serializers.CharField(max_length=1024)

    @extend_schema(request=TaskHeartbeatInputSerializer, responses={200: None})
    def post(self, request: Request) -> Response:
        data = validated(self.TaskHeartbeatInputSerializer, request.data)
        access.token_check(user=request.user, token=data["task_token"])
        runtime.send_task_heartbeat(token=data["task_token"])
        return Response({})
