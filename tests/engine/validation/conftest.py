"""Shared helpers for the validation tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# The AWS-recorded conformance cases live beside the checkout (../shared/conformance);
# CONFORMANCE_CASES overrides the location.
_REPO_ROOT = Path(__file__).resolve().parents[3]


def conformance_case_files() -> list[Path]:
    import os

    folder = Path(os.environ.get("CONFORMANCE_CASES", _REPO_ROOT.parent / "shared" / "conformance" / "cases"))
    return sorted(folder.glob("*.json"))


@pytest.fixture(scope="session")
def conformance_cases() -> list[dict]:
    files = conformance_case_files()
    if not files:
        pytest.skip("conformance cases not found (set CONFORMANCE_CASES to ../shared/conformance/cases)")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]
