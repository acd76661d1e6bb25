"""A workflow's log delivery level: ``GET/PUT/DELETE /api/templates/<id>/logging/``.

Like Step Functions' LoggingConfiguration of a state machine; where events go is the
server's EXECUTION_LOG_DELIVERY (docs/operations.md, "History events as JSON lines").
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.rest.common import validated
from backend.metrics import delivery
from backend.metrics.models import LogLevel, WorkflowLogging
from backend.metrics.services import workflow_logging_clear, workflow_logging_set
from backend.metrics.settings import metrics_setting
from backend.workflows.models import WorkflowTemplate


class WorkflowLoggingOutput(serializers.Serializer):
    level = serializers.ChoiceField(choices=LogLevel.choices)
    include_data = serializers.BooleanField()
    inherited = serializers.BooleanField(help_text="true: the workflow has no level of its own; the server's applies")
    delivery = serializers.CharField(allow_null=True, help_text="where events go: stdout, stderr, a file, or null (off)")


def _output(template: WorkflowTemplate) -> dict:
    row = WorkflowLogging.objects.filter(template=template).first()
    target = delivery.parse_target(metrics_setting("EXECUTION_LOG_DELIVERY"))
    if row is None:
        return {"level": delivery.parse_level(metrics_setting("EXECUTION_LOG_LEVEL")),
                "include_data": bool(metrics_setting("EXECUTION_LOG_INCLUDE_DATA")), "inherited": True,
                "delivery": target}
    return {"level": row.level, "include_data": row.include_data, "inherited": False, "delivery": target}


class WorkflowLoggingApi(APIView):
    class WorkflowLoggingInputSerializer(serializers.Serializer):
        level = serializers.ChoiceField(choices=LogLevel.choices)
        include_data = serializers.BooleanField(default=True)

    @extend_schema(responses=WorkflowLoggingOutput)
    def get(self, request: Request, template_id: int) -> Response:
        return Response(_output(access.template_get(user=request.user, template_id=template_id)))

    @extend_schema(request=WorkflowLoggingInputSerializer, responses=WorkflowLoggingOutput)
    def put(self, request: Request, template_id: int) -> Response:
        template = access.template_get(user=request.user, template_id=template_id)
        data = validated(self.WorkflowLoggingInputSerializer, request.data)
        workflow_logging_set(template=template, level=data["level"], include_data=data["include_data"])
        return Response(_output(template))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, template_id: int) -> Response:
        workflow_logging_clear(template=access.template_get(user=request.user, template_id=template_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
