"""Length-prefixed JSON frames over a pipe."""

from __future__ import annotations

import os
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from backend.sandbox.protocol import (
    MAX_PART_BYTES,
    FrameReader,
    FrameTimeout,
    ProtocolError,
    encode_frame,
    write_frame,
)


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read_end, write_end = os.pipe()
    yield read_end, write_end
    for fd in (read_end, write_end):
        try:
            os.close(fd)
        except OSError:
            pass


def test_frames_round_trip_in_order(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    write_frame(write_end, {"op": "a", "n": 1})
    write_frame(write_end, {"op": "b", "text": "ünï"}, b'{"event": [1, 2]}')
    reader = FrameReader(read_end)
    assert reader.read() == ({"op": "a", "n": 1}, b"")
    assert reader.read() == ({"op": "b", "text": "ünï"}, b'{"event": [1, 2]}')
    os.close(write_end)
    assert reader.read() is None


def test_a_frame_larger_than_the_pipe_buffer_arrives_whole(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    body = b"x" * (1024 * 1024)
    writer = threading.Thread(target=write_frame, args=(write_end, {"op": "big"}, body))
    writer.start()
    assert FrameReader(read_end).read(time.monotonic() + 10) == ({"op": "big"}, body)
    writer.join()


def test_frames_arriving_in_one_read_are_split_correctly(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.write(
        write_end,
        encode_frame({"n": 1}, b"[1]") + encode_frame({"n": 2}) + encode_frame({"n": 3}, b"3"),
    )
    reader = FrameReader(read_end)
    assert [reader.read(time.monotonic() + 1) for _ in range(3)] == [
        ({"n": 1}, b"[1]"),
        ({"n": 2}, b""),
        ({"n": 3}, b"3"),
    ]


def test_a_frame_dribbling_in_byte_by_byte_is_assembled(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    data = encode_frame({"op": "slow"}, b'"body"')

    def dribble() -> None:
        for index in range(len(data)):
            os.write(write_end, data[index : index + 1])
            time.sleep(0.001)

    writer = threading.Thread(target=dribble)
    writer.start()
    assert FrameReader(read_end).read(time.monotonic() + 5) == ({"op": "slow"}, b'"body"')
    writer.join()


def test_end_of_stream_between_frames_is_none(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.close(write_end)
    assert FrameReader(read_end).read() is None


def test_end_of_stream_inside_a_frame_is_a_protocol_error(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.write(write_end, encode_frame({"op": "cut"}, b"12345")[:-2])
    os.close(write_end)
    with pytest.raises(ProtocolError, match="stream ended inside a frame"):
        FrameReader(read_end).read()


def test_absurd_lengths_are_a_protocol_error_not_an_allocation(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.write(write_end, struct.pack(">II", MAX_PART_BYTES + 1, 0))
    with pytest.raises(ProtocolError, match="too large"):
        FrameReader(read_end).read()


def test_header_must_be_a_json_object(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.write(write_end, struct.pack(">II", 3, 0) + b"[1]")
    with pytest.raises(ProtocolError, match="not a JSON object"):
        FrameReader(read_end).read()


def test_deadline_passes_without_a_frame(pipe: tuple[int, int]) -> None:
    read_end, _ = pipe
    started = time.monotonic()
    with pytest.raises(FrameTimeout):
        FrameReader(read_end).read(started + 0.1)
    assert 0.1 <= time.monotonic() - started < 1.0


def test_deadline_also_bounds_a_frame_that_stops_halfway(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    os.write(write_end, encode_frame({"op": "slow"}, b"abcdef")[:-3])
    with pytest.raises(FrameTimeout):
        FrameReader(read_end).read(time.monotonic() + 0.1)
