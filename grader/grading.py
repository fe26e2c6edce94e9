"""Grade submissions: one at a time, or a class in parallel, resumable, never stopping.

Each worker process loads the course once and keeps one sandbox (a warm fork server) for
all the submissions it grades.  A submission that breaks anything, the sandbox included,
gets an error report of its own; the others go on.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing.util
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.hidden.plugin import run_hidden_tests
from grader.intake import notebooks as notebook_reader
from grader.intake.identity import Identity
from grader.intake.submissions import Submission, read
from grader.sandbox import Sandbox
from grader.scoring import checks
from reference.course.exercises import Course
from reference.i18n import Text, pick, same


@dataclass
class Report:
    """One submission's grade, in both languages until a report picks one."""

    submission: str
    student: str
    digest: str
    results: list[checks.Result]
    problems: list[Text]
    warning: str = ""  # the sandbox's, when its isolation is weaker than namespaces

    @property
    def score(self) -> float:
        return round(sum(r.score for r in self.results), 6)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_score for r in self.results), 6)

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "submission": self.submission,
            "student": self.student,
            "digest": self.digest,
            "score": self.score,
            "max_score": self.max_score,
            "questions": [r.as_json(lang) for r in self.results],
            "problems": [pick(p, lang) for p in self.problems],
        }


def grade_batch(course: Course, sandbox: Sandbox, subs: list[Submission]) -> list[Report]:
    """Run the hidden tests (one pytest session) on a batch of submissions."""
    session = run_hidden_tests(course, sandbox, subs)
    extra = [same(p) for p in session.problems]
    reports = [
        Report(s.path, s.id, s.digest, session.ordered(s), [*s.problems, *extra], sandbox.warning)
        for s in subs
    ]
    for report, sub in zip(reports, subs):  # notebooks: errors by cell, lost or retyped cells
        notebook_reader.explain(report, course, sub)
    return reports


# --- a class, in parallel -------------------------------------------------------------------

_WORKER: dict[str, Any] = {}
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this pool worker when ``grade`` ends, even by SIGKILL (Linux's parent-death
    signal): an orphaned worker would keep its sandbox server and grade for nobody."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # grade died before the signal was armed
        os._exit(1)


def _init(course: Course, parent: int | None = None) -> None:
    if parent is not None:
        _die_with(parent)
    _WORKER["course"] = course
    _WORKER["sandbox"] = sandbox = Sandbox()
    # A pool worker ends without atexit handlers; multiprocessing's finalizers do run.
    multiprocessing.util.Finalize(sandbox, sandbox.close, exitpriority=10)


def _work(
    paths: list[str], modules: frozenset[str], ids: dict[str, Identity] | None = None
) -> list[Report]:
    course, sandbox = _WORKER["course"], _WORKER["sandbox"]
    subs = [read(Path(p), set(modules), (ids or {}).get(p)) for p in paths]
    return grade_batch(course, sandbox, subs)


def previous(json_path: Path | None) -> dict[str, dict[str, Any]]:
    """Reports an earlier (perhaps interrupted) run wrote, by submission path."""
    done: dict[str, dict[str, Any]] = {}
    if json_path is None or not json_path.is_file():
        return done
    for line in json_path.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut by an interruption
        if isinstance(obj, dict) and "submission" in obj and "digest" in obj:
            done[obj["submission"]] = obj
    return done


def grade_many(
    course: Course,
    paths: list[Path],
    workers: int | None = None,
    ids: dict[str, Identity] | None = None,
) -> Iterator[Report]:
    """Reports as batches finish (not in order); one pool worker per core.  ``ids``: str(path)
    → whose submission it is (grader.intake.identity.identify_all), else found from the path.

    Batches amortise pytest's start-up; they stay small enough (at most 8) that the
    progress bar moves and an interruption loses little.
    """
    modules = frozenset(e.id for e in course.exercises)
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths)))
    size = max(1, min(8, len(paths) // (workers * 4)))
    batches = [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]
    if workers == 1:
        _init(course)
        try:
            for batch in batches:
                yield from _work(batch, modules, ids)
        finally:
            _WORKER.pop("sandbox").close()
        return
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(course, os.getpid())) as pool:
        pending = {
            pool.submit(_work, b, modules, {p: ids[p] for p in b if p in ids} if ids else None): b
            for b in batches
        }
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                batch = pending.pop(future)
                try:
                    yield from future.result()
                except Exception as err:  # a worker died: this batch only
                    for path in batch:
                        yield _crashed(course, Path(path), err)


def _crashed(course: Course, path: Path, err: BaseException) -> Report:
    msg = {
        "en": f"grading failed for this submission: {type(err).__name__}: {err}",
        "ru": f"проверка этой работы не удалась: {type(err).__name__}: {err}",
    }
    results = [
        checks.Result(q.qid, 0.0, q.points, "error", msg) for q in course.questions if q.auto
    ]
    return Report(str(path), path.stem, "", results, [])


def unchanged(
    paths: Iterable[Path],
    done: dict[str, dict[str, Any]],
    modules: set[str],
    ids: dict[str, Identity] | None = None,
) -> tuple[list[Path], list[dict[str, Any]]]:
    """Split into submissions to grade and earlier reports still valid (same id and files)."""
    todo, kept = [], []
    for path in paths:
        old = done.get(str(path))
        if (
            old is not None
            and old["digest"] == read(path, modules, (ids or {}).get(str(path))).digest
        ):
            kept.append(old)
        else:
            todo.append(path)
    return todo, kept
