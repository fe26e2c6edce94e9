"""Benchmark: the live round under a lecture hall's load, on loopback only.

    python3 benchmarks/bench_live.py [--teams 50] [--think 5] [--no-kill] [--no-phones]
        [--course FILE]

Starts the real command (``course serve --port 0 --db <temp file>``), reads the teacher's URL
it prints, and makes a round of ``--teams`` teams, one volunteer a node (the lesson's six:
300 volunteers for 50 teams).  A board follows the round's events (as the projector's page
does), and each volunteer's phone follows its team's, showing its own view from the news (or
reading it again), as volunteer.js does.  Every volunteer starts at once and enters their
numbers in the lesson's order (their output, their local derivatives, then dL/d(each input)),
each after a think time (exponential, mean ``--think`` seconds), the values the reference
computes at the round's point (one team in ten with a wrong one, to exercise the diagnoses).
Halfway, the server is killed (SIGKILL) and
started again on the same port and file; volunteers whose request failed send it again, the
board reconnects.  At the end the teacher's export must hold every acknowledged entry.

Prints: entries acknowledged, the request's latency and the entry-to-board latency (from the
post to the moment the board's stream shows that number), p50/p95/p99/max, outside the
restart's window, and the restart's downtime.  Never points at anything but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.course.loader import load_course  # noqa: E402
from grader.teams.entered import quantities  # noqa: E402
from reference.course.answers import answer_key  # noqa: E402

TEACHER_LINE = re.compile(r"teacher: (http://127\.0\.0\.1:(\d+))/teacher\?token=(\S+)")
POINT = {"x1": 1.0, "x2": -2.0, "x3": 0.5, "w1": 0.3, "w2": -0.1, "w3": 0.8, "gold": 1.0}


def start(course: Path, db: Path, port: int) -> tuple[subprocess.Popen, str, str]:
    """``course serve`` on loopback: the process, its base URL and the teacher's token."""
    cmd = [sys.executable, "-m", "cli.course", "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--db", str(db), "--course", str(course)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    for line in proc.stdout:
        found = TEACHER_LINE.search(line)
        if found:  # the rest (a line a round) read on, so the pipe never fills
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, found[1], found[3]
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise SystemExit("course serve printed no teacher: line")


def expected(course_path: Path, point: dict[str, float]) -> dict[tuple[str, str], float]:
    """(node, quantity) → the reference's number at ``point``, for every node's quantities."""
    model = load_course(course_path).model
    key = answer_key(model, point)
    out = {}
    for node in model.nodes:
        for quantity, (kind, arg) in quantities(model, node.name).items():
            if kind == "output":
                out[node.name, quantity] = key["values"][node.name]
            elif kind == "local":
                out[node.name, quantity] = key["local"][node.name][arg]
            else:
                out[node.name, quantity] = key["grad"][arg]
    return out


class Phone:
    """One volunteer's keep-alive HTTP/1.1 connection, written by hand: a load generator in
    one process must cost far less than the server it measures (httpx's client costs about
    what the server's whole entry does)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        return await self.request(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())

    async def post(self, path: str, body: dict) -> tuple[int, bytes]:
        data = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode()
        return await self.request(head + data)

    async def request(self, sent: bytes) -> tuple[int, bytes]:
        """Send until answered: a request lost in the restart is sent again (an entry is a
        correction of itself: the same number twice is judged the same)."""
        while True:
            try:
                if self.streams is None:
                    self.streams = await asyncio.open_connection("127.0.0.1", self.port)
                reader, writer = self.streams
                writer.write(sent)
                await writer.drain()
                status, _, answer = await _response(reader)
                if status != 429:
                    return status, answer
            except (OSError, asyncio.IncompleteReadError, ValueError):
                if self.streams is not None:
                    self.streams[1].close()
                self.streams = None
            await asyncio.sleep(0.05)


async def _response(reader: asyncio.StreamReader) -> tuple[int, dict[bytes, bytes], bytes]:
    """A response's status, headers and (non-chunked) body."""
    line = await reader.readline()
    if not line:
        raise ValueError("closed")
    status = int(line.split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        key, _, value = line.partition(b":")
        headers[key.strip().lower()] = value.strip()
    if headers.get(b"transfer-encoding") == b"chunked":
        return status, headers, b""
    return status, headers, await reader.readexactly(int(headers.get(b"content-length", 0)))


class Hall:
    """The simulated class: volunteers, a board, the server (and its restart)."""

    def __init__(self, args: argparse.Namespace, course: Path, db: Path) -> None:
        self.args, self.course, self.db = args, course, db
        self.proc, self.base, self.token = start(course, db, 0)
        self.port = int(self.base.rsplit(":", 1)[1])
        self.sent: dict[tuple, float] = {}  # (team, student, node, quantity) → first post
        self.acked: dict[tuple, tuple[float, float]] = {}  # → (value, when acknowledged)
        self.seen: dict[tuple, float] = {}  # → when the board first showed that number
        self.down: tuple[float, float] | None = None
        self.done = asyncio.Event()
        self.views = 0  # the phones' readings of their own view
        self.shown = 0  # … and the views that came with their team's news

    async def volunteer(self, round_id, team, student, node, truth, wrong) -> None:
        phone = Phone(self.port)
        for quantity in [q for (n, q) in truth if n == node]:
            await asyncio.sleep(random.expovariate(1.0 / self.args.think))
            value = truth[node, quantity] + (0.5 if wrong and quantity == node else 0.0)
            body = {"student": student, "node": node, "quantity": quantity, "value": value}
            key = (team, student, node, quantity)
            self.sent[key] = time.monotonic()
            status, answer = await phone.post(f"/api/rounds/{round_id}/entries", body)
            assert status == 200, answer
            now = time.monotonic()
            self.acked[key] = (value, now)

    async def follow(self, path: str, heard: Callable[[str], None]) -> None:
        """A page's event stream (chunked), reopened as EventSource does until the end."""
        while not self.done.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                await _response(reader)
                buffer = b""
                while size := int((await reader.readline()).strip() or b"0", 16):
                    buffer += (await reader.readexactly(size + 2))[:-2]
                    *frames, buffer = buffer.split(b"\n\n")
                    for frame in frames:
                        heard(frame.decode())
            except (OSError, asyncio.IncompleteReadError, ValueError):
                await asyncio.sleep(0.05)

    async def board(self, round_id: str) -> None:
        """The projector: every team's news."""
        await self.follow(f"/api/rounds/{round_id}/events", self.frame)

    async def phone(self, round_id: str, team: str, student: str) -> None:
        """A volunteer's page, as volunteer.js does: it follows its team's events, shows its
        own view from each (reads it again when the news has none: one reading at a time;
        news meanwhile asks for one more)."""
        reader = Phone(self.port)
        wanted = asyncio.Event()

        async def read_again() -> None:
            while not self.done.is_set():
                await wanted.wait()
                wanted.clear()
                status, _ = await reader.get(f"/api/rounds/{round_id}/me?student={student}")
                assert status == 200
                self.views += 1

        task = asyncio.create_task(read_again())
        try:
            path = f"/api/rounds/{round_id}/events?team={team}"

            def heard(frame: str) -> None:
                data = frame.split("\ndata: ", 1)[-1]
                if f'"{student}": [' in data:  # its view came with the news
                    self.shown += 1
                else:
                    wanted.set()

            await self.follow(path, heard)
        finally:
            task.cancel()

    def frame(self, text: str) -> None:
        name, data = None, None
        for line in text.split("\n"):
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
        if data is not None:
            self.saw(name, data)

    def saw(self, name: str | None, data: dict) -> None:
        now = time.monotonic()
        teams = data["teams"] if name == "board" else [data]
        for team in teams:
            for link in team["links"]:
                if link["value"] is not None:
                    key = (team["team"], link["student"], link["node"], link["quantity"])
                    self.seen.setdefault(key, now)

    async def kill_and_restart(self) -> None:
        """Halfway through: SIGKILL the server, start it again on the same port and file."""
        total = len(self.truth_keys)
        while len(self.acked) < total // 2:
            await asyncio.sleep(0.01)
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc, _, _ = await asyncio.to_thread(start, self.course, self.db, self.port)
        self.down = (t0, time.monotonic())

    async def run(self, teams: int) -> None:
        truth = expected(self.course, POINT)
        nodes = list(dict.fromkeys(n for n, _ in truth))
        roster = [
            {"team": f"team{k:02d}", "student": f"t{k:02d}-{node}", "node": node}
            for k in range(teams)
            for node in nodes
        ]
        self.truth_keys = [
            (r["team"], r["student"], r["node"], q)
            for r in roster
            for (n, q) in truth
            if n == r["node"]
        ]
        headers = {"authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as http:
            made = await http.post(
                "/api/rounds", headers=headers, json={"at": POINT, "teams": roster}
            )
            round_id = made.json()["round"]
            board = asyncio.create_task(self.board(round_id))
            phones = [
                asyncio.create_task(self.phone(round_id, r["team"], r["student"]))
                for r in roster
                if not self.args.no_phones
            ]
            await asyncio.sleep(0.5)
            tasks = [
                self.volunteer(round_id, r["team"], r["student"], r["node"], truth, k % 60 == 3)
                for k, r in enumerate(roster)
            ]
            if not self.args.no_kill:
                tasks.append(self.kill_and_restart())
            t0 = time.monotonic()
            await asyncio.gather(*tasks)
            self.elapsed = time.monotonic() - t0
            await asyncio.sleep(1.0)  # the last events
            self.done.set()
            board.cancel()
            for task in phones:
                task.cancel()
            export = await http.get(f"/api/rounds/{round_id}/export", headers=headers)
        self.check(export.text.splitlines())

    def check(self, lines: list[str]) -> None:
        """Every acknowledged entry is in the export, with its number."""
        kept = {}
        for line in lines:
            obj = json.loads(line)
            for q in obj.get("questions", []):
                node, quantity = q["id"].split(".", 1)
                kept[obj["team"], obj["student"], node, quantity] = q["value"]
        lost = [k for k, (v, _) in self.acked.items() if kept.get(k) != v]
        print(
            f"entries: {len(self.truth_keys)} sent, {len(self.acked)} acknowledged, "
            f"{len(lost)} lost"
        )
        assert not lost, lost[:5]


def cpu_seconds(pid: int) -> float:
    """The process's user and system CPU time so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentiles(xs: list[float]) -> str:
    xs = sorted(xs)
    if not xs:
        return "none"
    q = statistics.quantiles(xs, n=100, method="inclusive")
    shown = ", ".join(f"p{p} {1000 * q[p - 1]:.1f} ms" for p in (50, 95, 99))
    return f"{shown}, max {1000 * xs[-1]:.1f} ms ({len(xs)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--think", type=float, default=5.0, help="seconds between entries")
    parser.add_argument("--no-kill", action="store_true", help="no restart mid-round")
    parser.add_argument(
        "--no-phones", action="store_true", help="volunteers post only (no page following)"
    )
    parser.add_argument("--course", type=Path, default=ROOT / "course.yml")
    args = parser.parse_args()
    random.seed(1)
    with tempfile.TemporaryDirectory() as tmp:
        hall = Hall(args, args.course.resolve(), Path(tmp) / "rounds.sqlite3")
        try:
            asyncio.run(hall.run(args.teams))
            cpu = cpu_seconds(hall.proc.pid)
        finally:
            hall.proc.kill()
    window = hall.down or (float("inf"), float("inf"))
    outside = [k for k in hall.acked if not (window[0] - 1 <= hall.sent[k] <= window[1] + 1)]
    board = [hall.seen[k] - hall.sent[k] for k in outside if k in hall.seen]
    print(
        f"{args.teams} teams, {args.teams * 6} volunteers, think {args.think} s: "
        f"{len(hall.acked)} entries in {hall.elapsed:.1f} s "
        f"({len(hall.acked) / hall.elapsed:.0f} a second)"
    )
    acked = [hall.acked[k][1] - hall.sent[k] for k in outside]
    print(f"acknowledged (outside the restart): {percentiles(acked)}")
    print(f"entry to board (outside the restart): {percentiles(board)}")
    print(f"the phones read their own view {hall.views} times, got it with the news {hall.shown}")
    missing = [k for k in hall.acked if k not in hall.seen]
    print(f"on the board: {len(hall.acked) - len(missing)} of {len(hall.acked)}")
    if hall.down:
        print(f"restart: the server was down {1000 * (hall.down[1] - hall.down[0]):.0f} ms")
    if not hall.down:
        print(f"the server's CPU: {1000 * cpu / len(hall.acked):.1f} ms an entry")
    load = os.getloadavg()[0]
    print(f"load average {load:.2f}")


if __name__ == "__main__":
    main()
