"""Task ``Resource`` strings: which family a URI belongs to and its integration pattern
(TASK-16/17, TC-01/02, INT-09)."""

from __future__ import annotations

import re
from dataclasses import dataclass

REQUEST_RESPONSE = "request-response"
SYNC = "sync"
SYNC_V2 = "sync:2"
WAIT_FOR_TASK_TOKEN = "waitForTaskToken"

_PATTERN_SUFFIXES = ((".sync:2", SYNC_V2), (".sync", SYNC), (".waitForTaskToken", WAIT_FOR_TASK_TOKEN))
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):([a-z0-9\-]+):([a-z0-9\-]*):(\d{12})?:(.+)$")
_LAMBDA_FUNCTION = re.compile(r"^function:[A-Za-z0-9_\-]{1,140}(:(\$LATEST|[A-Za-z0-9_\-]+))?$")
_ACTIVITY = re.compile(r"^activity:[^\s:]{1,80}$")
_STATES_INTEGRATION = re.compile(r"^(aws-sdk:[a-z0-9\-]+:[A-Za-z0-9]+|[a-z0-9\-]+(:[A-Za-z0-9\-]+)+)$")
_QRN = re.compile(r"^qrn:qcs:asw:([a-z0-9\-]*):(\d*):sdk:json:qcloud:([A-Za-z0-9_\-]+):(\S+)$")


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    kind: str  # "aws-integration", "aws-sdk", "lambda", "activity", "tcsl", "other"
    pattern: str  # request-response | sync | sync:2 | waitForTaskToken
    service: str | None = None
    action: str | None = None


class InvalidResource(ValueError):
    pass


def classify_resource(resource: str) -> ResourceInfo:
    """Recognise ``resource``; raise InvalidResource with the reason when malformed."""
    if resource != resource.strip() or not _URI.match(resource):
        raise InvalidResource("a Resource must be a URI such as 'arn:aws:states:::lambda:invoke'")
    base, pattern = resource, REQUEST_RESPONSE
    for suffix, name in _PATTERN_SUFFIXES:
        if resource.endswith(suffix):
            base, pattern = resource[: -len(suffix)], name
            break
    if resource.startswith("arn:"):
        return _classify_arn(base, pattern)
    if resource.startswith("qrn:"):
        match = _QRN.match(base)
        if not match:
            raise InvalidResource(
                "a TCSL resource looks like 'qrn:qcs:asw:REGION:APPID:sdk:json:qcloud:SERVICE:ACTION'"
            )
        return ResourceInfo("tcsl", pattern, match.group(3), match.group(4))
    return ResourceInfo("other", pattern)


def _classify_arn(base: str, pattern: str) -> ResourceInfo:
    match = _ARN.match(base)
    if not match:
        raise InvalidResource("the ARN is malformed; expected 'arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE'")
    service, rest = match.group(2), match.group(5)
    if service == "lambda":
        if not _LAMBDA_FUNCTION.match(rest) or pattern != REQUEST_RESPONSE:
            raise InvalidResource("a Lambda ARN looks like 'arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]'")
        return ResourceInfo("lambda", pattern, "lambda", "invoke")
    if service != "states":
        raise InvalidResource(
            f"'{service}' resources cannot be called directly; use an 'arn:aws:states:::' integration"
        )
    if rest.startswith("activity:"):
        if not _ACTIVITY.match(rest) or pattern != REQUEST_RESPONSE:
            raise InvalidResource("an activity ARN looks like 'arn:aws:states:REGION:ACCOUNT:activity:NAME'")
        return ResourceInfo("activity", pattern, "states", "activity")
    if not _STATES_INTEGRATION.match(rest):
        raise InvalidResource(
            "a service integration looks like 'arn:aws:states:::SERVICE:API[.sync|.waitForTaskToken]'"
        )
    if rest.startswith("aws-sdk:"):
        _, service_name, action = rest.split(":", 2)
        return ResourceInfo("aws-sdk", pattern, service_name, action)
    service_name, action = rest.split(":", 1)
    return ResourceInfo("aws-integration", pattern, service_name, action)
