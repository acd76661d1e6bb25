"""Connections: named credentials for HTTP Tasks. The secret is write-only.

A response shows a connection's kind, name, description, non-secret parameters and
whether a secret is set (``secret_set``), never the secret: it can be set on create and
replaced on PATCH, not read back. A workflow may use a connection only when its run
role allows the resource ``connection:<name>`` (shown as ``resource``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api import access
from backend.api.rest.common import Paging, paginated, validated
from backend.api.rest.schedules import field_errors, name_taken
from backend.connections.models import Connection, ConnectionKind
from backend.connections.services import connection_create, connection_resource, connection_update

SECRET_MAX_LENGTH = 8192


def connections_visible(*, user: AbstractBaseUser) -> QuerySet[Connection]:
    return access.owned(Connection.objects.select_related("owner"), user, "owner_id")


def connection_get(*, user: AbstractBaseUser, connection_id: Any) -> Connection:
    return access.get_by_id(connections_visible(user=user), connection_id, "connection")


class ConnectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ConnectionKind.choices)
    description = serializers.CharField()
    parameters = serializers.DictField(child=serializers.CharField(), help_text="the non-secret settings")
    secret_set = serializers.SerializerMethodField(help_text="whether a secret is stored (it is never returned)")
    resource = serializers.SerializerMethodField(help_text="the run role pattern that lets a workflow use it")
    owner = serializers.CharField(source="owner.get_username")
    updated_at = serializers.DateTimeField()

    def get_secret_set(self, connection: Connection) -> bool:
        return bool(connection.secret_sealed)

    def get_resource(self, connection: Connection) -> str:
        return connection_resource(connection.name)


def _secret_field(**kwargs: Any) -> serializers.CharField:
    # Secrets are taken as given (no trimming) and never echoed: write_only, and DRF's
    # messages for a CharField never quote the value.
    return serializers.CharField(write_only=True, trim_whitespace=False, max_length=SECRET_MAX_LENGTH,
                                 style={"input_type": "password"}, **kwargs)


_PARAMETERS_HELP = ("basic: username; api_key: name (header or parameter name), location (header|query); "
                    "bearer: none; oauth2: token_url, client_id, scope (optional)")


class ConnectionCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=ConnectionKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    parameters = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000),
                                       required=False, default=dict, help_text=_PARAMETERS_HELP)
    secret = _secret_field(help_text="password, API key, token or client secret (write-only)")


class ConnectionUpdateInput(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    parameters = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000),
                                       required=False, help_text=_PARAMETERS_HELP)
    secret = _secret_field(required=False, help_text="a new secret replaces the stored one (write-only)")


class ConnectionFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConnectionKind.choices, required=False)
    name = serializers.CharField(required=False, help_text="part of the name")


class ConnectionCollectionApi(APIView):
    pagination_class = Paging

    @extend_schema(parameters=[ConnectionFilter], responses=ConnectionOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = validated(ConnectionFilter, request.query_params)
        connections = connections_visible(user=request.user)
        if "kind" in filters:
            connections = connections.filter(kind=filters["kind"])
        if "name" in filters:
            connections = connections.filter(name__icontains=filters["name"])
        connections = connections.order_by("name", "id")
        return paginated(queryset=connections, serializer_class=ConnectionOutput, request=request, view=self)

    @extend_schema(request=ConnectionCreateInput, responses={201: ConnectionOutput})
    def post(self, request: Request) -> Response:
        data = validated(ConnectionCreateInput, request.data)
        try:
            with field_errors(), transaction.atomic():
                connection = connection_create(owner=request.user, **data)
        except IntegrityError:
            raise name_taken("connection", data["name"]) from None
        return Response(ConnectionOutput(connection).data, status=status.HTTP_201_CREATED)


class ConnectionItemApi(APIView):
    @extend_schema(responses=ConnectionOutput)
    def get(self, request: Request, connection_id: int) -> Response:
        return Response(ConnectionOutput(connection_get(user=request.user, connection_id=connection_id)).data)

    @extend_schema(request=ConnectionUpdateInput, responses=ConnectionOutput)
    def patch(self, request: Request, connection_id: int) -> Response:
        connection = connection_get(user=request.user, connection_id=connection_id)
        data = validated(ConnectionUpdateInput, request.data)
        with field_errors():
            connection = connection_update(connection=connection, **data)
        return Response(ConnectionOutput(connection).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, connection_id: int) -> Response:
        connection_get(user=request.user, connection_id=connection_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
