"""The AWS-recorded conformance corpus, run through ``python -m backend.engine run``.

Runs every case of ``<shared>/conformance/cases`` with the shared runner
(``run.py --json-report``, two jobs). Fails when a case fails that is not listed
in ``known_failures.txt``, and when a listed case now passes (the list may only
shrink). ``<shared>`` is the ``shared`` folder next to the repository, or
``$SHARED_DIR``. Run alone with ``pytest -m conformance tests/conformance``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KNOWN_FAILURES = Path(__file__).with_name("known_failures.txt")


def shared_dir() -> Path:
    return Path(os.environ.get("SHARED_DIR") or REPO.parent / "shared")


def known_failures() -> set[str]:
    ids = set()
    for line in KNOWN_FAILURES.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            ids.add(entry)
    return ids


@pytest.mark.conformance
def test_conformance_corpus(tmp_path):
    runner = shared_dir() / "conformance" / "run.py"
    if not runner.exists():
        pytest.fail(f"conformance runner not found at {runner} (set SHARED_DIR)")
    report = tmp_path / "report.json"
    command = (f"{sys.executable} -m backend.engine run --definition {{definition}} --input {{input}} "
               f"--functions {{functions}} --type {{type}}")
    subprocess.run([sys.executable, str(runner), "--jobs", "2", "--json-report", str(report), "--cmd", command],
                   cwd=REPO, capture_output=True, text=True, timeout=3600)
    results = _load_results(report)
    failed = {r["id"]: r.get("reason", "") for r in results if r["result"] != "PASS"}
    passed = {r["id"] for r in results if r["result"] == "PASS"}
    known = known_failures()
    unexpected = {case: reason for case, reason in failed.items() if case not in known}
    fixed = sorted(known & passed)
    assert not unexpected, "unexpected failures:\n" + "\n".join(f"{k}: {v}" for k, v in sorted(unexpected.items()))
    assert not fixed, "these cases pass now; remove them from known_failures.txt:\n" + "\n".join(fixed)


def _load_results(report: Path) -> list[dict]:
    data = json.loads(report.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        for key in ("results", "cases"):
            if key in data:
                return data[key]
    return data
