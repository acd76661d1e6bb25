"""The benchmark adapter (``/work/shared/perf/README.md`` section 6).

Compiles the definition once, then runs ``warmup`` untimed and ``repeat`` timed
executions. Timed region: from the input text in hand to the terminal status
and the output serialised to JSON text.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import time
import uuid
from typing import Any

from .execution import Execution
from .functions import LocalFunctions
from .program import compile_definition
from .resources import ResourceRegistry

VERSION = "0.1"


def bench(definition: str, input_text: str, repeat: int = 10, warmup: int = 2, persist: str | None = None,
          *, history: bool = True, workload: str | None = None) -> dict:
    program = compile_definition(definition)
    registry = LocalFunctions({}).register(ResourceRegistry())
    db = None
    mode = "none"
    if persist and persist != "none":
        if not persist.startswith("sqlite:"):
            raise ValueError(f"unknown --persist mode {persist!r} (none | sqlite:PATH)")
        from .sqlite_journal import SqliteJournal

        db = SqliteJournal.connect(persist[len("sqlite:"):])
        mode = "sqlite"

    def once() -> tuple[float, float, Any]:
        journal = None
        name = str(uuid.uuid4())
        if db is not None:
            from .sqlite_journal import SqliteJournal

            journal = SqliteJournal(db, name)
        t0, c0 = time.perf_counter(), time.process_time()
        execution = Execution(program, json.loads(input_text), name=name, registry=registry,
                              journal=journal, keep_history=history or journal is not None)
        result = execution.run()
        result.output_text or json.dumps(result.output, separators=(",", ":"), ensure_ascii=False)
        return time.perf_counter() - t0, time.process_time() - c0, result

    all_succeeded = True
    for _ in range(warmup):
        all_succeeded &= once()[2].status == "SUCCEEDED"
    times, cpu = [], []
    last = None
    for _ in range(repeat):
        wall, used, last = once()
        times.append(wall)
        cpu.append(used)
        all_succeeded &= last.status == "SUCCEEDED"
    output: Any = last.output if last is not None else None
    if len(json.dumps(output)) > 2048:
        output = "<omitted: large>"
    name = os.path.basename(workload or "workload").replace(".asl.json", "")
    result = {
        "protocol": 1,
        "engine": f"backend.engine {VERSION} (persist={mode}, py{platform.python_version()})",
        "workload": name,
        "repeat": repeat,
        "warmup": warmup,
        "times_s": times,
        "median_s": statistics.median(times) if times else None,
        "min_s": min(times) if times else None,
        "max_s": max(times) if times else None,
        "cpu_median_s": statistics.median(cpu) if cpu else None,
        "transitions": last.transitions if last is not None else None,
        "status": last.status if last is not None else None,
        "output": output,
        "check_ok": all_succeeded,
        "all_succeeded": all_succeeded,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "notes": {"persist": mode, "history": history},
    }
    if last is not None and last.status != "SUCCEEDED":
        result["error"] = f"execution {last.status}: {last.error}: {last.cause}"
    return result
