"""The engine stays a framework-free library (DESIGN.md: "NO Django imports").

Checked twice: statically by import-linter over every import statement (direct or
through other modules), and at run time by importing every engine module in a
fresh interpreter and looking at what got loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CONTRACT_NAME = "The engine is a library: backend.engine imports no web or task framework"
FRAMEWORKS = ("django", "rest_framework", "channels", "celery", "daphne")


def lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    lint_imports_bin = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(lint_imports_bin), "--config", str(config), "--no-cache"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_engine_imports_no_framework(repo_root: Path) -> None:
    result = lint_imports(repo_root / ".importlinter", cwd=repo_root)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # A config that failed to load its contract would "pass" with nothing checked.
    assert f"{CONTRACT_NAME} KEPT" in report, report
    assert "Contracts: 1 kept, 0 broken." in report, report


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_contract_catches_a_framework_import_through_another_module(
    framework: str, repo_root: Path, tmp_path: Path
) -> None:
    """The same config, over a tiny tree whose engine reaches a framework indirectly, must fail."""
    (tmp_path / "backend" / "engine").mkdir(parents=True)
    (tmp_path / "backend" / "__init__.py").write_text("")
    (tmp_path / "backend" / "helpers.py").write_text(f"import {framework}\n")
    (tmp_path / "backend" / "engine" / "__init__.py").write_text("")
    (tmp_path / "backend" / "engine" / "runner.py").write_text("from backend import helpers\n")

    result = lint_imports(repo_root / ".importlinter", cwd=tmp_path)
    report = result.stdout + result.stderr

    assert result.returncode == 1, report
    assert f"{CONTRACT_NAME} BROKEN" in report, report
    assert f"backend.engine is not allowed to import {framework}" in report, report
    assert "backend.engine.runner -> backend.helpers" in report, report
    assert "Contracts: 0 kept, 1 broken." in report, report


def test_importing_the_whole_engine_loads_no_framework(repo_root: Path) -> None:
    """Catches what static analysis cannot see, e.g. importlib.import_module("django")."""
    probe = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import backend.engine
        for module in pkgutil.walk_packages(backend.engine.__path__, "backend.engine."):
            if module.name.rsplit(".", 1)[-1] != "__main__":  # __main__ would run the CLI
                importlib.import_module(module.name)
        frameworks = %r
        print(sorted(name for name in sys.modules if name.split(".")[0] in frameworks))
        """
        % (FRAMEWORKS,)
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=repo_root,
        env={key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout
