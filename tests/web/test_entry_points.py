"""The WSGI entry point (for hosts without ASGI) serves the same pages; ASGI is covered
by the real daphne server in test_server.py."""

from __future__ import annotations

import io
from wsgiref.util import setup_testing_defaults

import pytest


# The WSGI handler checks the database connection at every request start (close_old_connections).
@pytest.mark.django_db
def test_wsgi_application_serves_the_landing_page(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from backend.wsgi import application

    settings.FRONTEND_DIST_DIR = tmp_path / "no-dist"  # the static page, whether or not the UI is built

    environ: dict[str, object] = {"PATH_INFO": "/", "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    started: list[str] = []

    body = b"".join(application(environ, lambda status, headers: started.append(status)))

    assert started == ["200 OK"]
    assert b"Workflow orchestrator" in body

