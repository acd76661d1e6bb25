"""A small HTTP/1.1 load generator: N keep-alive connections on loopback, closed loop.

Each connection sends one request, waits for the whole response, records the latency and
sends the next, for ``--duration`` seconds after ``--warmup`` seconds. Run it as its own
process (it is one, when run as a script) so the server under test does not share its
interpreter. Prints one JSON object: requests, rps, latency percentiles (ms), status counts.

    python tests/bench/loadgen.py --url http://127.0.0.1:8000/run/sum --body '{"values":[1,2]}' \
        --connections 32 --duration 10 --header 'X-Api-Key: ...'
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

try:  # optional: a faster event loop when installed
    import uvloop  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    uvloop = None


class _Connection(asyncio.Protocol):
    """One keep-alive connection; ``request()`` resolves with (status, latency seconds)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.started = 0.0
        self.lost: asyncio.Future = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed by the server"))
        if not self.lost.done():
            self.lost.set_result(None)

    def request(self, payload: bytes) -> asyncio.Future:
        self.waiter = asyncio.get_running_loop().create_future()
        self.started = time.perf_counter()
        assert self.transport is not None
        self.transport.write(payload)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).decode("latin-1")
        length = 0
        chunked = False
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        body_start = end + 4
        if chunked:
            terminator = self.buffer.find(b"0\r\n\r\n", body_start)
            if terminator < 0:
                return
            total = terminator + 5
        else:
            total = body_start + length
            if len(self.buffer) < total:
                return
        status = int(head.split(" ", 2)[1])
        del self.buffer[:total]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((status, time.perf_counter() - self.started))


def _request_bytes(url: str, body: bytes, headers: list[str], method: str) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: keep-alive"]
    if method != "GET" or body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    lines += headers
    return host, port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _worker(host: str, port: int, payload: bytes, t_measure: float, t_end: float,
                  latencies: list[float], statuses: Counter, errors: Counter) -> None:
    loop = asyncio.get_running_loop()
    connection: _Connection | None = None
    while time.perf_counter() < t_end:
        if connection is None or connection.lost.done():
            try:
                _, connection = await loop.create_connection(_Connection, host, port)
            except OSError as error:
                errors[type(error).__name__] += 1
                await asyncio.sleep(0.05)
                continue
        try:
            status, latency = await connection.request(payload)
        except ConnectionError as error:
            errors[type(error).__name__] += 1
            connection = None
            continue
        if time.perf_counter() >= t_measure:
            latencies.append(latency)
            statuses[status] += 1
    if connection is not None and connection.transport is not None:
        connection.transport.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def run_load(*, url: str, body: bytes = b"", headers: list[str] | None = None, method: str = "POST",
                   connections: int = 32, duration: float = 10.0, warmup: float = 2.0) -> dict:
    host, port, payload = _request_bytes(url, body, headers or [], method)
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    start = time.perf_counter()
    t_measure, t_end = start + warmup, start + warmup + duration
    await asyncio.gather(*(_worker(host, port, payload, t_measure, t_end, latencies, statuses, errors)
                           for _ in range(connections)))
    measured = time.perf_counter() - t_measure
    latencies.sort()
    return {
        "url": url,
        "connections": connections,
        "duration_s": round(measured, 3),
        "requests": len(latencies),
        "rps": round(len(latencies) / measured, 1) if measured > 0 else 0.0,
        "latency_ms": {name: round(percentile(latencies, q) * 1000, 2)
                       for name, q in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("max", 1.0))},
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "errors": dict(errors),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--method", default="POST")
    parser.add_argument("--body", default="", help="request body (text)")
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    args = parser.parse_args(argv)
    if uvloop is not None:
        uvloop.install()
    result = asyncio.run(run_load(url=args.url, body=args.body.encode(), headers=args.header, method=args.method,
                                  connections=args.connections, duration=args.duration, warmup=args.warmup))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
