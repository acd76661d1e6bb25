"""The pages a person or a load balancer sees first, through Django's test client."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def ui_not_built(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.FRONTEND_DIST_DIR = tmp_path / "no-dist"
    settings.STATICFILES_DIRS = []


def test_landing_page_says_what_the_product_is_and_links_onward(client: Client, ui_not_built: None) -> None:
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Workflow orchestrator" in page
    assert "Amazon States Language" in page
    assert 'href="/admin/"' in page
    assert 'href="/healthz"' in page
    assert "The web UI is not built: <code>make run</code> builds it" in page


def test_landing_page_refuses_post(client: Client) -> None:
    assert client.post("/").status_code == 405


@pytest.mark.django_db
def test_healthz_reports_database_and_channel_layer(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["vendor"] == "sqlite"
    assert body["database"]["ok"] is True
    assert body["channel_layer"] == {"backend": "InMemoryChannelLayer", "ok": True}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.sqlite3.base import DatabaseWrapper

    def broken_cursor(self: DatabaseWrapper, *args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(DatabaseWrapper, "cursor", broken_cursor)
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"vendor": "sqlite", "ok": False, "error": "RuntimeError: disk on fire"}


@pytest.mark.django_db
def test_admin_login_page_renders(client: Client) -> None:
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    page = response.content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert "csrfmiddlewaretoken" in page


@pytest.mark.django_db
def test_healthz_answers_head_for_load_balancers(client: Client) -> None:
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
