"""The real thing: `make run` (migrate + daphne) on a free port, spoken to over HTTP."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.web.live_server import make_run


def test_make_run_serves_the_embedded_default(repo_root: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    environ = {"DATA_DIR": str(data_dir), "DEMO_ADMIN": "1", "DEMO_ADMIN_PASSWORD": "smoke-test-pass"}
    with make_run(repo_root, tmp_path / "server.log", environ) as server:
        health = server.get("/healthz")
        landing = server.get("/")
        app_script = server.get(_first_script(landing.body)) if b'<div id="root">' in landing.body else None
        login = server.get("/admin/login/")
        admin_css = server.get("/static/admin/css/base.css")
        logged_in = server.post_form(
            "/admin/login/?next=/admin/",
            {
                "username": "admin",
                "password": "smoke-test-pass",
                "csrfmiddlewaretoken": server.cookie("csrftoken"),
                "next": "/admin/",
            },
        )

    assert health.status == 200, health.body
    assert health.json() == {
        "status": "ok",
        "database": {"vendor": "sqlite", "journal_mode": "wal", "ok": True},
        "channel_layer": {"backend": "InMemoryChannelLayer", "ok": True},
    }
    # "/" is the built web app when frontend/dist exists (make run builds it when npm is there).
    if (repo_root / "frontend" / "dist" / "index.html").is_file():
        assert landing.status == 200 and b'<div id="root">' in landing.body
        assert app_script is not None and app_script.status == 200
        assert "javascript" in app_script.headers["Content-Type"]
    else:
        assert landing.status == 200 and b"Workflow orchestrator" in landing.body
    assert login.status == 200 and b'name="password"' in login.body
    # The single process also serves static files, so the admin is styled.
    assert admin_css.status == 200 and admin_css.headers["Content-Type"].startswith("text/css")
    # DEMO_ADMIN=1 made a user who can sign in to the admin through the real server.
    assert logged_in.status == 200 and logged_in.url.endswith("/admin/"), logged_in.body[:500]
    assert b'id="logout-form"' in logged_in.body

    # make run migrated a database file in DATA_DIR, which stays in WAL mode.
    database = sqlite3.connect(data_dir / "db.sqlite3")
    try:
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        database.close()
    assert {"auth_user", "django_session", "django_migrations"} <= tables
    assert (data_dir / "secret_key").stat().st_size > 0


def _first_script(page: bytes) -> str:
    """The path of the page's first script (the built app's entry under /static/app/)."""
    return page.decode().split('src="', 1)[1].split('"', 1)[0]
