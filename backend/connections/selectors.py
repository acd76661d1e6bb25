"""Reading connections: names and non-secret parameters only."""

from __future__ import annotations

from typing import Any

from backend.connections.models import Connection


def connection_describe(*, connection: Connection) -> dict[str, Any]:
    """What any API or page may show of a connection: never its secret."""
    return {"name": connection.name, "kind": connection.kind, "description": connection.description,
            "parameters": dict(connection.parameters), "updatedAt": connection.updated_at.isoformat()}


def connection_list(*, owner_id: int) -> list[dict[str, Any]]:
    return [connection_describe(connection=c) for c in Connection.objects.filter(owner_id=owner_id)]
