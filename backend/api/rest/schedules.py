"""Schedules: start a workflow on a cron expression or a fixed rate (list, create, change, pause, runs).

A schedule belongs to its workflow's owner: another user's schedules are answered as
missing, staff see all. ``next_runs`` are the next five start times (none while paused);
``/runs/`` are the executions the schedule started (their names are ``sched-<id>-<tick>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.errors import ApiError
from backend.api.rest.common import MAX_DB_INT, JsonTextField, Paging, paginated, validated
from backend.api.rest.executions import ExecutionOutput
from backend.schedules.models import MissedRunPolicy, Schedule, ScheduleKind
from backend.schedules.selectors import schedule_next_run_times, schedule_runs
from backend.schedules.services import schedule_create, schedule_set_enabled, schedule_update
from backend.workflows.errors import InvalidName, ServiceError, VersionDoesNotExist

NEXT_RUNS = 5

# "Invalid schedule: cron_expression: ..." -> cron_expression (the services name the field first).
_FIELD_IN_MESSAGE = re.compile(r"^Invalid [a-z ]+?: ([a-z_][a-z_.]*)(?=:| and | or )")


@contextmanager
def field_errors() -> Iterator[None]:
    """The operations services' errors as ApiError, with ``field`` set to the field they name."""
    try:
        yield
    except InvalidName as error:
        raise ApiError(error.code, error.message, field="name") from None
    except VersionDoesNotExist as error:
        raise ApiError("ValidationException", error.message, field="version") from None
    except ServiceError as error:
        match = _FIELD_IN_MESSAGE.match(error.message)
        raise ApiError(error.code, error.message, field=match.group(1) if match else None) from None


def name_taken(what: str, name: str) -> ApiError:
    """Two creates raced past the services' check; the unique constraint said no."""
    return ApiError("ResourceAlreadyExists", f"Invalid {what}: name: '{name}' is already used", field="name")


def schedules_visible(*, user: AbstractBaseUser) -> QuerySet[Schedule]:
    return access.owned(Schedule.objects.select_related("template"), user, "template__owner_id")


def schedule_get(*, user: AbstractBaseUser, schedule_id: Any) -> Schedule:
    return access.get_by_id(schedules_visible(user=user), schedule_id, "schedule")


class ScheduleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    workflow = serializers.IntegerField(source="template_id", help_text="the workflow (template) id")
    workflow_name = serializers.CharField(source="template.name")
    version = serializers.IntegerField(source="version_number", allow_null=True,
                                       help_text="the pinned version; null = each run starts the latest")
    kind = serializers.ChoiceField(choices=ScheduleKind.choices)
    cron_expression = serializers.CharField(help_text="5 fields, read in `timezone`; empty for a rate")
    rate_seconds = serializers.IntegerField(allow_null=True)
    timezone = serializers.CharField()
    input = serializers.CharField(help_text="JSON text")
    enabled = serializers.BooleanField()
    start_at = serializers.DateTimeField(allow_null=True)
    end_at = serializers.DateTimeField(allow_null=True)
    missed_run_policy = serializers.ChoiceField(choices=MissedRunPolicy.values)
    next_runs = serializers.SerializerMethodField(help_text=f"the next {NEXT_RUNS} start times (none while paused)")
    last_tick_at = serializers.DateTimeField(help_text="every tick up to this time has been dealt with")
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.DateTimeField()))
    def get_next_runs(self, schedule: Schedule) -> list[str]:
        field = serializers.DateTimeField()
        return [field.to_representation(tick) for tick in schedule_next_run_times(schedule=schedule, count=NEXT_RUNS)]


class _TimingInput(serializers.Serializer):
    """Fields a create and a change share; what they mean together is checked by the service."""

    version = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_DB_INT,
                                       help_text="pin a version; null = the latest at each run")
    kind = serializers.ChoiceField(choices=ScheduleKind.choices, required=False)
    cron_expression = serializers.CharField(required=False, allow_blank=True, max_length=120,
                                            help_text="minute hour day-of-month month day-of-week")
    rate_seconds = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10**9)
    timezone = serializers.CharField(required=False, max_length=64, help_text="an IANA zone, e.g. Europe/Paris")
    input = JsonTextField(required=False)
    start_at = serializers.DateTimeField(required=False, allow_null=True)
    end_at = serializers.DateTimeField(required=False, allow_null=True)
    missed_run_policy = serializers.ChoiceField(choices=MissedRunPolicy.values, required=False)
    enabled = serializers.BooleanField(required=False)


