"""The sandbox stays a standard-library package: no web or task framework gets imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FRAMEWORKS = ("django", "rest_framework", "channels", "celery", "daphne")
MODULES = ("pool", "worker", "runtime", "protocol", "spec", "result", "errors", "bench")


def test_no_framework_is_loaded_by_any_sandbox_module(repo_root: Path) -> None:
    script = (
        "import importlib, json, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module('backend.sandbox.' + name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo_root,
        env={**os.environ, "PYTHONPATH": str(repo_root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    modules = json.loads(loaded.stdout)
    assert "backend.sandbox.pool" in modules  # the check looked at a real import
    assert [m for m in modules if m.split(".")[0] in FRAMEWORKS] == []
