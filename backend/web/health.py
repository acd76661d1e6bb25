"""Checks behind /healthz: can this process reach its database and its channel layer?"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.layers import get_channel_layer
from django.db import connections

CHANNEL_LAYER_TIMEOUT_S = 2.0


def database_health(alias: str = "default") -> dict[str, Any]:
    connection = connections[alias]
    report: dict[str, Any] = {"vendor": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA journal_mode")
                report["journal_mode"] = cursor.fetchone()[0]
    except Exception as error:  # any driver error means "not healthy", reported, not raised
        return {**report, "ok": False, "error": f"{type(error).__name__}: {error}"}
    return {**report, "ok": True}


async def channel_layer_health() -> dict[str, Any]:
    """Send one message to a fresh channel of this process and receive it back."""
    layer = get_channel_layer()
    if layer is None:
        return {"backend": None, "ok": False, "error": "CHANNEL_LAYERS is not configured"}
    report: dict[str, Any] = {"backend": type(layer).__name__}
    try:
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping"})
        message = await asyncio.wait_for(layer.receive(channel), CHANNEL_LAYER_TIMEOUT_S)
    except Exception as error:
        return {**report, "ok": False, "error": f"{type(error).__name__}: {error}"}
    return {**report, "ok": message.get("type") == "healthz.ping"}
