"""Test one state with a given input (Step Functions' TestState), for the designer's data-flow preview."""

from __future__ import annotations

import json

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.errors import ApiError
from backend.api.rest.common import MAX_DB_INT, JsonTextField, validated
from backend.api.state_test import state_test


class StateTestApi(APIView):
    class StateTestInputSerializer(serializers.Serializer):
        definition = serializers.JSONField(help_text="a state, or a whole state machine (then `state_name` picks one)")
        state_name = serializers.CharField(max_length=80, required=False)
        input = JsonTextField(required=False, default="{}")
        role_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_DB_INT, help_text="run role for Task states")

    class StateTestOutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["SUCCEEDED", "FAILED", "CAUGHT_ERROR", "PENDING"])
        output = serializers.JSONField(required=False)
        error = serializers.CharField(required=False)
        cause = serializers.CharField(required=False)
        nextState = serializers.CharField(allow_null=True)
        inspectionData = serializers.DictField(help_text="input, afterInputPath, afterParameters, result, "
                                               "afterResultSelector, afterResultPath, output")

    @extend_schema(request=StateTestInputSerializer, responses=StateTestOutputSerializer)
    def post(self, request: Request) -> Response:
        data = validated(self.StateTestInputSerializer, request.data)
        definition = data["definition"]
        if isinstance(definition, str):
            try:
                definition = json.loads(definition)
            except ValueError as error:
                raise ApiError("InvalidDefinition", f"The definition is not valid JSON: {error}", field="definition") from None
        role_id = data.get("role_id")
        role = None if role_id is None else access.role_get(user=request.user, role_id=role_id)
        return Response(state_test(owner=request.user, definition=definition, state_name=data.get("state_name"),
                                   input_text=data["input"], role=role))
