"""Name rules shared by templates, roles and executions (Step Functions' rules)."""

from __future__ import annotations

import re

from backend.workflows.errors import InvalidName

MAX_NAME_LENGTH = 80

# Whitespace, wildcards, brackets, these punctuation marks and control characters are
# not allowed in Step Functions names; anything else (non-ASCII too) is.
_FORBIDDEN = re.compile(r"[\s?*<>{}\[\]\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]")

# Function names follow cloud functions: letters, digits, hyphens, underscores.
_FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


def check_name(name: str, *, what: str) -> str:
    """``name`` if it is a valid Step Functions name, else InvalidName saying why."""
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidName(f"Invalid {what} name: '{name}' must be 1 to {MAX_NAME_LENGTH} characters long")
    bad = _FORBIDDEN.search(name)
    if bad:
        raise InvalidName(f"Invalid {what} name: '{name}' must not contain {bad.group()!r}")
    return name


def check_function_name(name: str) -> str:
    if not isinstance(name, str) or not _FUNCTION_NAME.match(name):
        raise InvalidName(
            f"Invalid function name: '{name}' must be 1 to 64 letters, digits, hyphens or underscores"
        )
    return name
