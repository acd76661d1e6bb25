"""``GET /metrics``: the Prometheus text exposition (OpenMetrics when the scraper asks for it).

Access: with ``METRICS_TOKEN`` set, only ``Authorization: Bearer <token>`` (from any
address); without it, only clients on the loopback interface, unless ``METRICS_PUBLIC``.
"""

from __future__ import annotations

import hmac
import ipaddress

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client.exposition import choose_encoder

from backend.metrics.exposition import SnapshotCollector
from backend.metrics.selectors import metrics_snapshot
from backend.metrics.settings import metrics_setting


def _is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def access_refusal(request: HttpRequest) -> HttpResponse | None:
    """None when the request may read the metrics, else the answer to give it."""
    token = metrics_setting("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), str(token).encode()):
            return None
        response = HttpResponse("A bearer token is required (METRICS_TOKEN).\n", status=401,
                                content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if metrics_setting("METRICS_PUBLIC") or _is_loopback(request.META.get("REMOTE_ADDR")):
        return None
    return HttpResponse("Metrics are served to loopback clients only (set METRICS_TOKEN or METRICS_PUBLIC).\n",
                        status=403, content_type="text/plain; charset=utf-8")


def _exposition(accept: str) -> tuple[bytes, str]:
    encoder, content_type = choose_encoder(accept)
    try:
        return encoder(SnapshotCollector(metrics_snapshot())), content_type
    finally:
        connection.close()  # this pool thread's own connection; the next scrape opens another


@require_GET
async def metrics(request: HttpRequest) -> HttpResponse:
    """Async, and the queries in a pool thread of their own: a scrape of a large database
    does not hold up the one thread the server's other (sync) views share."""
    refusal = access_refusal(request)
    if refusal is not None:
        return refusal
    body, content_type = await sync_to_async(_exposition, thread_sensitive=False)(request.headers.get("Accept", ""))
    return HttpResponse(body, content_type=content_type)
