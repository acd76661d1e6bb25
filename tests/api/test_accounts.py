"""Accounts: createcredentials, sealed SecretKeys, session login with CSRF, API tokens."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings
from rest_framework.test import APIClient

from backend.accounts.models import ApiCredential
from backend.accounts.selectors import signing_key_get

pytestmark = pytest.mark.django_db


def test_createcredentials_prints_a_pair_that_resolves_to_the_user(alice: User) -> None:
    out = StringIO()
    call_command("createcredentials", "alice", stdout=out)
    match = re.fullmatch(r"SecretId=(AKID\w{32}) SecretKey=(\S+)\n", out.getvalue())
    assert match, out.getvalue()
    secret_id, secret_key = match.groups()
    found = signing_key_get(secret_id=secret_id)
    assert found is not None and found.user == alice and found.secret_key == secret_key
    # Stored sealed, never in clear.
    assert secret_key not in ApiCredential.objects.get(secret_id=secret_id).sealed_secret_key


def test_createcredentials_refuses_an_unknown_user_unless_asked_to_create_it() -> None:
    with pytest.raises(CommandError, match="No user named 'carol'"):
        call_command("createcredentials", "carol", stdout=StringIO())
    call_command("createcredentials", "carol", "--create-user", stdout=StringIO())
    assert ApiCredential.objects.filter(owner__username="carol").count() == 1


def test_sealed_keys_need_the_encryption_key_they_were_sealed_with(alice: User) -> None:
    out = StringIO()
    with override_settings(CREDENTIALS_ENCRYPTION_KEY="first-key"):
        call_command("createcredentials", "alice", stdout=out)
        secret_id = out.getvalue().split()[0].removeprefix("SecretId=")
        assert signing_key_get(secret_id=secret_id) is not None
    with override_settings(CREDENTIALS_ENCRYPTION_KEY="another-key"):
        assert signing_key_get(secret_id=secret_id) is None


def test_revoked_and_inactive_users_credentials_do_not_resolve(alice: User, alice_keys: tuple[str, str]) -> None:
    secret_id, _ = alice_keys
    alice.is_active = False
    alice.save()
    assert signing_key_get(secret_id=secret_id) is None


def test_session_login_needs_the_csrf_token(alice: User) -> None:
    browser = APIClient(enforce_csrf_checks=True)
    refused = browser.post("/api/auth/login/", {"username": "alice", "password": "alice-pass-123"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "AccessDenied"
    token = browser.get("/api/auth/csrf/").json()["csrf_token"]
    wrong = browser.post("/api/auth/login/", {"username": "alice", "password": "nope"}, format="json",
                         HTTP_X_CSRFTOKEN=token)
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "NotAuthenticated"
    ok = browser.post("/api/auth/login/", {"username": "alice", "password": "alice-pass-123"}, format="json",
                      HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200 and ok.json()["username"] == "alice"
    assert browser.get("/api/auth/me/").json()["username"] == "alice"
    # Signed in by session: unsafe methods still need the CSRF token.
    token = browser.cookies["csrftoken"].value
    assert browser.post("/api/roles/", {"name": "r"}, format="json").status_code == 403
    assert browser.post("/api/roles/", {"name": "r"}, format="json", HTTP_X_CSRFTOKEN=token).status_code == 201


def test_api_token_authenticates_programs(alice: User) -> None:
    anonymous = APIClient()
    assert anonymous.get("/api/templates/").status_code == 401
    assert anonymous.get("/api/templates/").json()["error"]["code"] == "NotAuthenticated"
    signed_in = APIClient()
    signed_in.force_authenticate(alice)
    key = signed_in.post("/api/auth/token/").json()["token"]
    program = APIClient()
    program.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert program.get("/api/auth/me/").json()["username"] == "alice"
    program.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert program.get("/api/auth/me/").status_code == 401


def test_credentials_endpoint_issues_and_revokes_pairs(alice: User) -> None:
    api = APIClient()
    api.force_authenticate(alice)
    created = api.post("/api/auth/credentials/").json()
    assert signing_key_get(secret_id=created["secret_id"]).secret_key == created["secret_key"]
    listed = api.get("/api/auth/credentials/").json()
    assert [row["secret_id"] for row in listed] == [created["secret_id"]]
    assert "secret_key" not in listed[0]
    assert api.delete(f"/api/auth/credentials/{created['secret_id']}/").status_code == 204
    assert signing_key_get(secret_id=created["secret_id"]) is None


def test_signed_use_is_noted_at_most_every_few_minutes(client, alice_keys: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from tests.api.signing import asw_call

    assert ApiCredential.objects.get(secret_id=alice_keys[0]).last_used_at is None
    asw_call(client, "DescribeFlowServices", {}, alice_keys)
    first = ApiCredential.objects.get(secret_id=alice_keys[0]).last_used_at
    assert first is not None
    asw_call(client, "DescribeFlowServices", {}, alice_keys)
    assert ApiCredential.objects.get(secret_id=alice_keys[0]).last_used_at == first
    ApiCredential.objects.filter(secret_id=alice_keys[0]).update(last_used_at=first - timedelta(minutes=10))
    asw_call(client, "DescribeFlowServices", {}, alice_keys)
    assert ApiCredential.objects.get(secret_id=alice_keys[0]).last_used_at > first
