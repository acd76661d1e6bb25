"""Both demo clients from ../shared/clients against `make run` on a free port (daphne with its
embedded runner, a SQLite file), credentials from ``createcredentials``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.live_server import clean_environment, make_run

SHARED_DIR = Path(os.environ.get("SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))
CLIENTS = SHARED_DIR / "clients"
ROLES = (
    "from django.contrib.auth.models import User\n"
    "from backend.workflows.services import role_create\n"
    "u = User.objects.get(username='demo')\n"
    "role_create(owner=u, name='asw-demo-role', allowed_resources=['qrn:qcs:asw:*:*:sdk:json:qcloud:scf:Invoke/sum'])\n"
    "role_create(owner=u, name='sfn-demo-role', allowed_resources=['arn:aws:lambda:*:*:function:sum'])\n"
)


def _manage(repo_root: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=repo_root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def server(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`make run` (migrate + daphne with the embedded runner) over a prepared SQLite file."""
    assert CLIENTS.is_dir(), f"demo clients not found in {CLIENTS}: set SHARED_DIR to the shared reference folder"
    data_dir = tmp_path_factory.mktemp("demo-server")
    overrides = {"DATA_DIR": str(data_dir), "NO_PROXY": "127.0.0.1,localhost",
                 "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    env = clean_environment(overrides)
    _manage(repo_root, env, "migrate", "--noinput")
    pair = _manage(repo_root, env, "createcredentials", "demo", "--create-user")
    secret_id, secret_key = re.fullmatch(r"SecretId=(\S+) SecretKey=(\S+)\n", pair).groups()
    _manage(repo_root, env, "seed_demo", "--owner", "demo")
    _manage(repo_root, env, "shell", "-c", ROLES)
    with make_run(repo_root, data_dir / "server.log", overrides) as running:
        yield {"endpoint": running.base_url, "secret_id": secret_id, "secret_key": secret_key, "env": env}


def _run_demo(server: dict[str, str], script: str, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {**server["env"], **extra_env}
    return subprocess.run([sys.executable, str(CLIENTS / script), "--endpoint", server["endpoint"], *args,
                           "--expect-output", "15", "--timeout", "60"],
                          env=env, capture_output=True, text=True, timeout=180)


def test_asw_demo_client(server: dict[str, str]) -> None:
    done = _run_demo(server, "asw_client_demo.py", "--secret-id", server["secret_id"], "--secret-key", server["secret_key"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "output matches expected 15" in done.stdout
    assert "ExecutionSucceed" in done.stdout


@pytest.mark.parametrize("kind", ["STANDARD", "EXPRESS"])
def test_sfn_demo_client(server: dict[str, str], kind: str) -> None:
    done = _run_demo(server, "sfn_client_demo.py", "--access-key", server["secret_id"], "--secret-key",
                     server["secret_key"], "--type", kind, "--cleanup", AWS_DISABLE_HOST_PREFIX_INJECTION="true")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "output matches expected 15" in done.stdout and "deleted state machine" in done.stdout


def test_wrong_secret_key_is_refused_by_both_protocols(server: dict[str, str]) -> None:
    asw = _run_demo(server, "asw_client_demo.py", "--secret-id", server["secret_id"], "--secret-key", "wrong")
    assert asw.returncode == 1 and "AuthFailure.SignatureFailure" in asw.stderr
    sfn = _run_demo(server, "sfn_client_demo.py", "--access-key", server["secret_id"], "--secret-key", "wrong")
    assert sfn.returncode == 1 and "InvalidSignatureException" in sfn.stderr
