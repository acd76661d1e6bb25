"""GET / is the built web app when frontend/dist holds one, its assets are static files
under /static/app/; POST / stays the wire APIs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

INDEX = '<!doctype html><html><head><script type="module" src="/static/app/assets/app-1.js"></script>' \
        '</head><body><div id="root"></div></body></html>'


@pytest.fixture
def built_ui(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "app-1.js").write_text("console.log('app');\n")
    settings.FRONTEND_DIST_DIR = dist
    settings.STATICFILES_DIRS = [("app", dist)]
    return dist


def test_get_root_serves_the_built_app(client: Client, built_ui: Path) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.content.decode() == INDEX


def test_the_apps_assets_are_served_under_static_app(client: Client, built_ui: Path) -> None:
    response = client.get("/static/app/assets/app-1.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"console.log('app');\n"
    assert "javascript" in response["Content-Type"]


def test_without_a_build_the_landing_page_says_how_to_build_it(client: Client, settings, tmp_path: Path) -> None:
    settings.FRONTEND_DIST_DIR = tmp_path / "never-built"
    page = client.get("/").content.decode()
    assert "Workflow orchestrator" in page and "The web UI is not built" in page


@pytest.mark.django_db
def test_post_root_is_still_the_wire_api_with_the_app_built(client: Client, built_ui: Path) -> None:
    response = client.post("/", data="{}", content_type="application/json",
                           headers={"X-TC-Action": "DescribeFlowServices"})
    assert response.status_code == 200
    assert "Error" in response.json()["Response"]  # unsigned: the ASW API's auth error, not the app
