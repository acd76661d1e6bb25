"""Both demo clients from ../shared/clients against `make run` on a free port (daphne with its
embedded runner, a SQLite file), credentials from ``createcredentials``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.live_server import clean_environment, make_run, run_manage

SHARED_DIR = Path(os.environ.get("SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))
CLIENTS = SHARED_DIR / "clients"
# seed_demo creates the demo clients' own roles (asw-demo-role, sfn-demo-role); the SDK tests
# below also need a role for callbacks.
CALLBACK_ROLE = (
    "from django.contrib.auth.models import User\n"
    "from backend.workflows.services import role_create\n"
    "u = User.objects.get(username='demo')\n"
    "role_create(owner=u, name='callback-role', allowed_resources=['arn:aws:states:::lambda:invoke.waitForTaskToken',"
    " 'qrn:qcs:asw:*:*:sdk:json:qcloud:scf:Invoke/sum'])\n"
)


@pytest.fixture(scope="module")
def server(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`make run` (migrate + daphne with the embedded runner) over a prepared SQLite file."""
    assert CLIENTS.is_dir(), f"demo clients not found in {CLIENTS}: set SHARED_DIR to the shared reference folder"
    data_dir = tmp_path_factory.mktemp("demo-server")
    overrides = {"DATA_DIR": str(data_dir), "NO_PROXY": "127.0.0.1,localhost",
                 "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    env = clean_environment(overrides)
    run_manage(repo_root, env, "migrate", "--noinput")
    pair = run_manage(repo_root, env, "createcredentials", "demo", "--create-user")
    secret_id, secret_key = re.fullmatch(r"SecretId=(\S+) SecretKey=(\S+)\n", pair).groups()
    run_manage(repo_root, env, "seed_demo", "--owner", "demo")
    run_manage(repo_root, env, "shell", "-c", CALLBACK_ROLE)
    with make_run(repo_root, data_dir / "server.log", overrides) as running:
        yield {"endpoint": running.base_url, "secret_id": secret_id, "secret_key": secret_key, "env": env}


def _run_demo(server: dict[str, str], script: str, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {**server["env"], **extra_env}
    return subprocess.run([sys.executable, str(CLIENTS / script), "--endpoint", server["endpoint"], *args,
                           "--expect-output", "15", "--timeout", "60"],
                          env=env, capture_output=True, text=True, timeout=180)


def _unique_name(kind: str) -> str:
    return f"sum-demo-{kind.lower()}-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("kind", ["STANDARD", "EXPRESS"])
def test_asw_demo_client(server: dict[str, str], kind: str) -> None:
    # The client's default name is "sum-demo-<unix seconds>": two runs in one second would collide.
    done = _run_demo(server, "asw_client_demo.py", "--secret-id", server["secret_id"], "--secret-key", server["secret_key"],
                     "--type", kind, "--name", _unique_name(kind))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "output matches expected 15" in done.stdout
    # Express executions keep a summary row only, no history (as in Step Functions).
    assert ("ExecutionSucceed" in done.stdout) == (kind == "STANDARD")


@pytest.mark.parametrize("kind", ["STANDARD", "EXPRESS"])
def test_sfn_demo_client(server: dict[str, str], kind: str) -> None:
    done = _run_demo(server, "sfn_client_demo.py", "--access-key", server["secret_id"], "--secret-key",
                     server["secret_key"], "--type", kind, "--name", _unique_name(kind), "--cleanup",
                     AWS_DISABLE_HOST_PREFIX_INJECTION="true")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "output matches expected 15" in done.stdout and "deleted state machine" in done.stdout


def test_wrong_secret_key_is_refused_by_both_protocols(server: dict[str, str]) -> None:
    asw = _run_demo(server, "asw_client_demo.py", "--secret-id", server["secret_id"], "--secret-key", "wrong")
    assert asw.returncode == 1 and "AuthFailure.SignatureFailure" in asw.stderr
    sfn = _run_demo(server, "sfn_client_demo.py", "--access-key", server["secret_id"], "--secret-key", "wrong")
    assert sfn.returncode == 1 and "InvalidSignatureException" in sfn.stderr


CALLBACK = {
    "StartAt": "Await",
    "States": {
        "Await": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {"FunctionName": "notify", "Payload": {"token.$": "$$.Task.Token"}},
                  "HeartbeatSeconds": 600, "Next": "Sum"},
        "Sum": {"Type": "Task", "Resource": "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum",
                "End": True},
    },
}


def _boto3_client(server: dict[str, str]):  # type: ignore[no-untyped-def]
    import boto3
    from botocore.config import Config

    return boto3.client("stepfunctions", endpoint_url=server["endpoint"], region_name="eu-west-1",
                        aws_access_key_id=server["secret_id"], aws_secret_access_key=server["secret_key"],
                        config=Config(inject_host_prefix=False, retries={"total_max_attempts": 1}))


def _until(check, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_boto3_callbacks_stop_lists_and_updates(server: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The other Step Functions operations, parsed by boto3 against the running server."""
    import botocore.exceptions

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    sfn = _boto3_client(server)
    arn = sfn.create_state_machine(name="approval", definition=json.dumps(CALLBACK),
                                   roleArn="arn:aws:iam::1:role/callback-role")["stateMachineArn"]
    assert sfn.describe_state_machine(stateMachineArn=arn)["roleArn"].endswith("role/callback-role")
    assert "approval" in [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    assert sfn.validate_state_machine_definition(definition=json.dumps(CALLBACK))["result"] == "OK"

    run = sfn.start_execution(stateMachineArn=arn, name="approve", input="{}")["executionArn"]

    def token() -> str | None:
        for event in sfn.get_execution_history(executionArn=run)["events"]:
            details = event.get("taskScheduledEventDetails")
            if details:
                return json.loads(details["parameters"])["Payload"]["token"]
        return None

    task_token = _until(token)
    sfn.send_task_heartbeat(taskToken=task_token)
    sfn.send_task_success(taskToken=task_token, output=json.dumps({"values": [4, 5]}))
    done = _until(lambda: (d := sfn.describe_execution(executionArn=run))["status"] != "RUNNING" and d)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == 9
    with pytest.raises(botocore.exceptions.ClientError) as again:
        sfn.send_task_success(taskToken=task_token, output="{}")
    assert again.value.response["Error"]["Code"] == "TaskTimedOut"

    waiting = sfn.start_execution(stateMachineArn=arn, name="reject", input="{}")["executionArn"]
    _until(lambda: sfn.get_execution_history(executionArn=waiting)["events"][-1]["type"] != "ExecutionStarted")
    sfn.stop_execution(executionArn=waiting, error="Rejected", cause="by the test")
    stopped = sfn.describe_execution(executionArn=waiting)
    assert stopped["status"] == "ABORTED" and stopped["stopDate"] >= stopped["startDate"]
    statuses = {e["name"]: e["status"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]}
    assert statuses == {"approve": "SUCCEEDED", "reject": "ABORTED"}
    revision = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps({**CALLBACK, "Comment": "v2"}))
    assert revision["revisionId"] == "2"


def test_tencent_sdk_remaining_actions(server: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """ModifyFlowService, DescribeFlowServices, DescribeExecutions (CommonClient sees the list), StopExecution."""
    from tencentcloud.asw.v20200722 import asw_client, models
    from tencentcloud.common import credential
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=server["endpoint"].removeprefix("http://"), protocol="http"))
    cred = credential.Credential(server["secret_id"], server["secret_key"])
    client = asw_client.AswClient(cred, "ap-guangzhou", profile)
    create = models.CreateFlowServiceRequest()
    create.from_json_string(json.dumps({"FlowServiceName": "cb", "Definition": json.dumps(CALLBACK), "IsNewRole": False,
                                        "Type": "STANDARD", "RoleResource": "qcs::cam::uin/1:roleName/callback-role"}))
    qrn = client.CreateFlowService(create).FlowServiceResource
    modify = models.ModifyFlowServiceRequest()
    modify.from_json_string(json.dumps({"FlowServiceResource": qrn, "Definition": json.dumps({**CALLBACK, "Comment": "2"}),
                                        "FlowServiceName": "cb", "FlowServiceChineseName": "回调", "IsNewRole": False,
                                        "Type": "STANDARD", "RoleResource": "qcs::cam::uin/1:roleName/callback-role"}))
    assert client.ModifyFlowService(modify).UpdateDate.isdigit()
    listing = models.DescribeFlowServicesRequest()
    listing.from_json_string(json.dumps({"Filters": [{"Name": "FlowServiceName", "Values": ["cb"]}]}))
    found = client.DescribeFlowServices(listing)
    assert found.TotalCount == 1 and found.FlowServiceSet[0].FlowServiceChineseName == "回调"
    start = models.StartExecutionRequest()
    start.from_json_string(json.dumps({"StateMachineResourceName": qrn, "Name": "wait-1"}))
    run = client.StartExecution(start).ExecutionResourceName
    stop = models.StopExecutionRequest()
    stop.ExecutionQrn = run
    client.StopExecution(stop)
    common = CommonClient("asw", "2020-07-22", cred, "ap-guangzhou", profile)
    executions = common.call_json("DescribeExecutions", {"StateMachineResourceName": qrn, "PageSize": 10, "PageIndex": 1})
    assert [(e["Name"], e["Status"]) for e in executions["Response"]["Executions"]] == [("wait-1", "TERMINATED")]
