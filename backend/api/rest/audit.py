"""The audit log, read-only: who created, changed, deleted, published, started, stopped or
redrove what, when, through which client, and with which version.

Append-only: there is no route that changes or deletes an event (PUT, PATCH, POST and
DELETE answer 405). A user reads the events of their own objects; staff read all.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.rest.common import MAX_DB_INT, Paging, paginated, validated
from backend.audit.models import AuditAction, AuditClient, AuditEvent
from backend.audit.selectors import audit_search, audit_visible

OBJECT_TYPES = ["workflow", "execution", "role", "function", "schedule", "connection", "alert_rule"]


def events_visible(*, user: AbstractBaseUser) -> QuerySet[AuditEvent]:
    return audit_visible(user_id=user.pk, everything=access.sees_everything(user))


class AuditEventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    timestamp = serializers.DateTimeField()
    actor_name = serializers.CharField(help_text="user name; empty for the system or a schedule")
    actor_id = serializers.IntegerField(allow_null=True)
    action = serializers.ChoiceField(choices=AuditAction.values)
    object_type = serializers.CharField(help_text=", ".join(OBJECT_TYPES))
    object_id = serializers.CharField()
    object_name = serializers.CharField()
    workflow = serializers.IntegerField(source="workflow_id", allow_null=True,
                                        help_text="the workflow the object is or belongs to")
    version = serializers.IntegerField(allow_null=True, help_text="published or started version")
    client = serializers.ChoiceField(choices=AuditClient.values)
    details = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_details(self, event: AuditEvent) -> object:
        return event.details


class AuditFilter(serializers.Serializer):
    actor = serializers.CharField(required=False, max_length=150, help_text="exact user name")
    actor_id = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)
    action = serializers.ChoiceField(choices=AuditAction.values, required=False)
    object_type = serializers.CharField(required=False, max_length=40, help_text=", ".join(OBJECT_TYPES))
    object_id = serializers.CharField(required=False, max_length=64)
    workflow = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT,
                                        help_text="events of this workflow and of its versions, executions, "
                                                  "schedules and alert rules")
    client = serializers.ChoiceField(choices=AuditClient.values, required=False)
    since = serializers.DateTimeField(required=False, help_text="at or after")
    until = serializers.DateTimeField(required=False, help_text="before")
    q = serializers.CharField(required=False, max_length=200, help_text="text in the object or actor name")

    def validate(self, attrs: dict) -> dict:
        if "since" in attrs and "until" in attrs and attrs["until"] <= attrs["since"]:
            raise serializers.ValidationError({"until": "must be later than since"})
        return attrs


class AuditListApi(APIView):
    pagination_class = Paging

    @extend_schema(parameters=[AuditFilter], responses=AuditEventOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(AuditFilter, request.query_params)
        events = audit_search(
            within=events_visible(user=request.user),
            actor_name=filters.get("actor"), actor_id=filters.get("actor_id"), action=filters.get("action"),
            object_type=filters.get("object_type"), object_id=filters.get("object_id"),
            workflow_id=filters.get("workflow"), client=filters.get("client"), since=filters.get("since"),
            until=filters.get("until"), text=filters.get("q"),
        ).order_by("-timestamp", "-id")
        return paginated(queryset=events, serializer_class=AuditEventOutput, request=request, view=self)


class AuditDetailApi(APIView):
    @extend_schema(responses=AuditEventOutput)
    def get(self, request: Request, event_id: int) -> Response:
        return Response(AuditEventOutput(access.get_by_id(events_visible(user=request.user), event_id, "audit event")).data)
