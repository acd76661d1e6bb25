"""Which integration a Task's resource string reaches, and in which mode.

The engine's ``parse_resource`` knows Lambda / SCF function resources and the generic
``arn:PARTITION:states:::SERVICE:ACTION[.sync|.waitForTaskToken]`` shape. The TCSL
forms of the HTTP and Celery integrations (``qrn:qcs:asw:REGION:APPID:http:invoke``,
``qrn:qcs:asw:REGION:APPID:celery:TASK_NAME[.sync]``) are ours, so they are read
here (``.waitForTaskToken`` needs the ASL forms: the engine reads that suffix only
there). ``docs/resources.md`` lists every form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.engine.resources import CALLBACK, LAMBDA_ARN, LAMBDA_INVOKE, SCF_INVOKE, SYNC, ResourceSpec

FUNCTION = "function"
HTTP = "http"
CELERY = "celery"

_TCSL_HTTP = re.compile(r"^qrn:qcs:asw:[\w-]*:\d*:http:invoke$")
_TCSL_CELERY = re.compile(r"^qrn:qcs:asw:[\w-]*:\d*:celery:(?P<name>[^:]+?)(?P<pattern>\.sync)?$")


@dataclass(frozen=True)
class Target:
    integration: str            # FUNCTION | HTTP | CELERY
    sync: bool = False          # wait for the job (".sync") instead of request-response
    task_name: str | None = None  # a Celery task named by the resource string itself (TCSL form)


def target_of(spec: ResourceSpec) -> Target | None:
    """The integration ``spec`` names; None when it is none of ours."""
    if spec.kind in (LAMBDA_ARN, LAMBDA_INVOKE, SCF_INVOKE):
        return Target(FUNCTION)
    if spec.service == HTTP and spec.action == "invoke" and spec.pattern in ("", CALLBACK):
        return Target(HTTP)
    if spec.service == CELERY and spec.action == "task" and spec.pattern in ("", SYNC, CALLBACK):
        return Target(CELERY, sync=spec.pattern == SYNC)
    if _TCSL_HTTP.match(spec.text):
        return Target(HTTP)
    match = _TCSL_CELERY.match(spec.text)
    if match:
        return Target(CELERY, sync=match.group("pattern") == SYNC, task_name=match.group("name"))
    return None
