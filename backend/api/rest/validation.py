"""Validate a definition: the engine's diagnostics, each located by JSON pointer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.errors import diagnostic_dict
from backend.api.rest.common import DefinitionField, validated
from backend.engine.validation import validate
from backend.workflows.models import WorkflowType


class DiagnosticOutput(serializers.Serializer):
    severity = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    location = serializers.CharField(help_text="JSON pointer into the definition")


class DefinitionValidateApi(APIView):
    class ValidateInputSerializer(serializers.Serializer):
        definition = DefinitionField()
        type = serializers.ChoiceField(choices=WorkflowType.values, default=WorkflowType.STANDARD)
        strict = serializers.BooleanField(default=False, help_text="plain ASL instead of TCSL tolerance")

    class ValidateOutputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(choices=["OK", "FAIL"])
        diagnostics = DiagnosticOutput(many=True)
        truncated = serializers.BooleanField()

    @extend_schema(request=ValidateInputSerializer, responses=ValidateOutputSerializer)
    def post(self, request: Request) -> Response:
        data = validated(self.ValidateInputSerializer, request.data)
        report = validate(data["definition"], workflow_type=data["type"], strict=data["strict"])
        return Response(
            {
                "result": report.result,
                "diagnostics": [diagnostic_dict(d) for d in report.diagnostics],
                "truncated": report.truncated,
            }
        )
