"""Publishing workflows at URLs of their own: create, change and delete endpoints; issue and revoke API keys.

Each write is audited (``backend.audit``): publishing is ``published`` (object type
``endpoint``), a change ``changed`` (with the fields), unpublishing ``deleted``
(``{"unpublished": true}``); API keys ``created`` / ``deleted`` (object type
``endpoint_api_key``, never the key). Writes drop this process's cached view of the
endpoint once committed.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from backend.audit.models import AuditAction
from backend.audit.services import audit_record
from backend.endpoints.errors import EndpointAlreadyExists, InvalidEndpoint
from backend.endpoints.models import (
    DEFAULT_MAX_BODY_BYTES,
    MAX_BODY_BYTES_LIMIT,
    SLUG_MAX_LENGTH,
    Endpoint,
    EndpointApiKey,
    EndpointAuth,
)
from backend.endpoints.selectors import serving_cache_drop, slug_taken
from backend.workflows.models import WorkflowTemplate

SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,%d}" % (SLUG_MAX_LENGTH - 1))
MAX_RATE_PER_SECOND = 1_000_000.0
MAX_BURST = 1_000_000
KEY_PREFIX = "wfk_"
# The shown prefix: "wfk_" and the first 8 characters of the random part.
KEY_PREFIX_LENGTH = len(KEY_PREFIX) + 8
EDITABLE_FIELDS = ("name", "slug", "description", "version", "enabled", "auth", "rate_limit_per_second",
                   "rate_limit_burst", "max_body_bytes")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        raise InvalidEndpoint("name: must be 1 to 80 characters", field="name")
    return name.strip()


def _check_slug(slug: Any, *, exclude_pk: int | None = None) -> str:
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise InvalidEndpoint(f"slug: must be 1 to {SLUG_MAX_LENGTH} lower-case letters, digits, '-' or '_', "
                              "starting with a letter or digit", field="slug")
    if slug_taken(slug=slug, exclude_pk=exclude_pk):
        raise EndpointAlreadyExists(f"Endpoint Already Exists: the slug '{slug}' is taken")
    return slug


def _free_slug(name: str) -> str:
    base = (slugify(name)[:SLUG_MAX_LENGTH - 8].strip("-_") or "endpoint")
    if not slug_taken(slug=base):
        return base
    for _ in range(20):
        candidate = f"{base}-{secrets.token_hex(3)}"
        if not slug_taken(slug=candidate):
            return candidate
    raise EndpointAlreadyExists(f"Endpoint Already Exists: no free slug for '{name}'")


def _check_version(template: WorkflowTemplate, version: Any) -> int | None:
    if version is None:
        if not template.versions.exists():
            raise InvalidEndpoint(f"version: workflow '{template.name}' has no version to publish", field="version")
        return None
    if isinstance(version, bool) or not isinstance(version, int) or not 0 < version < 2**31:
        raise InvalidEndpoint("version: must be a version number or null (the latest)", field="version")
    if not template.versions.filter(number=version).exists():
        raise InvalidEndpoint(f"version: workflow '{template.name}' has no version {version}", field="version")
    return version


def _check_fields(template: WorkflowTemplate, fields: dict[str, Any], *, exclude_pk: int | None) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "name":
            checked[name] = _check_name(value)
        elif name == "slug":
            checked[name] = _check_slug(value, exclude_pk=exclude_pk)
        elif name == "description":
            if not isinstance(value, str):
                raise InvalidEndpoint("description: must be text", field=name)
            checked[name] = value
        elif name == "version":
            checked[name] = _check_version(template, value)
        elif name == "enabled":
            if not isinstance(value, bool):
                raise InvalidEndpoint("enabled: must be true or false", field=name)
            checked[name] = value
        elif name == "auth":
            if value not in EndpointAuth.values:
                raise InvalidEndpoint(f"auth: must be one of {EndpointAuth.values}", field=name)
            checked[name] = value
        elif name == "rate_limit_per_second":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                      or not math.isfinite(value) or not 0 < value <= MAX_RATE_PER_SECOND):
                raise InvalidEndpoint(f"rate_limit_per_second: must be null (no limit) or a number above 0 "
                                      f"and at most {MAX_RATE_PER_SECOND:.0f}", field=name)
            checked[name] = None if value is None else float(value)
        elif name == "rate_limit_burst":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 0 < value <= MAX_BURST):
                raise InvalidEndpoint(f"rate_limit_burst: must be null (one second's worth) or 1 to {MAX_BURST}",
                                      field=name)
            checked[name] = value
        elif name == "max_body_bytes":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_BODY_BYTES_LIMIT:
                raise InvalidEndpoint(f"max_body_bytes: must be 1 to {MAX_BODY_BYTES_LIMIT}", field=name)
            checked[name] = value
        else:
            raise InvalidEndpoint(f"{name}: not a field of an endpoint", field=name)
    return checked


def _after_commit_drop(*slugs: str) -> None:
    """Forget the cached view now and again once committed (a call in between may have re-read the old rows)."""
    serving_cache_drop(*slugs)
    transaction.on_commit(lambda: serving_cache_drop(*slugs))


def endpoint_create(
    *,
    template: WorkflowTemplate,
    name: str,
    slug: str | None = None,
    version: int | None = None,
    description: str = "",
    enabled: bool = True,
    auth: str = EndpointAuth.API_KEY,
    rate_limit_per_second: float | None = None,
    rate_limit_burst: int | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Endpoint:
    """Publish ``template`` (version ``version``, or its latest at each call) at ``/run/<slug>``.

    The slug defaults to one made from the name. The endpoint belongs to the workflow's owner.
    """
    fields = {"name": name, "description": description, "version": version, "enabled": enabled, "auth": auth,
              "rate_limit_per_second": rate_limit_per_second, "rate_limit_burst": rate_limit_burst,
              "max_body_bytes": max_body_bytes}
    if slug is not None:
        fields["slug"] = slug
    checked = _check_fields(template, fields, exclude_pk=None)
    checked.setdefault("slug", _free_slug(checked["name"]))
    try:
        with transaction.atomic():
            endpoint = Endpoint.objects.create(template=template, **checked)
            audit_record(action=AuditAction.PUBLISHED, object_type="endpoint", object_id=endpoint.pk,
                         object_name=endpoint.slug, version=endpoint.version,
                         details={"workflow_id": template.pk, "workflow_name": template.name,
                                  "path": f"/run/{endpoint.slug}", "auth": endpoint.auth})
            _after_commit_drop(endpoint.slug)
    except IntegrityError:
        raise EndpointAlreadyExists(f"Endpoint Already Exists: the slug '{checked['slug']}' is taken") from None
    return endpoint


def endpoint_update(*, endpoint: Endpoint, **fields: Any) -> Endpoint:
    """Change some of an endpoint's settings (``EDITABLE_FIELDS``); the workflow cannot change."""
    checked = _check_fields(endpoint.template, fields, exclude_pk=endpoint.pk)
    changed = sorted(name for name, value in checked.items() if getattr(endpoint, name) != value)
    if not changed:
        return endpoint
    old_slug = endpoint.slug
    for name in changed:
        setattr(endpoint, name, checked[name])
    try:
        with transaction.atomic():
            endpoint.save(update_fields=[*changed, "updated_at"])
            audit_record(action=AuditAction.CHANGED, object_type="endpoint", object_id=endpoint.pk,
                         object_name=endpoint.slug, version=endpoint.version,
                         details={"fields": changed, "workflow_id": endpoint.template_id})
            _after_commit_drop(old_slug, endpoint.slug)
    except IntegrityError:
        raise EndpointAlreadyExists(f"Endpoint Already Exists: the slug '{endpoint.slug}' is taken") from None
    return endpoint


