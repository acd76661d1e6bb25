"""Run roles: a Task may call only what its execution's role allows (``States.Permissions``).

A call is allowed when the role allows its resource string. A function call is also
allowed by the function's Lambda ARN (``arn:aws:lambda:REGION:ACCOUNT:function:NAME``):
``arn:aws:states:::lambda:invoke`` does not name the function it calls, and one pattern
such as ``arn:aws:lambda:*:*:function:sum`` then covers every way of calling ``sum``.
An execution without a role may call nothing (as ``role_allows`` decides, and as Step
Functions, which requires a role): pure states still run.
"""

from __future__ import annotations

from backend.engine.resources import LAMBDA_INVOKE, TaskCall, TaskOutcome
from backend.workflows.models import RunRole
from backend.workflows.selectors import role_allows

PERMISSIONS = "States.Permissions"


def permission_denied(call: TaskCall, role: RunRole | None, function_arn: str | None) -> TaskOutcome | None:
    """None when ``role`` allows the call, else the ``States.Permissions`` failure naming both."""
    resource = call.spec.text
    if role_allows(role=role, resource=resource):
        return None
    if function_arn is not None and role_allows(role=role, resource=function_arn):
        return None
    what = f"the resource '{resource}'"
    if function_arn is not None and call.spec.kind == LAMBDA_INVOKE:  # the resource does not name it
        what += f" (function '{function_arn}')"
    if role is None:
        cause = (
            f"The execution has no run role, so it may not call {what}. "
            "Give the workflow a run role that allows it."
        )
    else:
        cause = f"The run role '{role.name}' does not allow calling {what}."
    return TaskOutcome.failed(PERMISSIONS, cause)
