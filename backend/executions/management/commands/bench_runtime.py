"""``manage.py bench_runtime``: executions through the runtime, on the configured database.

* **Express**: ``execution_start_sync`` of a 3-state workflow (Pass, Choice, Pass) in a
  loop in this process; executions/s (summary rows off unless ``--express-record``).
* **Durable**: Standard executions of the perf workloads (``chain100``: 100 Pass states;
  ``choice_loop``: Pass + Choice x 1000) started with ``execution_start`` and driven by the
  runner (claim, run over the leased database journal, close); transitions/s = StateEntered
  events / wall time, start included. ``--threads N`` (N > 1): N concurrent clients, each
  starting and running its share on its own connection (a runner process runs
  ``ENGINE_THREADS`` = 4 executions at once; on PostgreSQL their commits share WAL flushes).

* **Floor** (``--floor``): the same workloads through ``floor.py bench --mode durable``
  (``../shared/perf``: a minimal interpreter that INSERTs every transition into SQLite in
  its own transaction, run by ``--floor-python``) just before each durable measurement,
  and the ratio runtime / floor on the floor's statistic (transitions / median execution
  time; with one thread each execution's start and run are timed). Cheap: as many
  executions as the runtime's.

Creates a throwaway user and workflows and deletes everything afterwards. A measurement,
never a test.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner import execution_start, execution_start_sync
from backend.executions.runner.heap import freeze_startup_heap
from backend.executions.runner.run import drive
from backend.workflows.models import WorkflowTemplate, WorkflowType
from backend.workflows.services import role_create, template_create

EXPRESS_3_STATES = {"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "B"},
    "B": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "C"}], "Default": "C"},
    "C": {"Type": "Pass", "End": True}}}
DEFAULT_WORKLOADS = Path(os.environ.get("SHARED_DIR", settings.BASE_DIR.parent / "shared")) / "perf" / "workloads"


class Command(BaseCommand):
    help = "Measure Express executions/s and durable transitions/s through the runtime."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--express", type=int, default=20_000, help="Express executions (default 20000)")
        parser.add_argument("--express-record", action="store_true", help="record Express summary rows")
        parser.add_argument("--chain100", type=int, default=200, help="durable chain100 executions (default 200)")
        parser.add_argument("--choice-loop", type=int, default=10, help="durable choice_loop executions (default 10)")
        parser.add_argument("--threads", type=int, default=1,
                            help="durable: concurrent clients, each starting and running its share "
                                 "(default 1: all started, then run one after the other)")
        parser.add_argument("--workloads", default=str(DEFAULT_WORKLOADS), help="folder of the perf workloads")
        parser.add_argument("--floor", action="store_true",
                            help="also measure the durable floor (floor.py next to the workloads) for comparison")
        parser.add_argument("--rounds", type=int, default=1,
                            help="repeat each durable measurement (and the floor's) this often, then report "
                                 "the best of each (a shared machine's load comes and goes)")
        parser.add_argument("--floor-python", default="python3",
                            help="interpreter for floor.py (default python3, as in the perf README)")

    def handle(self, *args: Any, **options: Any) -> None:
        workloads = Path(options["workloads"])
        owner = get_user_model().objects.create_user(username=f"bench-{secrets.token_hex(4)}")
        role = role_create(owner=owner, name="bench", allowed_resources=[])
        # Restored at the end: the command also runs inside other processes (tests, call_command).
        record_override = override_settings(ENGINE_EXPRESS_RECORD=options["express_record"])
        record_override.enable()
        freeze_startup_heap()  # as a runner process does (runner/heap.py)
        try:
            if options["express"]:
                self._express(owner, role, options["express"])
            for name, count in (("chain100", options["chain100"]), ("choice_loop", options["choice_loop"])):
                best_floor = best = 0.0
                for _ in range(options["rounds"] if count else 0):
                    floor = self._floor(workloads, name, count, options["floor_python"]) if options["floor"] else None
                    rate = self._durable(owner, role, workloads, name, count, options["threads"], floor)
                    best_floor, best = max(best_floor, floor or 0.0), max(best, rate or 0.0)
                if options["rounds"] > 1 and best:
                    self.stdout.write(f"best of {options['rounds']} rounds, {name}: {best:,.0f} transitions/s"
                                      + (f" vs the floor's {best_floor:,.0f}: {best / best_floor:.2f}x"
                                         if best_floor else ""))
        finally:
            record_override.disable()
            Execution.objects.filter(template__owner=owner).delete()
            WorkflowTemplate.objects.filter(owner=owner).delete()  # templates protect their role
            owner.delete()

    def _express(self, owner: Any, role: Any, count: int) -> None:
        template = template_create(owner=owner, name="bench-express", definition=json.dumps(EXPRESS_3_STATES),
                                   type=WorkflowType.EXPRESS, role=role)
        for _ in range(200):  # warm-up: compile, caches
            execution_start_sync(template=template, input='{"n": 1}')
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            result = execution_start_sync(template=template, input='{"n": 1}')
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if result.status != "SUCCEEDED":
            raise CommandError(f"Express run ended {result.status}: {result.error} {result.cause}")
        self.stdout.write(f"express 3-state: {count / elapsed:>10,.0f} executions/s "
                          f"({count} in {elapsed:.2f} s; {count / cpu:,.0f}/s of CPU time; "
                          f"summary rows {'on' if settings.ENGINE_EXPRESS_RECORD else 'off'})")

    def _floor(self, workloads: Path, name: str, count: int, python: str) -> float | None:
        """The durable floor's transitions/s on this workload (median execution), or None."""
        script = workloads.parent / "floor.py"
        with tempfile.TemporaryDirectory(prefix="floor-") as db_dir:
            try:
                done = subprocess.run(
                    [python, str(script), "bench", str(workloads / f"{name}.asl.json"), "--input",
                     str(workloads / f"{name}.input.json"), "--repeat", str(count), "--warmup", "2",
                     "--mode", "durable", "--db-dir", db_dir],
                    capture_output=True, text=True, timeout=600, check=True)
                result = json.loads(done.stdout.strip().splitlines()[-1])
            except (OSError, subprocess.SubprocessError, ValueError, IndexError) as error:
                self.stderr.write(f"floor {name}: not measured ({error})")
                return None
        rate = result["transitions"] / result["median_s"]
        self.stdout.write(f"floor  durable {name:<11} ({python} floor.py): {rate:>9,.0f} transitions/s "
                          f"({1 / result['median_s']:,.1f} executions/s, median of {count})")
        return rate

    def _durable(self, owner: Any, role: Any, workloads: Path, name: str, count: int, threads: int,
                 floor: float | None = None) -> float:
        """Measure; the transitions/s figure comparable with the floor's (median execution with
        one thread, else the aggregate rate)."""
        try:
            definition = (workloads / f"{name}.asl.json").read_text()
            input_text = (workloads / f"{name}.input.json").read_text()
        except OSError as error:
            raise CommandError(f"workload {name}: {error} (pass --workloads)") from None
        template = template_create(owner=owner, name=f"bench-{name}-{secrets.token_hex(3)}", definition=definition,
                                   role=role)
        owner_id = f"bench-{secrets.token_hex(4)}"
        warm = execution_start(template=template, name="warm-up", input=input_text).execution
        drive(warm.pk, owner_id)
        started, cpu = time.perf_counter(), time.process_time()
        each: list[float] = []  # threads == 1: each execution's start + run (the floor's statistic is their median)
        if threads == 1:
            clock = time.perf_counter
            ids = []
            for i in range(count):
                began = clock()
                ids.append(execution_start(template=template, name=f"run-{i}", input=input_text).execution.pk)
                each.append(clock() - began)
            created = time.perf_counter()
            statuses = []
            for index, execution_id in enumerate(ids):
                began = clock()
                statuses.append(drive(execution_id, owner_id))
                each[index] += clock() - began
        else:
            # Concurrent clients: each thread starts and runs its share (its own connection), so
            # commits of different executions overlap (on PostgreSQL they share WAL flushes).
            def share(first: int) -> list[tuple[int, str]]:
                try:
                    done = []
                    for i in range(first, count, threads):
                        pk = execution_start(template=template, name=f"run-{i}", input=input_text).execution.pk
                        done.append((pk, drive(pk, owner_id)))
                    return done
                finally:
                    connection.close()

            with ThreadPoolExecutor(max_workers=threads) as pool:
                results = [item for part in pool.map(share, range(threads)) for item in part]
            ids = [pk for pk, _ in results]
            statuses = [status for _, status in results]
            created = None
        if any(status != ExecutionStatus.SUCCEEDED for status in statuses):
            raise CommandError(f"{name}: not every execution succeeded: {sorted(set(statuses))}")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        transitions = Execution.objects.get(pk=ids[0]).events.filter(type__endswith="StateEntered").count() * count
        running = "" if created is None else f"{transitions / (time.perf_counter() - created):,.0f}/s running only; "
        self.stdout.write(
            f"{connection.vendor} durable {name:<11} ({threads} thread{'s' if threads > 1 else ''}): "
            f"{transitions / elapsed:>9,.0f} transitions/s "
            f"({count / elapsed:,.1f} executions/s, start included; {running}"
            f"{transitions / cpu:,.0f}/s of CPU time)"
        )
        if each:
            # floor.py reports transitions / the median execution's time: the same statistic here.
            median = statistics.median(each)
            per_execution = transitions / count
            self.stdout.write(
                f"{connection.vendor} durable {name:<11} median execution (start + run) {median * 1e3:.3f} ms: "
                f"{per_execution / median:>9,.0f} transitions/s"
                + (f"; {per_execution / median / floor:.2f}x the floor's median" if floor else "")
            )
            return per_execution / median
        return transitions / elapsed
