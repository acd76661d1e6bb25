"""Round-trip cost of a function invocation on warm workers.

    python -m backend.sandbox.bench [--invocations N] [--threads T] [--size S] [--json]

Figures (microseconds per invocation, median and p99 of single calls):

* ``sandbox``: ``FunctionPool.invoke`` of a trivial handler, one caller thread;
* ``sandbox_threads``: the same from ``--threads`` callers at once (wall time / N);
* ``peer_process_pool``: the standard library's ``ProcessPoolExecutor.submit().result()``
  of the same trivial function (the obvious alternative), one caller;
* ``replacement_ms``: a timed-out invocation's worker replaced and warm again.

A benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from backend.sandbox.pool import FunctionPool
from backend.sandbox.spec import FunctionSpec

TRIVIAL = FunctionSpec("trivial", source="def handler(event, context):\n    return event\n")
SPIN = FunctionSpec(
    "spin", source="def handler(event, context):\n    while True:\n        pass\n", timeout_s=0.05
)
EVENT = {"order": 42, "items": ["a", "b"]}


def trivial(event: Any) -> Any:
    return event


def _summary(samples_s: list[float]) -> dict[str, float]:
    ordered = sorted(samples_s)
    return {
        "median_us": round(statistics.median(ordered) * 1e6, 1),
        "p99_us": round(ordered[int(len(ordered) * 0.99) - 1] * 1e6, 1),
        "mean_us": round(statistics.fmean(ordered) * 1e6, 1),
    }


def _time_calls(call, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def bench_sandbox(pool: FunctionPool, count: int) -> dict[str, float]:
    for _ in range(200):  # warm: workers started, code loaded
        pool.invoke(TRIVIAL, EVENT)
    return _summary(_time_calls(lambda: pool.invoke(TRIVIAL, EVENT), count))


def bench_sandbox_threads(pool: FunctionPool, count: int, threads: int) -> dict[str, float]:
    with ThreadPoolExecutor(max_workers=threads) as callers:
        list(callers.map(lambda _: pool.invoke(TRIVIAL, EVENT), range(200)))
        started = time.perf_counter()
        results = list(callers.map(lambda _: pool.invoke(TRIVIAL, EVENT), range(count)))
        elapsed = time.perf_counter() - started
    assert all(result.ok for result in results)
    return {
        "per_invocation_us": round(elapsed / count * 1e6, 1),
        "invocations_per_s": round(count / elapsed),
    }


def bench_peer(count: int, size: int) -> dict[str, float]:
    with ProcessPoolExecutor(max_workers=size) as peer:
        for _ in range(200):
            peer.submit(trivial, EVENT).result()
        return _summary(_time_calls(lambda: peer.submit(trivial, EVENT).result(), count))


def bench_replacement(pool: FunctionPool, rounds: int) -> dict[str, float]:
    """Time from a timed-out invocation's start until the next call on a fresh worker is done."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        assert pool.invoke(SPIN, {}).error == "Sandbox.Timedout"
        pool.invoke(TRIVIAL, EVENT)
        samples.append((time.perf_counter() - started) * 1000 - SPIN.timeout_s * 1000)
    return {"median_ms": round(statistics.median(samples), 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invocations", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--size", type=int, default=2, help="pool size (both pools)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    with FunctionPool(size=args.size) as pool:
        figures: dict[str, Any] = {"sandbox": bench_sandbox(pool, args.invocations)}
        figures["sandbox_threads"] = bench_sandbox_threads(pool, args.invocations, args.threads)
    figures["peer_process_pool"] = bench_peer(args.invocations, args.size)
    with FunctionPool(size=1) as single:
        single.invoke(TRIVIAL, EVENT)
        figures["replacement_ms"] = bench_replacement(single, 5)
    figures["speedup_vs_peer"] = round(
        figures["peer_process_pool"]["median_us"] / figures["sandbox"]["median_us"], 2
    )
    if args.json:
        print(json.dumps(figures))
        return
    s, t, p = figures["sandbox"], figures["sandbox_threads"], figures["peer_process_pool"]
    rows = [
        ("sandbox invoke, 1 caller", f"median {s['median_us']} us, p99 {s['p99_us']} us"),
        (
            f"sandbox invoke, {args.threads} callers",
            f"{t['per_invocation_us']} us/invocation ({t['invocations_per_s']}/s)",
        ),
        ("peer ProcessPoolExecutor", f"median {p['median_us']} us, p99 {p['p99_us']} us"),
        ("worker replacement", f"median {figures['replacement_ms']['median_ms']} ms"),
        ("speedup vs peer (median)", f"{figures['speedup_vs_peer']}x"),
    ]
    for label, figure in rows:
        print(f"{label:<28}  {figure}")


if __name__ == "__main__":
    main()
