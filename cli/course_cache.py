"""A loaded course kept between runs, keyed by its content: one student's ``grade`` unpickles it
in milliseconds instead of parsing and checking every YAML file again.

The key is a digest of what a loaded course is made of: course.yml and the exercise files
(their bytes), where the course is, and the code that builds it (the package's files, by size
and modification time).  The cache is the teacher's own (``$XDG_CACHE_HOME`` or
``~/.cache``), written by this tool only; nothing from a submission is ever read as it.  Any
trouble with it (unwritable, stale, corrupt) just means loading the course the usual way.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader import speed
from grader.course.loader import load_course
from grader.course.questions import Course
from reference.table import TABLE, Entry

_PACKAGES = ("reference", "grader", "publish")  # the code a loaded Course is built by
_OFF = "BACKPROP_COURSE_CACHE"  # set to "off" to load every time


def load(course_file: Path, display: str) -> Course:
    """``load_course(course_file, display)``, from the cache when the course is unchanged."""
    if os.environ.get(_OFF, "").lower() in ("0", "off", "no"):
        speed.note("course cache", "off")
        return load_course(course_file, display)
    try:
        file = _folder() / f"{_key(course_file, display)}.pickle"
    except OSError:  # unreadable: load_course says what is wrong
        return load_course(course_file, display)
    try:
        course = _Unpickler(io.BytesIO(file.read_bytes())).load()
        if isinstance(course, Course):
            speed.note("course cache", "hit")
            return course
    except Exception:  # absent, stale or corrupt: load it, and keep it for next time
        pass
    course = load_course(course_file, display)
    _derive(course)
    _save(course, file)
    speed.note("course cache", "miss: loaded, then saved")
    return course


def _derive(course: Course) -> None:
    """What grading computes from the course alone, once, to be cached with it."""
    from grader.intake.routes import blanks

    try:
        blanks(course)
    except Exception:  # computed again when grading needs it, and failing there if it must
        course.derived.clear()


def _folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "backprop-course" / "courses"


def _key(course_file: Path, display: str) -> str:
    h = hashlib.sha256()

    def add(*parts: Any) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogateescape")
            h.update(hashlib.sha256(data).digest())

    add(sys.version, display, course_file.resolve(), course_file.read_bytes())
    folder = course_file.parent / "exercises"
    if folder.is_dir():
        for f in sorted(folder.iterdir()):
            if f.is_file():
                add(f.name, f.read_bytes())
    root = Path(__file__).resolve().parents[1]
    for package in _PACKAGES:
        for name, st in _code_files(str(root / package), package):
            add(name, st.st_size, st.st_mtime_ns)
    return h.hexdigest()[:32]


def _code_files(folder: str, name: str) -> list[tuple[str, os.stat_result]]:
    """Every file under ``folder`` but bytecode, as (its path under the package root, its
    stat), sorted: os.scandir's entries, not pathlib's rglob (a third of the time)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found += _code_files(entry.path, f"{name}/{entry.name}")
            elif entry.is_file():
                found.append((f"{name}/{entry.name}", entry.stat()))
    return sorted(found, key=lambda item: item[0])


def _save(course: Course, file: Path) -> None:
    try:
        folder = file.parent
        folder.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(course)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(buffer.getvalue())
        os.replace(tmp, file)
    except Exception:  # no cache this time: nothing else changes
        return


# The derivative table's rows hold functions (lambdas) pickle cannot store: they are written as
# their names in the table and read back as the very rows of this process's table.
_NAMES = {id(entry): name for name, entry in TABLE.items()}


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is Entry:
            return ("table", _NAMES[id(obj)])
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        kind, name = pid
        if kind != "table":
            raise pickle.UnpicklingError(f"unknown reference {kind!r}")
        return TABLE[name]