class ScheduleCreateInput(_TimingInput):
    workflow = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT, help_text="the workflow (template) id")
    name = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=ScheduleKind.choices)


class ScheduleUpdateInput(_TimingInput):
    pass


class ScheduleFilter(serializers.Serializer):
    workflow = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)
    enabled = serializers.BooleanField(required=False, allow_null=True, default=None)


def _service_changes(data: dict[str, Any]) -> dict[str, Any]:
    """REST field names -> the service's."""
    renames = {"version": "version_number"}
    return {renames.get(key, key): value for key, value in data.items()}


class ScheduleCollectionApi(APIView):
    pagination_class = Paging

    @extend_schema(parameters=[ScheduleFilter], responses=ScheduleOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(ScheduleFilter, request.query_params)
        schedules = schedules_visible(user=request.user)
        if "workflow" in filters:
            schedules = schedules.filter(template_id=filters["workflow"])
        if filters.get("enabled") is not None:
            schedules = schedules.filter(enabled=filters["enabled"])
        schedules = schedules.order_by("template__name", "name", "id")
        return paginated(queryset=schedules, serializer_class=ScheduleOutput, request=request, view=self)

    @extend_schema(request=ScheduleCreateInput, responses={201: ScheduleOutput})
    def post(self, request: Request) -> Response:
        data = validated(ScheduleCreateInput, request.data)
        template = access.template_get(user=request.user, template_id=data.pop("workflow"))
        changes = _service_changes(data)
        if "timezone" in changes:
            changes["timezone_name"] = changes.pop("timezone")
        try:
            with field_errors(), transaction.atomic():
                schedule = schedule_create(template=template, **changes)
        except IntegrityError:
            raise name_taken("schedule", data["name"]) from None
        return Response(ScheduleOutput(schedule).data, status=status.HTTP_201_CREATED)


class ScheduleItemApi(APIView):
    @extend_schema(responses=ScheduleOutput)
    def get(self, request: Request, schedule_id: int) -> Response:
        return Response(ScheduleOutput(schedule_get(user=request.user, schedule_id=schedule_id)).data)

    @extend_schema(request=ScheduleUpdateInput, responses=ScheduleOutput)
    def patch(self, request: Request, schedule_id: int) -> Response:
        schedule = schedule_get(user=request.user, schedule_id=schedule_id)
        changes = _service_changes(validated(ScheduleUpdateInput, request.data))
        enabled = changes.pop("enabled", None)
        with field_errors(), transaction.atomic():
            if changes:
                schedule = schedule_update(schedule=schedule, **changes)
            if enabled is not None:
                schedule = schedule_set_enabled(schedule=schedule, enabled=enabled)
        return Response(ScheduleOutput(schedule).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, schedule_id: int) -> Response:
        schedule_get(user=request.user, schedule_id=schedule_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SchedulePauseApi(APIView):
    enabled = False

    @extend_schema(request=None, responses=ScheduleOutput)
    def post(self, request: Request, schedule_id: int) -> Response:
        schedule = schedule_get(user=request.user, schedule_id=schedule_id)
        return Response(ScheduleOutput(schedule_set_enabled(schedule=schedule, enabled=self.enabled)).data)


class ScheduleResumeApi(SchedulePauseApi):
    """Resuming looks forward: ticks that fell while paused never run."""

    enabled = True


class ScheduleRunsApi(APIView):
    pagination_class = Paging

    @extend_schema(responses=ExecutionOutput(many=True))
    def get(self, request: Request, schedule_id: int) -> Response:
        schedule = schedule_get(user=request.user, schedule_id=schedule_id)
        runs = schedule_runs(schedule=schedule).select_related("template", "version").order_by("-started_at", "-id")
        return paginated(queryset=runs, serializer_class=ExecutionOutput, request=request, view=self)
