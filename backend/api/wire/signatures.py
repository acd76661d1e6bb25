"""Verifying TC3-HMAC-SHA256 (Tencent Cloud) and AWS SigV4 request signatures.

Both work on the raw request as received (method, path, query string, headers, body
bytes) and look the signing key up through a callable, so they know nothing of Django.
A failure raises ``SignatureProblem`` with a ``kind`` each protocol maps to its own
error code: ``missing``, ``malformed``, ``expired``, ``unknown_key``, ``mismatch``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote

CLOCK_SKEW_SECONDS = 300
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

Key = TypeVar("Key")


class SignatureProblem(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _parse_authorization(value: str, algorithm: str) -> dict[str, str]:
    """``ALGO Credential=..., SignedHeaders=..., Signature=...`` -> the three fields."""
    if not value.startswith(algorithm + " "):
        raise SignatureProblem("malformed", f"Authorization header must start with '{algorithm}'.")
    fields: dict[str, str] = {}
    for part in value[len(algorithm) + 1 :].split(","):
        name, sep, content = part.strip().partition("=")
        if not sep:
            raise SignatureProblem("malformed", f"Authorization header element '{part.strip()}' is not name=value.")
        fields[name] = content
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if not fields.get(name)]
    if missing:
        raise SignatureProblem("malformed", f"Authorization header is missing {', '.join(missing)}.")
    if not re.fullmatch(r"[0-9a-f]{64}", fields["Signature"]):
        raise SignatureProblem("malformed", "Signature must be 64 lower-case hex digits.")
    return fields


def _signed_headers(text: str, headers: Mapping[str, str], required: tuple[str, ...]) -> list[str]:
    names = text.split(";")
    if names != sorted(set(names)) or any(name != name.lower() or not name for name in names):
        raise SignatureProblem("malformed", "SignedHeaders must be lower-case, sorted and unique.")
    for name in required:
        if name not in names:
            raise SignatureProblem("malformed", f"SignedHeaders must include '{name}'.")
    for name in names:
        if headers.get(name) is None:
            raise SignatureProblem("malformed", f"Signed header '{name}' is not in the request.")
    return names


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _check_clock(signed_at: float, now: float) -> None:
    if abs(now - signed_at) > CLOCK_SKEW_SECONDS:
        raise SignatureProblem("expired", "Signature expired: the request time is more than 5 minutes from the server's.")


# --- Tencent Cloud TC3-HMAC-SHA256 -------------------------------------------------------


def verify_tc3(
    *,
    method: str,
    query_string: str,
    headers: Mapping[str, str],
    body: bytes,
    lookup: Callable[[str], tuple[Key, str] | None],
    now: float,
    service: str = "asw",
) -> Key:
    """The owner of the SecretId (``lookup`` answers ``(owner, secret_key)``) if the signature holds."""
    headers = _lowered(headers)
    authorization = headers.get("authorization")
    if not authorization:
        raise SignatureProblem("missing", "The Authorization header is missing.")
    fields = _parse_authorization(authorization.strip(), "TC3-HMAC-SHA256")
    scope = fields["Credential"].split("/")
    if len(scope) != 4 or scope[3] != "tc3_request":
        raise SignatureProblem("malformed", "Credential must be SecretId/Date/Service/tc3_request.")
    secret_id, date, scope_service, _ = scope
    names = _signed_headers(fields["SignedHeaders"], headers, ("content-type", "host"))
    raw_timestamp = (headers.get("x-tc-timestamp") or "").strip()
    if not raw_timestamp.isdigit() or len(raw_timestamp) > 12:
        raise SignatureProblem("malformed", "X-TC-Timestamp must be Unix seconds.")
    timestamp = int(raw_timestamp)
    _check_clock(timestamp, now)
    if date != datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d"):
        raise SignatureProblem("mismatch", "The Credential date does not match X-TC-Timestamp.")
    if scope_service != service:
        raise SignatureProblem("mismatch", f"The Credential service must be '{service}'.")
    found = lookup(secret_id)
    if found is None:
        raise SignatureProblem("unknown_key", "The SecretId is not found; check it is correct and active.")
    owner, secret_key = found
    if headers.get("x-tc-token"):
        raise SignatureProblem("token", "Temporary credentials (X-TC-Token) are not supported by this server.")

    if headers.get("x-tc-content-sha256", "").strip() == "UNSIGNED-PAYLOAD":
        payload_hash = _sha256_hex("UNSIGNED-PAYLOAD")
    else:
        payload_hash = _sha256_hex(body if method == "POST" else b"")
    canonical_query = query_string if method == "GET" else ""
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_signing = _hmac(_hmac(k_date, scope_service), "tc3_request")
    # The docs lower-case header values, the Python SDK signs them as sent: accept either.
    for lower_values in (False, True):
        canonical_headers = "".join(
            f"{name}:{headers[name].strip().lower() if lower_values else headers[name].strip()}\n" for name in names
        )
        canonical_request = "\n".join(
            [method, "/", canonical_query, canonical_headers, fields["SignedHeaders"], payload_hash]
        )
        string_to_sign = "\n".join(
            ["TC3-HMAC-SHA256", raw_timestamp, f"{date}/{scope_service}/tc3_request", _sha256_hex(canonical_request)]
        )
        expected = hmac.new(k_signing, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, fields["Signature"]):
            return owner
    raise SignatureProblem("mismatch", "The provided credentials could not be validated: the signature does not match.")


# --- AWS Signature Version 4 ---------------------------------------------------------------


def _uri_encode(text: str, *, keep_slash: bool) -> str:
    return quote(text, safe="-_.~" + ("/" if keep_slash else ""))


def _canonical_query(query_string: str) -> str:
    pairs = parse_qsl(query_string, keep_blank_values=True)
    encoded = sorted((_uri_encode(k, keep_slash=False), _uri_encode(v, keep_slash=False)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def _canonical_path(path: str) -> str:
    from urllib.parse import unquote

    return _uri_encode(unquote(path) or "/", keep_slash=True)


def verify_sigv4(
    *,
    method: str,
    path: str,
    query_string: str,
    headers: Mapping[str, Any],
    body: bytes,
    lookup: Callable[[str], tuple[Key, str] | None],
    now: float,
    service: str = "states",
) -> tuple[Key, str]:
    """``(owner, region)`` of the access key if the signature holds."""
    headers = _lowered(headers)
    authorization = headers.get("authorization")
    if not authorization:
        raise SignatureProblem("missing", "Missing Authentication Token")
    fields = _parse_authorization(authorization.strip(), "AWS4-HMAC-SHA256")
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise SignatureProblem(
            "malformed", "Credential should be scoped to a valid region, like 'us-east-1'. Credential=AKID/date/region/service/aws4_request"
        )
    access_key, date, region, scope_service, _ = scope
    names = _signed_headers(fields["SignedHeaders"], headers, ("host", "x-amz-date"))
    amz_date = (headers.get("x-amz-date") or "").strip()
    try:
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise SignatureProblem("malformed", "X-Amz-Date must be yyyyMMddTHHmmssZ.") from None
    if amz_date[:8] != date:
        raise SignatureProblem("mismatch", "The Credential date does not match X-Amz-Date.")
    _check_clock(signed_at.timestamp(), now)
    if scope_service != service:
        raise SignatureProblem("mismatch", f"Credential should be scoped to correct service: '{service}'.")
    found = lookup(access_key)
    if found is None:
        raise SignatureProblem("unknown_key", "The security token included in the request is invalid.")
    owner, secret_key = found
    if headers.get("x-amz-security-token"):
        raise SignatureProblem("unknown_key", "The security token included in the request is invalid.")

    canonical_headers = "".join(f"{name}:{' '.join(str(headers[name]).split())}\n" for name in names)
    payload_hash = (headers.get("x-amz-content-sha256") or "").strip() or _sha256_hex(body)
    canonical_request = "\n".join(
        [method, _canonical_path(path), _canonical_query(query_string), canonical_headers, fields["SignedHeaders"], payload_hash]
    )
    credential_scope = f"{date}/{region}/{scope_service}/aws4_request"
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, credential_scope, _sha256_hex(canonical_request)])
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (date, region, scope_service, "aws4_request"):
        key = _hmac(key, part)
    expected = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise SignatureProblem(
            "mismatch", "The request signature we calculated does not match the signature you provided."
        )
    return owner, region
