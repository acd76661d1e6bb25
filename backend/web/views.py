from __future__ import annotations

from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from backend.web.health import channel_layer_health, database_health


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """The built web app's index.html; this static page while the app is not built."""
    index = Path(settings.FRONTEND_DIST_DIR) / "index.html"
    if index.is_file():  # read per request: a rebuild shows without a restart
        return HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    return render(request, "web/landing.html")


@require_safe
async def healthz(request: HttpRequest) -> JsonResponse:
    """200 with {"status": "ok", ...} when every dependency answers, else 503."""
    database = await sync_to_async(database_health)()
    channel_layer = await channel_layer_health()
    healthy = database["ok"] and channel_layer["ok"]
    body = {"status": "ok" if healthy else "error", "database": database, "channel_layer": channel_layer}
    return JsonResponse(body, status=200 if healthy else 503)
