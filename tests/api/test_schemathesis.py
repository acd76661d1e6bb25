"""schemathesis against the OpenAPI schema of a real server (`make run`): no request it makes,
valid or not, gets a server error (5xx). Every operation of /api/schema/, authenticated as a
user with an API token who owns the demo data and may write and call functions."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.live_server import clean_environment, make_run, run_manage

# Bounded: "coverage" (boundary and wrong-type values for every parameter and field), then
# "fuzzing" (up to EXAMPLES random cases per operation), within MAX_SECONDS in all (about
# 3,000 requests on 2 cores when nothing else runs; a busy machine gets fewer, never longer).
EXAMPLES = 8
WORKERS = 4
MAX_SECONDS = 75
RUN_TIMEOUT_S = 150
SETUP = (
    "from django.contrib.auth.models import Permission, User\n"
    "from rest_framework.authtoken.models import Token\n"
    "u = User.objects.create_user('fuzz', password='fuzz-pass-123')\n"
    "u.user_permissions.add(*Permission.objects.filter(codename__in=["
    "'add_function', 'change_function', 'delete_function', 'invoke_function']))\n"
    "print('TOKEN=' + Token.objects.create(user=u).key)\n"
)


@pytest.fixture(scope="module")
def server(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    data_dir = tmp_path_factory.mktemp("schemathesis-server")
    overrides = {"DATA_DIR": str(data_dir), "NO_PROXY": "127.0.0.1,localhost",
                 "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    env = clean_environment(overrides)
    run_manage(repo_root, env, "migrate", "--noinput")
    token = run_manage(repo_root, env, "shell", "-c", SETUP).rsplit("TOKEN=", 1)[1].strip()
    run_manage(repo_root, env, "seed_demo", "--owner", "fuzz")
    with make_run(repo_root, data_dir / "server.log", overrides) as running:
        yield {"url": running.base_url, "token": token, "env": env, "dir": str(data_dir)}


def test_no_operation_answers_with_a_server_error(server: dict[str, str]) -> None:
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis), "run", f"{server['url']}/api/schema/",
        "--header", f"Authorization: Token {server['token']}",
        "--checks", "not_a_server_error",
        "--phases", "coverage,fuzzing",
        "--max-examples", str(EXAMPLES), "--max-time", str(MAX_SECONDS), "--workers", str(WORKERS),
        "--seed", "1", "--no-shrink",
        # Revoking the token would leave the rest of the run unauthenticated.
        "--exclude-operation-id", "auth_token_destroy",
        "--request-timeout", "30",
    ]
    done = subprocess.run(command, cwd=server["dir"], env=server["env"], capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-20000:]
    assert "Server error" not in report
    assert " passed" in report and "Tested:" in report
