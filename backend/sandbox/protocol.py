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
_READ_CHUNK = 64 * 1024  # a Linux pipe's default capacity


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


class FrameReader:
    """Reads frames from one file descriptor.

    Reads as much as the pipe holds (a frame is written with one ``write``, so one
    ``read`` usually brings all of it) and keeps what belongs to the next frame.
    """

    def __init__(self, fd: int):
        self.fd = fd
        self._buffer = bytearray()

    def read(self, deadline: float | None = None) -> tuple[dict, bytes] | None:
        """The next frame; ``None`` at a clean end of stream (the peer closed it).

        ``deadline`` is a ``time.monotonic()`` instant; ``FrameTimeout`` when it
        passes first. Without one the read blocks.
        """
        if not self._fill(_PREFIX.size, deadline, eof_ok=True):
            return None
        head_length, body_length = _PREFIX.unpack_from(self._buffer)
        if head_length > MAX_PART_BYTES or body_length > MAX_PART_BYTES:
            raise ProtocolError(f"frame part too large: {head_length}/{body_length} bytes")
        head_end = _PREFIX.size + head_length
        frame_end = head_end + body_length
        self._fill(frame_end, deadline, eof_ok=False)
        buffer = self._buffer
        head, body = bytes(buffer[_PREFIX.size : head_end]), bytes(buffer[head_end:frame_end])
        del buffer[:frame_end]
        try:
            header = json.loads(head)
        except ValueError as exc:
            raise ProtocolError(f"frame header is not JSON: {exc}") from None
        if not isinstance(header, dict):
            raise ProtocolError("frame header is not a JSON object")
        return header, body

    def _fill(self, size: int, deadline: float | None, *, eof_ok: bool) -> bool:
        """Buffer at least ``size`` bytes; False at end of stream with nothing buffered."""
        while len(self._buffer) < size:
            if deadline is not None:
                _wait_readable(self.fd, deadline)
            chunk = os.read(self.fd, max(size - len(self._buffer), _READ_CHUNK))
            if not chunk:
                if eof_ok and not self._buffer:
                    return False
                raise ProtocolError(
                    f"stream ended inside a frame ({len(self._buffer)}/{size} bytes)"
                )
            self._buffer += chunk
        return True


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
