"""Execution statistics for the dashboard's charts: ``GET /api/stats/?workflow=&window=``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.rest.common import MAX_DB_INT, validated
from backend.metrics.selectors import STATS_WINDOWS, execution_stats


class StatsTotalsOutput(serializers.Serializer):
    started = serializers.IntegerField(help_text="executions started in the window")
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()
    timed_out = serializers.IntegerField()
    aborted = serializers.IntegerField()
    running = serializers.IntegerField(help_text="executions running now, whenever they started")


class StatsDurationOutput(serializers.Serializer):
    p50 = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)
    p99 = serializers.FloatField(allow_null=True)
    avg = serializers.FloatField(allow_null=True)


class StatsBucketOutput(serializers.Serializer):
    start = serializers.DateTimeField()
    started = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()
    timed_out = serializers.IntegerField()
    aborted = serializers.IntegerField()
    avg_duration_ms = serializers.FloatField(allow_null=True)


class StatsOutput(serializers.Serializer):
    window = serializers.ChoiceField(choices=list(STATS_WINDOWS))
    bucket_seconds = serializers.IntegerField()
    totals = StatsTotalsOutput()
    duration_ms = StatsDurationOutput(help_text="of the executions started in the window that have finished")
    series = StatsBucketOutput(many=True, help_text="oldest first; the last bucket holds the current time")


class StatsApi(APIView):
    class StatsFilterSerializer(serializers.Serializer):
        workflow = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT,
                                            help_text="a workflow (template) id; all of yours when absent")
        window = serializers.ChoiceField(choices=list(STATS_WINDOWS), default="24h")

    @extend_schema(parameters=[StatsFilterSerializer], responses=StatsOutput,
                   description="Executions started per time bucket by current status, totals and duration "
                               "percentiles, for one workflow or all of the caller's. An execution counts in the "
                               "bucket where it started.")
    def get(self, request: Request) -> Response:
        filters = validated(self.StatsFilterSerializer, request.query_params)
        executions = access.executions_visible(user=request.user)
        if "workflow" in filters:
            template = access.template_get(user=request.user, template_id=filters["workflow"])
            executions = executions.filter(template_id=template.pk)
        return Response(execution_stats(executions=executions, window=filters["window"]))
