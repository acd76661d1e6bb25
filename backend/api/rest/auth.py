"""Signing in: session login for the browser (CSRF-protected), API tokens and SecretId/SecretKey pairs for programs."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import ApiCredential
from backend.accounts.services import credential_create, credential_revoke
from backend.api.errors import ApiError
from backend.api.rest.common import validated


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(source="get_username")
    is_staff = serializers.BooleanField()


class CsrfApi(APIView):
    """Sets the ``csrftoken`` cookie and returns the token to send as ``X-CSRFToken``."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: None})
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request._request)})


class LoginApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class LoginInputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=4096, trim_whitespace=False)

    @extend_schema(request=LoginInputSerializer, responses=UserOutput)
    def post(self, request: Request) -> Response:
        # A login form is a CSRF target too (login CSRF): same check as for signed-in users.
        SessionAuthentication().enforce_csrf(request)
        data = validated(self.LoginInputSerializer, request.data)
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            raise ApiError("NotAuthenticated", "Wrong username or password.", status=401)
        login(request._request, user)
        return Response(UserOutput(user).data)


class LogoutApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    @extend_schema(responses=UserOutput)
    def get(self, request: Request) -> Response:
        return Response(UserOutput(request.user).data)


class TokenApi(APIView):
    """The caller's API token (``Authorization: Token <key>``); POST makes one, DELETE revokes it."""

    class TokenOutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=None, responses=TokenOutputSerializer)
    def post(self, request: Request) -> Response:
        token, _ = Token.objects.get_or_create(user=request.user)
        return Response({"token": token.key})

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class CredentialOutput(serializers.Serializer):
    secret_id = serializers.CharField()
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class CredentialCollectionApi(APIView):
    """SecretId/SecretKey pairs for the ASW and Step Functions APIs; the key is shown only at creation."""

    class CredentialCreatedSerializer(serializers.Serializer):
        secret_id = serializers.CharField()
        secret_key = serializers.CharField()

    @extend_schema(responses=CredentialOutput(many=True))
    def get(self, request: Request) -> Response:
        rows = ApiCredential.objects.filter(owner=request.user).order_by("created_at")
        return Response(CredentialOutput(rows, many=True).data)

    @extend_schema(request=None, responses={201: CredentialCreatedSerializer})
    def post(self, request: Request) -> Response:
        issued = credential_create(owner=request.user)
        return Response(
            {"secret_id": issued.credential.secret_id, "secret_key": issued.secret_key}, status=status.HTTP_201_CREATED
        )


class CredentialItemApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, secret_id: str) -> Response:
        credential = ApiCredential.objects.filter(owner=request.user, secret_id=secret_id, is_active=True).first()
        if credential is None:
            raise ApiError("ResourceNotFound", f"No active credential '{secret_id}'.")
        credential_revoke(credential=credential)
        return Response(status=status.HTTP_204_NO_CONTENT)
