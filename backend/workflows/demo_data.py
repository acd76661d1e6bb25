"""The ready-to-run examples ``manage.py seed_demo`` stores (files in ``demo/``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from backend.workflows.models import RunRole, WorkflowTemplate
from backend.workflows.services import (
    load_functions_from_folder,
    role_create,
    role_update,
    template_create,
    template_update,
)

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_FUNCTIONS_DIR = DEMO_DIR / "functions"
DEMO_ROLE_NAME = "demo-role"
DEMO_ROLE_PATTERNS = (
    "qrn:qcs:asw:*:*:sdk:json:qcloud:scf:Invoke/*",
    "arn:aws:lambda:*:*:function:*",
    "arn:aws:states:::lambda:invoke*",
)
# The run roles the demo clients (shared/clients/*_client_demo.py) name by default, each
# allowing just the sum function in its protocol's resource form.
DEMO_CLIENT_ROLES = {
    "asw-demo-role": ("qrn:qcs:asw:*:*:sdk:json:qcloud:scf:Invoke/sum",),
    "sfn-demo-role": ("arn:aws:lambda:*:*:function:sum",),
}


@dataclass(frozen=True)
class SeedReport:
    functions: dict[str, str]  # name -> created / updated / unchanged
    role: str
    workflows: dict[str, str]
    client_roles: dict[str, str]  # the demo clients' run roles


def demo_definitions() -> dict[str, str]:
    """Workflow name (the file's stem) -> definition text."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(DEMO_DIR.glob("*.json"))}


@transaction.atomic
def demo_seed(*, owner: AbstractBaseUser) -> SeedReport:
    """Store the demo functions, roles and workflows for ``owner``; running it again changes nothing."""
    loaded = load_functions_from_folder(owner=owner, folder=DEMO_FUNCTIONS_DIR)
    functions = {item.function.name: item.action for item in loaded}

    role, role_action = _seed_role(owner, DEMO_ROLE_NAME, "Lets the demo workflows call the demo functions.",
                                   DEMO_ROLE_PATTERNS)
    client_roles = {name: _seed_role(owner, name, "Lets the demo clients' sum workflow call the sum function.",
                                     patterns)[1]
                    for name, patterns in DEMO_CLIENT_ROLES.items()}

    workflows: dict[str, str] = {}
    for name, definition in demo_definitions().items():
        comment = json.loads(definition).get("Comment", "")
        try:
            template = WorkflowTemplate.objects.get(owner=owner, name=name)
        except WorkflowTemplate.DoesNotExist:
            template_create(owner=owner, name=name, definition=definition, role=role, description=comment)
            workflows[name] = "created"
            continue
        versions_before = template.next_version_number
        template_update(template=template, definition=definition, role=role, description=comment)
        workflows[name] = "unchanged" if template.next_version_number == versions_before else "updated"
    return SeedReport(functions, role_action, workflows, client_roles)


def _seed_role(owner: AbstractBaseUser, name: str, description: str,
               patterns: tuple[str, ...]) -> tuple[RunRole, str]:
    """The role as described, and whether it was created, updated or unchanged."""
    try:
        role = RunRole.objects.get(owner=owner, name=name)
    except RunRole.DoesNotExist:
        return role_create(owner=owner, name=name, description=description, allowed_resources=patterns), "created"
    unchanged = role.allowed_resources == list(patterns) and role.description == description
    if unchanged:
        return role, "unchanged"
    return role_update(role=role, description=description, allowed_resources=patterns), "updated"
