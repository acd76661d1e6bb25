"""Run roles: glob patterns over resource strings."""

from __future__ import annotations

import pytest

from backend.workflows.errors import InvalidRole, RoleAlreadyExists
from backend.workflows.models import RunRole
from backend.workflows.selectors import role_allows
from backend.workflows.services import role_create, role_update

SCF_SUM = "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum"


@pytest.fixture
def scf_role(owner) -> RunRole:
    return role_create(
        owner=owner,
        name="scf",
        allowed_resources=["qrn:qcs:asw:*:*:sdk:json:qcloud:scf:Invoke/sum*", "arn:aws:lambda:*:*:function:*"],
    )


@pytest.mark.parametrize(
    ("resource", "allowed"),
    [
        (SCF_SUM, True),
        ("qrn:qcs:asw:ap-shanghai:1300000000:sdk:json:qcloud:scf:Invoke/summary", True),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/add", False),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:cvm:Invoke/sum", False),
        ("arn:aws:lambda:us-east-1:123456789012:function:anything:prod", True),
        ("arn:aws:states:::lambda:invoke", False),
        ("arn:aws:states:::http:invoke", False),
        # Patterns match whole strings, not prefixes or substrings.
        ("x" + SCF_SUM, False),
    ],
)
def test_role_allows_matches_whole_resource_strings(scf_role, resource: str, allowed: bool) -> None:
    assert role_allows(role=scf_role, resource=resource) is allowed


def test_no_role_and_an_empty_role_allow_nothing(owner) -> None:
    empty = role_create(owner=owner, name="empty")
    assert not role_allows(role=None, resource=SCF_SUM)
    assert not role_allows(role=empty, resource=SCF_SUM)


def test_an_edited_role_takes_effect_at_once(scf_role) -> None:
    role_update(role=scf_role, allowed_resources=["arn:aws:states:::http:invoke"])
    role = RunRole.objects.get(pk=scf_role.pk)
    assert role_allows(role=role, resource="arn:aws:states:::http:invoke")
    assert not role_allows(role=role, resource=SCF_SUM)


def test_bad_patterns_are_refused_with_their_index(owner) -> None:
    with pytest.raises(InvalidRole, match=r"allowed_resources\[1\]"):
        role_create(owner=owner, name="bad", allowed_resources=["arn:*", ""])
    with pytest.raises(InvalidRole, match=r"allowed_resources\[0\]"):
        role_create(owner=owner, name="bad", allowed_resources=[42])
    assert not RunRole.objects.exists()


def test_role_names_are_unique_per_owner(scf_role, owner, other_owner) -> None:
    with pytest.raises(RoleAlreadyExists):
        role_create(owner=owner, name="scf")
    role_create(owner=other_owner, name="scf")
