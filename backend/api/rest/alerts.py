"""Alert rules (what to watch on a workflow, whom to tell) and the alerts they fired.

Rules and alerts belong to their workflow's owner; staff see all. A rule's webhook
secret is write-only (``webhook_secret_set`` says whether one is stored). Each alert
shows its webhook delivery (``webhook_status``, attempts, last error) and whether it
was emailed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.alerts.models import Alert, AlertKind, AlertRule, DeliveryStatus
from backend.alerts.services import alert_rule_create, alert_rule_update
from backend.api import access
from backend.api.rest.common import MAX_DB_INT, Paging, paginated, validated
from backend.api.rest.schedules import field_errors, name_taken

SECRET_MAX_LENGTH = 8192


def rules_visible(*, user: AbstractBaseUser) -> QuerySet[AlertRule]:
    return access.owned(AlertRule.objects.select_related("template"), user, "template__owner_id")


def rule_get(*, user: AbstractBaseUser, rule_id: Any) -> AlertRule:
    return access.get_by_id(rules_visible(user=user), rule_id, "alert rule")


def alerts_visible(*, user: AbstractBaseUser) -> QuerySet[Alert]:
    return access.owned(Alert.objects.select_related("rule", "rule__template"), user, "rule__template__owner_id")


class AlertRuleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    workflow = serializers.IntegerField(source="template_id", help_text="the workflow (template) id")
    workflow_name = serializers.CharField(source="template.name")
    kind = serializers.ChoiceField(choices=AlertKind.choices)
    threshold_count = serializers.IntegerField(allow_null=True, help_text="failure_count: N failures ...")
    window_minutes = serializers.IntegerField(allow_null=True, help_text="failure_count: ... within M minutes")
    duration_seconds = serializers.IntegerField(allow_null=True, help_text="long_running: running longer than T")
    webhook_url = serializers.CharField()
    webhook_secret_set = serializers.SerializerMethodField(help_text="whether a signing secret is stored")
    email_to = serializers.CharField(help_text="comma-separated addresses")
    enabled = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_webhook_secret_set(self, rule: AlertRule) -> bool:
        return bool(rule.webhook_secret_sealed)


class _RuleInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AlertKind.choices, required=False)
    threshold_count = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10**6)
    window_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10**6)
    duration_seconds = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10**9)
    webhook_url = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                        help_text="http(s) URL that gets a signed JSON POST per alert")
    webhook_secret = serializers.CharField(
        required=False, allow_blank=True, write_only=True, trim_whitespace=False, max_length=SECRET_MAX_LENGTH,
        style={"input_type": "password"},
        help_text="shared secret for the X-Signature-256 HMAC (write-only; needed with a webhook)")
    email_to = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                     help_text="comma-separated addresses")
    enabled = serializers.BooleanField(required=False)


class AlertRuleCreateInput(_RuleInput):
    workflow = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT, help_text="the workflow (template) id")
    name = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=AlertKind.choices)


class AlertRuleUpdateInput(_RuleInput):
    pass


class AlertRuleFilter(serializers.Serializer):
    workflow = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)
    kind = serializers.ChoiceField(choices=AlertKind.choices, required=False)


class AlertRuleCollectionApi(APIView):
    pagination_class = Paging

    @extend_schema(parameters=[AlertRuleFilter], responses=AlertRuleOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(AlertRuleFilter, request.query_params)
        rules = rules_visible(user=request.user)
        if "workflow" in filters:
            rules = rules.filter(template_id=filters["workflow"])
        if "kind" in filters:
            rules = rules.filter(kind=filters["kind"])
        rules = rules.order_by("template__name", "name", "id")
        return paginated(queryset=rules, serializer_class=AlertRuleOutput, request=request, view=self)

    @extend_schema(request=AlertRuleCreateInput, responses={201: AlertRuleOutput})
    def post(self, request: Request) -> Response:
        data = validated(AlertRuleCreateInput, request.data)
        template = access.template_get(user=request.user, template_id=data.pop("workflow"))
        try:
            with field_errors(), transaction.atomic():
                rule = alert_rule_create(template=template, **data)
        except IntegrityError:
            raise name_taken("alert rule", data["name"]) from None
        return Response(AlertRuleOutput(rule).data, status=status.HTTP_201_CREATED)


class AlertRuleItemApi(APIView):
    @extend_schema(responses=AlertRuleOutput)
    def get(self, request: Request, rule_id: int) -> Response:
        return Response(AlertRuleOutput(rule_get(user=request.user, rule_id=rule_id)).data)

    @extend_schema(request=AlertRuleUpdateInput, responses=AlertRuleOutput)
    def patch(self, request: Request, rule_id: int) -> Response:
        rule = rule_get(user=request.user, rule_id=rule_id)
        data = validated(AlertRuleUpdateInput, request.data)
        with field_errors():
            rule = alert_rule_update(rule=rule, **data)
        return Response(AlertRuleOutput(rule).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, rule_id: int) -> Response:
        rule_get(user=request.user, rule_id=rule_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.IntegerField(source="rule_id", help_text="the alert rule id")
    rule_name = serializers.CharField(source="rule.name")
    kind = serializers.CharField(source="rule.kind")
    workflow = serializers.IntegerField(source="rule.template_id", help_text="the workflow (template) id")
    workflow_name = serializers.CharField(source="rule.template.name")
    execution = serializers.IntegerField(source="execution_id", allow_null=True,
                                         help_text="the execution it is about (null once that execution is deleted)")
    key = serializers.CharField(help_text="unique per rule: one event makes one alert")
    message = serializers.SerializerMethodField()
    payload = serializers.SerializerMethodField(help_text="the JSON body the webhook gets")
    created_at = serializers.DateTimeField()
    webhook_status = serializers.ChoiceField(choices=DeliveryStatus.values,
                                             help_text="pending (being retried), delivered, failed (gave up), "
                                                       "none (no webhook)")
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    emailed_at = serializers.DateTimeField(allow_null=True)

    def get_message(self, alert: Alert) -> str:
        return str(alert.payload.get("message", "")) if isinstance(alert.payload, dict) else ""

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_payload(self, alert: Alert) -> Any:
        return alert.payload


class AlertFilter(serializers.Serializer):
    workflow = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)
    rule = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)
    execution = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DB_INT)
    webhook_status = serializers.ChoiceField(choices=DeliveryStatus.values, required=False)
    since = serializers.DateTimeField(required=False, help_text="fired at or after")
    until = serializers.DateTimeField(required=False, help_text="fired before")


class AlertListApi(APIView):
    pagination_class = Paging

    @extend_schema(parameters=[AlertFilter], responses=AlertOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(AlertFilter, request.query_params)
        alerts = alerts_visible(user=request.user)
        for name, lookup in (("workflow", "rule__template_id"), ("rule", "rule_id"), ("execution", "execution_id"),
                             ("webhook_status", "webhook_status"), ("since", "created_at__gte"),
                             ("until", "created_at__lt")):
            if name in filters:
                alerts = alerts.filter(**{lookup: filters[name]})
        alerts = alerts.order_by("-created_at", "-id")
        return paginated(queryset=alerts, serializer_class=AlertOutput, request=request, view=self)


class AlertDetailApi(APIView):
    @extend_schema(responses=AlertOutput)
    def get(self, request: Request, alert_id: int) -> Response:
        return Response(AlertOutput(access.get_by_id(alerts_visible(user=request.user), alert_id, "alert")).data)
