"""Benchmark of a hostile zip at the door (run by hand, not by the test suite).

    python3 benchmarks/bench_zip.py [ENTRIES] [--base DIR]

Writes a class of one submission: a zip of ENTRIES (default 1,000,000) empty stored files,
about 100 MB, the shape of a zip bomb by count; then runs the real ``grade`` command on it
and reports the wall time and the largest resident memory of the command's process tree
(``ru_maxrss`` of the children).  ``--base DIR``: a checkout of an earlier version, run the
same way before this one.  The zip is written directly (headers packed with ``struct``), so
making it takes seconds, not the minutes ``zipfile`` would.
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_many(path: Path, entries: int) -> None:
    """A valid zip of ``entries`` empty stored files ``f0000000.txt`` …"""
    crc = zlib.crc32(b"")
    central = bytearray()
    with path.open("wb") as out:
        offset = 0
        chunk = bytearray()
        for i in range(entries):
            name = f"f{i:07d}.txt".encode()
            local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, 0, 0, len(name), 0)
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50, 20, 20, 0, 0, 0, 0, crc, 0, 0, len(name), 0, 0, 0, 0, 0, offset,
            ) + name  # fmt: skip
            chunk += local + name
            offset += len(local) + len(name)
            if len(chunk) > 1 << 20:
                out.write(chunk)
                chunk.clear()
        out.write(chunk)
        out.write(central)
        count = min(entries, 0xFFFF)
        if entries > 0xFFFF or offset > 0xFFFFFFFF:  # zip64: the real count in its record
            record = offset + len(central)
            fields = (0x06064B50, 44, 45, 45, 0, 0, entries, entries, len(central), offset)
            out.write(struct.pack("<IQHHIIQQQQ", *fields))
            out.write(struct.pack("<IIQI", 0x07064B50, 0, record, 1))
            count = 0xFFFF
        sizes = (min(len(central), 0xFFFFFFFF), min(offset, 0xFFFFFFFF))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, *sizes, 0))


def run(tree: Path, group: Path) -> tuple[float, float, str]:
    """``grade GROUP`` from the checkout ``tree``: wall seconds, peak MB, its last line."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    course = tree / "tests" / "courses" / "lesson" / "course.yml"
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(wall, peak, (p.stdout + p.stderr).strip().splitlines()[-1:])\n"
    )
    cmd = [sys.executable, "-m", "cli.grade", str(group), "--course", str(course)]
    out = subprocess.run(
        [sys.executable, "-c", script, *cmd],
        capture_output=True, text=True, env=env, cwd=tree, check=True,
    ).stdout.split(" ", 2)  # fmt: skip
    return float(out[0]), float(out[1]), out[2].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("entries", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--base", type=Path, help="an earlier checkout, run first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        group = Path(tmp) / "class"
        group.mkdir()
        zipped = group / "anna.zip"
        t = time.perf_counter()
        write_many(zipped, args.entries)
        size = zipped.stat().st_size / 1e6
        took = time.perf_counter() - t
        print(f"{args.entries:,} entries, {size:.0f} MB, written in {took:.1f} s")
        trees = ([("base", args.base)] if args.base else []) + [("now", ROOT)]
        for label, tree in trees:
            wall, peak, last = run(tree.resolve(), group)
            print(f"{label:>5}: {wall:6.2f} s, peak {peak:6.0f} MB  {last}")


if __name__ == "__main__":
    main()
