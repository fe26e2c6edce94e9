"""What the runner writes for the parent: length-prefixed JSON frames, output markers, and
the progress slot's layout (the parent's side: :mod:`grader.sandbox.frames`)."""

from __future__ import annotations

import json
import os
import struct

RES_FD = 3  # the runner's result channel; the number is not a secret
EXIT_CHANNEL_BROKEN = 121  # the runner could not write a frame
OUTPUT_MARK = b"\x00\x1b[sandbox-end:"  # written to stdout after a request that printed
PROGRESS = struct.Struct("<qq")  # the progress slot: (request index, phase)
PHASES = {"start": 0, "import": 1, "call": 2}  # must match frames.PHASES


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


#: What json.dumps(obj, ensure_ascii=True, allow_nan=False) makes a new one of at each call
JSON = json.JSONEncoder(ensure_ascii=True, allow_nan=False)


def send_frame(fd: int, obj: object) -> None:
    """Write one length-prefixed JSON frame (the only thing the parent reads from `fd`)."""
    data = JSON.encode(obj).encode("ascii")
    write_all(fd, struct.pack(">I", len(data)) + data)


def encode(obj: dict) -> bytes:
    try:
        return JSON.encode(obj).encode("ascii")
    except (ValueError, TypeError):
        os._exit(EXIT_CHANNEL_BROKEN)


def send_batch(results: list[bytes]) -> None:
    """One frame ``{"results": [...]}`` of results already encoded."""
    data = b'{"results": [' + b", ".join(results) + b"]}"
    try:
        write_all(RES_FD, struct.pack(">I", len(data)) + data)
    except OSError:
        os._exit(EXIT_CHANNEL_BROKEN)
