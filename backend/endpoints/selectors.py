"""Reading endpoints: who sees which (owners theirs, staff all), and the invocation's cached view.

``endpoint_serving(slug)`` is what the published URL reads on every call: an immutable
snapshot of the endpoint (settings, key hashes, workflow row with its owner) kept in this
process for ``ENDPOINTS_CACHE_SECONDS`` (1 s), so a call costs no query for it. Writes
through ``backend.endpoints.services`` drop the snapshot at once; writes made by another
process apply when it expires.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from backend.endpoints.errors import EndpointDoesNotExist
from backend.endpoints.models import Endpoint, EndpointApiKey
from backend.endpoints.settings import endpoint_setting
from backend.workflows.models import WorkflowTemplate


def endpoints_visible(*, user: AbstractBaseUser) -> QuerySet[Endpoint]:
    """The endpoints of ``user``'s workflows (every endpoint for staff)."""
    endpoints = Endpoint.objects.select_related("template")
    return endpoints if user.is_staff else endpoints.filter(template__owner_id=user.pk)


def endpoint_get(*, user: AbstractBaseUser, endpoint_id: Any) -> Endpoint:
    """One of ``user``'s endpoints; another user's is answered exactly as a missing one."""
    try:
        pk = int(endpoint_id)
    except (TypeError, ValueError):
        pk = 0
    endpoint = endpoints_visible(user=user).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if endpoint is None:
        raise EndpointDoesNotExist(f"Endpoint Does Not Exist: '{endpoint_id}'")
    return endpoint


def api_keys_of(*, endpoint: Endpoint) -> QuerySet[EndpointApiKey]:
    return endpoint.api_keys.order_by("id")


def api_key_get(*, endpoint: Endpoint, key_id: Any) -> EndpointApiKey:
    try:
        pk = int(key_id)
    except (TypeError, ValueError):
        pk = 0
    key = endpoint.api_keys.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if key is None:
        raise EndpointDoesNotExist(f"API Key Does Not Exist: '{key_id}'")
    return key


def slug_taken(*, slug: str, exclude_pk: int | None = None) -> bool:
    taken = Endpoint.objects.filter(slug=slug)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


# --- the invocation's view --------------------------------------------------------------------


@dataclass(frozen=True)
class ServingEndpoint:
    """What a call to ``/run/<slug>`` needs to know, read once per cache period."""

    id: int
    slug: str
    name: str
    description: str
    enabled: bool
    auth: str
    key_hashes: dict[str, int]  # SHA-256 hex -> key id
    rate_limit_per_second: float | None
    rate_limit_burst: int | None
    max_body_bytes: int
    version: int | None
    template: WorkflowTemplate  # with its owner loaded; shared by the calls of this period: read only
    bucket_key: tuple  # the rate limit's bucket: changes when the limit's settings do

    @property
    def workflow_type(self) -> str:
        return self.template.type


_cache: dict[str, tuple[ServingEndpoint | None, float]] = {}
_cache_lock = threading.Lock()


def endpoint_serving(slug: str) -> ServingEndpoint | None:
    """The endpoint published at ``slug`` (None if there is none), from this process's cache."""
    now = time.monotonic()
    cached = _cache.get(slug)
    if cached is not None and now - cached[1] < endpoint_setting("ENDPOINTS_CACHE_SECONDS"):
        return cached[0]
    serving = _load_serving(slug)
    with _cache_lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[slug] = (serving, now)
    return serving


def _load_serving(slug: str) -> ServingEndpoint | None:
    endpoint = Endpoint.objects.select_related("template__owner").filter(slug=slug).first()
    if endpoint is None:
        return None
    keys = dict(EndpointApiKey.objects.filter(endpoint_id=endpoint.pk).values_list("key_hash", "pk"))
    return ServingEndpoint(
        id=endpoint.pk, slug=endpoint.slug, name=endpoint.name, description=endpoint.description,
        enabled=endpoint.enabled, auth=endpoint.auth, key_hashes=keys,
        rate_limit_per_second=endpoint.rate_limit_per_second, rate_limit_burst=endpoint.rate_limit_burst,
        max_body_bytes=endpoint.max_body_bytes, version=endpoint.version, template=endpoint.template,
        bucket_key=(endpoint.pk, endpoint.created_at.timestamp(), endpoint.rate_limit_per_second,
                    endpoint.rate_limit_burst),
    )


def serving_cache_drop(*slugs: str) -> None:
    """Forget cached endpoints (all of them when no slug is given)."""
    with _cache_lock:
        if not slugs:
            _cache.clear()
        for slug in slugs:
            _cache.pop(slug, None)
