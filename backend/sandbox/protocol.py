"""The wire protocol between the pool (parent) and a worker process.

One message is a *frame*::

    u32 header_length | u32 body_length | header (UTF-8 JSON object) | body (bytes)

lengths big-endian. The header carries the small, structured part (operation,
ids, limits); the body carries the payload as JSON text (the event going in, the
result coming out) so a payload is encoded exactly once and never escaped inside
another JSON string.

Messages, parent -> worker (on the worker's stdin):

* ``{"op": "invoke", "request_id", "key", "name", "handler", "module", "filename",
  "source"?, "env", "timeout_ms", "memory_mb", "max_response_bytes", "context"}``,
  body = the event as JSON text. ``source`` is sent only when the parent does not
  know the worker to hold ``key`` (a code version) already.

Messages, worker -> parent (on the worker's stdout):

* ``{"op": "ready", "address_space": <bytes>}`` once, after start-up.
* ``{"op": "result", "ok": true, "retire": bool}``, body = the result's JSON text.
* ``{"op": "result", "ok": false, "error", "cause", "retire": bool}``.
* ``{"op": "need_source", "key"}``: the worker dropped that code version from its
  cache; the parent repeats the request with ``source``.

``retire`` asks the parent to replace the worker (its state is not to be trusted,
e.g. after a MemoryError); the worker exits by itself right after.

Imported by the worker process: keep it free of heavy imports.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time

_PREFIX = struct.Struct(">II")
# Far above any payload the engine allows (256 KiB) or Lambda does (6 MB); a larger
# length means a corrupted stream, not a message.
MAX_PART_BYTES = 64 * 1024 * 1024


class ProtocolError(Exception):
    """The stream does not hold a well-formed frame."""


class FrameTimeout(Exception):
    """No complete frame arrived before the deadline."""


def encode_frame(header: dict, body: bytes = b"") -> bytes:
    head = json.dumps(header, separators=(",", ":")).encode()
    return _PREFIX.pack(len(head), len(body)) + head + body


def write_frame(fd: int, header: dict, body: bytes = b"") -> None:
    """Write a whole frame (blocking): the peer reads frames whole, never halves."""
    data = memoryview(encode_frame(header, body))
    while data:
        written = os.write(fd, data)
        data = data[written:]


def read_frame(fd: int, deadline: float | None = None) -> tuple[dict, bytes] | None:
    """Read one frame; ``None`` at a clean end of stream (the peer closed it).

    ``deadline`` is a ``time.monotonic()`` instant; ``FrameTimeout`` when it passes
    first. Without one the read blocks.
    """
    prefix = _read_exactly(fd, _PREFIX.size, deadline, eof_ok=True)
    if prefix is None:
        return None
    head_length, body_length = _PREFIX.unpack(prefix)
    if head_length > MAX_PART_BYTES or body_length > MAX_PART_BYTES:
        raise ProtocolError(f"frame part too large: {head_length}/{body_length} bytes")
    head = _read_exactly(fd, head_length, deadline, eof_ok=False)
    body = _read_exactly(fd, body_length, deadline, eof_ok=False) if body_length else b""
    try:
        header = json.loads(head)
    except ValueError as exc:
        raise ProtocolError(f"frame header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise ProtocolError("frame header is not a JSON object")
    return header, body


def _read_exactly(fd: int, size: int, deadline: float | None, *, eof_ok: bool) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            _wait_readable(fd, deadline)
        chunk = os.read(fd, remaining)
        if not chunk:
            if eof_ok and remaining == size:
                return None
            raise ProtocolError(f"stream ended inside a frame ({size - remaining}/{size} bytes)")
        chunks.append(chunk)
        remaining -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _wait_readable(fd: int, deadline: float) -> None:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    while True:
        left_ms = (deadline - time.monotonic()) * 1000.0
        if left_ms <= 0:
            raise FrameTimeout()
        # poll() rounds down: ceil so we never spin on a zero timeout just before the deadline.
        if poller.poll(int(left_ms) + 1):
            return
