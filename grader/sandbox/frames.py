"""Reading what the runner writes, as an untrusted writer: its length-prefixed JSON frames,
its output split at its end-of-request markers, and its progress slot's layout (the
writing side: ``grader/sandbox/child/framing.py``)."""

from __future__ import annotations

import json
import struct
from collections import deque

from grader.sandbox.protocol import CONTROL, InvalidFrame, Limits

EXIT_CHANNEL_BROKEN = 121  # must match child.framing.EXIT_CHANNEL_BROKEN
PROGRESS = struct.Struct("<qq")  # must match child.framing.PROGRESS: (request index, phase)
PHASES = {0: "start", 1: "import", 2: "call"}  # must match child.framing.PHASES
_MARK = b"\x00\x1b[sandbox-end:"  # must match child.framing.OUTPUT_MARK


def frame_bytes(limits: Limits) -> int:
    """The largest batch of results the runner may send in one frame."""
    return max(1 << 20, limits.max_value_bytes + 8192)


def _depth_ok(obj: object, limit: int) -> bool:
    stack = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _reject_constant(name: str) -> object:
    raise ValueError(f"non-finite number {name}")


class Frames:
    """Length-prefixed JSON frames from an untrusted writer, with strict bounds.

    A broken frame is remembered, not raised at once: the good frames before it (the
    runner's "ready" frame, written before any student code runs) are still delivered.
    """

    def __init__(self, max_frame: int) -> None:
        self.buf = bytearray()
        self.max_frame = max_frame
        self.ready: deque[dict] = deque()
        self.error: InvalidFrame | None = None

    def __bool__(self) -> bool:
        return bool(self.ready) or self.error is not None

    def pop(self) -> dict:
        """The next frame; raises the stored violation once the good frames are used up."""
        if self.ready:
            return self.ready.popleft()
        assert self.error is not None
        raise self.error

    def feed(self, data: bytes) -> None:
        if self.error is not None:
            return
        self.buf += data
        try:
            self._parse()
        except InvalidFrame as exc:
            self.error = exc
            self.buf.clear()

    def _parse(self) -> None:
        while len(self.buf) >= 4:
            size = int.from_bytes(self.buf[:4], "big")
            if size > self.max_frame:
                raise InvalidFrame(f"a frame of {size} bytes")
            if len(self.buf) < 4 + size:
                return
            payload = bytes(self.buf[4 : 4 + size])
            del self.buf[: 4 + size]
            try:
                obj = json.loads(payload.decode("ascii"), parse_constant=_reject_constant)
            except (ValueError, RecursionError) as exc:
                raise InvalidFrame("a malformed frame") from exc
            if not isinstance(obj, dict) or not _depth_ok(obj, 42):
                raise InvalidFrame("a malformed frame")
            self.ready.append(obj)


class Output:
    """The first `limit` bytes of what a request printed; the rest is counted, not kept."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        text = self.data.decode("utf-8", "replace").translate(CONTROL)
        if self.dropped:
            text += f"\n… ({self.dropped} more bytes of output not shown)"
        return text


class OutSplitter:
    """Splits the child's stdout/stderr stream at the runner's end-of-request markers.

    The runner writes a marker after each request, before its result frame, so when the
    frame for request k has arrived, everything k printed is already in the pipe, up to
    marker k.  A forged marker only misplaces the student's own output.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.current = Output(limit)
        self.tail = b""
        self.done: dict[int, Output] = {}

    def feed(self, data: bytes) -> None:
        buf = self.tail + data
        self.tail = b""
        span = len(_MARK) + 24
        while buf:
            j = buf.find(_MARK)
            if j < 0:
                z = buf.rfind(b"\x00", max(0, len(buf) - len(_MARK)))
                cut = z if z >= 0 and _MARK.startswith(buf[z:]) else len(buf)
                self.current.add(buf[:cut])
                self.tail = buf[cut:]
                return
            self.current.add(buf[:j])
            end = buf.find(b"]", j + len(_MARK), j + span)
            if end < 0:
                if len(buf) - j < span:
                    self.tail = buf[j:]
                    return
                self.current.add(buf[j : j + 1])
                buf = buf[j + 1 :]
                continue
            number = buf[j + len(_MARK) : end]
            if number.isdigit() and len(self.done) < 256:
                self.done[int(number)] = self.current
                self.current = Output(self.limit)
            buf = buf[end + 1 :]

    def take(self, k: int) -> Output:
        """The output of request k: up to its marker, or all so far if there is none."""
        out = self.done.pop(k, None)
        for stale in [j for j in self.done if j <= k]:
            del self.done[stale]
        if out is None:
            self.current.add(self.tail)
            self.tail = b""
            out, self.current = self.current, Output(self.limit)
        return out
