"""Executions: start, stop, redrive, describe, list (filters, ordering, paging), history."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access, runtime
from backend.api.rest.common import MAX_DB_INT, JsonTextField, paginated, parse_json_text, validated
from backend.api.errors import ApiError
from backend.executions.models import ExecutionStatus, HistoryEvent
from backend.workflows.models import WorkflowType

EXECUTION_ORDERINGS = ["started_at", "-started_at", "stopped_at", "-stopped_at", "name", "-name", "status", "-status"]
HISTORY_PAGE_MAX = 1000


class ExecutionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    workflow_id = serializers.IntegerField(source="template_id")
    workflow_name = serializers.CharField(source="template.name")
    version = serializers.IntegerField(source="version.number")
    type = serializers.CharField()
    status = serializers.CharField()
    input = serializers.CharField(help_text="JSON text")
    output = serializers.CharField(allow_null=True, help_text="JSON text")
    error = serializers.CharField(allow_null=True)
    cause = serializers.CharField(allow_null=True)
    started_at = serializers.DateTimeField()
    stopped_at = serializers.DateTimeField(allow_null=True)
    redrive_count = serializers.IntegerField()


class ExecutionCollectionApi(APIView):
    class ExecutionFilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ExecutionStatus.values, required=False)
        workflow = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)
        started_after = serializers.DateTimeField(required=False)
        started_before = serializers.DateTimeField(required=False)
        ordering = serializers.ChoiceField(choices=EXECUTION_ORDERINGS, required=False)

    class ExecutionStartInputSerializer(serializers.Serializer):
        workflow = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT, help_text="the workflow (template) id")
        name = serializers.CharField(max_length=80, required=False)
        input = JsonTextField(required=False, default="{}")
        version = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT, required=False)

    @extend_schema(parameters=[ExecutionFilterSerializer], responses=ExecutionOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(self.ExecutionFilterSerializer, request.query_params)
        executions = access.executions_visible(user=request.user).filter(parent__isnull=True)
        if "status" in filters:
            executions = executions.filter(status=filters["status"])
        if "workflow" in filters:
            executions = executions.filter(template_id=filters["workflow"])
        if "started_after" in filters:
            executions = executions.filter(started_at__gte=filters["started_after"])
        if "started_before" in filters:
            executions = executions.filter(started_at__lt=filters["started_before"])
        executions = executions.order_by(filters.get("ordering", "-started_at"), "-id")
        return paginated(queryset=executions, serializer_class=ExecutionOutput, request=request, view=self)

    @extend_schema(request=ExecutionStartInputSerializer, responses={201: ExecutionOutput})
    def post(self, request: Request) -> Response:
        data = validated(self.ExecutionStartInputSerializer, request.data)
        template = access.template_get(user=request.user, template_id=data["workflow"])
        if template.type == WorkflowType.EXPRESS:
            # Express runs end within the request; the answer is their summary row.
            if data.get("version") is not None:
                raise ApiError("ValidationException", "Express executions run the latest version.", field="version")
            result, row = runtime.express_run_recorded(template=template, name=data.get("name"), input=data["input"])
            if row is None:
                raise ApiError("NotImplemented", "Express executions are not recorded on this server "
                               "(ENGINE_EXPRESS_RECORD is off); use StartSyncExecution to get their outcome.")
            return Response(ExecutionOutput(row).data, status=status.HTTP_201_CREATED)
        execution = runtime.execution_start(
            template=template, name=data.get("name"), input=data["input"], version_number=data.get("version")
        )
        return Response(ExecutionOutput(execution).data, status=status.HTTP_201_CREATED)


class ExecutionDetailApi(APIView):
    @extend_schema(responses=ExecutionOutput)
    def get(self, request: Request, execution_id: int) -> Response:
        return Response(ExecutionOutput(access.execution_get(user=request.user, execution_id=execution_id)).data)


class ExecutionStopApi(APIView):
    class ExecutionStopInputSerializer(serializers.Serializer):
        error = serializers.CharField(max_length=256, required=False, allow_blank=True)
        cause = serializers.CharField(max_length=32768, required=False, allow_blank=True)

    @extend_schema(request=ExecutionStopInputSerializer, responses=ExecutionOutput)
    def post(self, request: Request, execution_id: int) -> Response:
        execution = access.execution_get(user=request.user, execution_id=execution_id)
        data = validated(self.ExecutionStopInputSerializer, request.data)
        execution = runtime.execution_stop(execution=execution, error=data.get("error"), cause=data.get("cause"))
        return Response(ExecutionOutput(execution).data)


class ExecutionRedriveApi(APIView):
    @extend_schema(request=None, responses=ExecutionOutput)
    def post(self, request: Request, execution_id: int) -> Response:
        execution = access.execution_get(user=request.user, execution_id=execution_id)
        return Response(ExecutionOutput(runtime.execution_redrive(execution=execution)).data)


class HistoryEventOutput(serializers.Serializer):
    id = serializers.IntegerField(source="event_id")
    previous_event_id = serializers.IntegerField()
    type = serializers.CharField()
    timestamp = serializers.FloatField(help_text="epoch seconds")
    details = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_details(self, event: HistoryEvent) -> object:
        return parse_json_text(event.details)


class ExecutionHistoryApi(APIView):
    class HistoryFilterSerializer(serializers.Serializer):
        after = serializers.IntegerField(min_value=0, max_value=MAX_DB_INT, default=0, help_text="return events with a larger id")
        limit = serializers.IntegerField(min_value=1, max_value=HISTORY_PAGE_MAX, default=100)
        scope = serializers.CharField(required=False, default="", allow_blank=True,
                                      help_text="a child execution's key (Distributed Map iteration)")

    class HistoryPageSerializer(serializers.Serializer):
        events = HistoryEventOutput(many=True)
        next_after = serializers.IntegerField(allow_null=True, help_text="pass as `after` for the next page")

    @extend_schema(parameters=[HistoryFilterSerializer], responses=HistoryPageSerializer)
    def get(self, request: Request, execution_id: int) -> Response:
        execution = access.execution_get(user=request.user, execution_id=execution_id)
        page = validated(self.HistoryFilterSerializer, request.query_params)
        rows = list(
            HistoryEvent.objects.filter(execution=execution, scope=page["scope"], event_id__gt=page["after"])
            .order_by("event_id")[: page["limit"] + 1]
        )
        more = len(rows) > page["limit"]
        rows = rows[: page["limit"]]
        next_after = rows[-1].event_id if more else None
        return Response({"events": HistoryEventOutput(rows, many=True).data, "next_after": next_after})
