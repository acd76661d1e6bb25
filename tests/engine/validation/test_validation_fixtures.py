"""One small invalid definition per check (fixtures/*.json), each with the diagnostics it
must produce: every expected (severity, code, location) is reported, and no ERROR other
than the expected ones (a broken field must not cascade into unrelated errors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.engine.validation import engine_parsers, validate
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))


def load_fixture(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _run(fixture: dict):
    definition = fixture["definition_text"] if "definition_text" in fixture else fixture["definition"]
    return validate(definition, workflow_type=fixture.get("type", "STANDARD"), strict=fixture.get("strict", False))


def _check(fixture: dict) -> None:
    report = _run(fixture)
    found = {(d.severity, d.code, d.location) for d in report.diagnostics}
    expected = {(e["severity"], e["code"], e["location"]) for e in fixture["expect"]}
    assert expected <= found, f"missing {expected - found}; got {report.to_dict()['diagnostics']}"
    unexpected_errors = {f for f in found if f[0] == "ERROR"} - expected
    assert not unexpected_errors, f"unexpected errors {unexpected_errors}"
    for diagnostic in report.diagnostics:
        assert diagnostic.message.strip(), "every diagnostic needs a message"
    assert report.result == ("FAIL" if any(e[0] == "ERROR" for e in expected) else "OK")


def test_there_is_a_fixture_per_check() -> None:
    assert len(FIXTURE_FILES) >= 140


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    _check(load_fixture(path))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_without_engine_compilers(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The validator's own parsers give the same verdicts when the engine's are missing."""

    def unavailable(module: str, name: str, *args, **kwargs):
        raise engine_parsers.EngineUnavailable(name)

    monkeypatch.setattr("backend.engine.validation.expressions.engine_verdict", unavailable)
    _check(load_fixture(path))