def endpoint_delete(*, endpoint: Endpoint) -> None:
    """Unpublish: the URL answers 404 from now on (its API keys go with it)."""
    with transaction.atomic():
        audit_record(action=AuditAction.DELETED, object_type="endpoint", object_id=endpoint.pk,
                     object_name=endpoint.slug, version=endpoint.version,
                     details={"unpublished": True, "workflow_id": endpoint.template_id,
                              "path": f"/run/{endpoint.slug}"})
        endpoint.delete()
        _after_commit_drop(endpoint.slug)


class IssuedApiKey(NamedTuple):
    api_key: EndpointApiKey
    key: str  # shown once, to the caller; only its hash is stored


def api_key_create(*, endpoint: Endpoint, name: str = "") -> IssuedApiKey:
    if not isinstance(name, str) or len(name) > 80:
        raise InvalidEndpoint("name: must be at most 80 characters", field="name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        api_key = EndpointApiKey.objects.create(endpoint=endpoint, name=name, prefix=key[:KEY_PREFIX_LENGTH],
                                                key_hash=key_hash(key))
        audit_record(action=AuditAction.CREATED, object_type="endpoint_api_key", object_id=api_key.pk,
                     object_name=api_key.prefix, details={"endpoint_id": endpoint.pk, "endpoint": endpoint.slug})
        _after_commit_drop(endpoint.slug)
    return IssuedApiKey(api_key, key)


def api_key_delete(*, api_key: EndpointApiKey) -> None:
    """Revoke a key: calls with it are refused (403) from now on."""
    endpoint = api_key.endpoint
    with transaction.atomic():
        audit_record(action=AuditAction.DELETED, object_type="endpoint_api_key", object_id=api_key.pk,
                     object_name=api_key.prefix, details={"endpoint_id": endpoint.pk, "endpoint": endpoint.slug})
        api_key.delete()
        _after_commit_drop(endpoint.slug)
