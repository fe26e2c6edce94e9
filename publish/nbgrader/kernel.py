"""What the hidden test cells of the nbgrader notebooks call, inside nbgrader's kernel.

A hidden test is one line, ``check("A.dA_dw1", globals(), lang="ru")``: it holds no answer,
so nbgrader showing hidden tests in autograded and feedback notebooks (#917, #1363) shows
nothing worth having.  ``check`` grades one question exactly as ``grade`` does:

1. the points come from :func:`grader.scoring.checks.plan`, seeded by the student's id, which is the
   folder nbgrader runs the notebook in (``autograded/<student>/<assignment>/``; anywhere
   else, e.g. the source notebook, the id is ``solution``, whose values the source notebook's
   numbers are computed at);
2. the student's names are read from the kernel's namespace and their functions called
   first, each call under a time limit, every result converted to float / plain JSON by
   the sandbox's own code (``grader.sandbox.evaluate``: exact types, so an object with a
   rigged ``__eq__`` or ``__float__`` is refused) and checked again as the sandbox's
   parent does;
3. only then does :mod:`grader.scoring.checks` compute the reference and score the question.  Values
   from another exercise's notebook (the chain's error carried forward needs the student's
   own local derivatives) are read from the student's submitted notebooks and run in the
   sandbox, like ``grade`` does.

The cell's last output is the score, which nbgrader takes as partial credit (#974); a
question that earns nothing raises :class:`QuestionFailed` with the feedback, so nbgrader
gives 0 and the student reads why.  Warnings and anything the student's code prints are
swallowed: nbgrader zeroes a cell that writes to stderr.

nbgrader runs student code in its kernel without isolation: this keeps rigged values and
frame inspection from helping (nothing is computed from the reference before the student's
code has returned), but a student's code can still reach the grader's objects in its own
process.  ``grade`` runs the same notebooks in the sandbox.
"""

from __future__ import annotations

import contextlib
import io
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from grader.sandbox import (
    Budget,
    InvalidFrame,
    Limits,
    Outcome,
    Request,
    Sandbox,
    SandboxError,
    evaluate,
    outcome_of,
    time_limited,
)
from grader.scoring import checks
from publish.stubs import SOLUTION_STUDENT
from reference.course.exercises import Course, Question, load_course
from reference.course.locate import find_course
from reference.i18n import language

LIMITS = Limits()
_CACHE: dict[str, Any] = {}


class QuestionFailed(Exception):
    """The question earned no points; the message is the feedback."""


def check(qid: str, namespace: dict[str, Any], lang: str | None = None) -> float:
    """Grade question ``qid`` from the student's names in ``namespace``; its score, or raise."""
    __tracebackhide__ = True
    course = _course()
    lang = language(lang, course.model.languages)
    with _quiet():
        q, result = grade_question(course, qid, namespace, student_id())
    feedback = " ".join(result.feedback.get(lang, "").split())
    if result.score <= 0:
        head = f"{q.qid}: 0/{q.points:g}"
        _fail(f"{head} — {feedback}" if feedback else head)
    if feedback:
        print(feedback)
    return float(result.score)


def _fail(message: str) -> None:
    raise QuestionFailed(message)


def student_id(folder: Path | None = None) -> str:
    """The student nbgrader runs this notebook for: ``…/autograded/<student>/<assignment>``."""
    folder = folder or Path.cwd()
    if folder.parent.parent.name in ("autograded", "submitted") and folder.parent.name:
        return folder.parent.name
    return SOLUTION_STUDENT


def _course() -> Course:
    """The course nearest the notebook (the snapshot `course nbgrader` wrote), loaded once."""
    path = find_course(None)
    key = f"{path}:{path.stat().st_mtime_ns}"
    if _CACHE.get("key") != key:
        _CACHE.update(key=key, course=load_course(path), plans={})
    return _CACHE["course"]


@contextlib.contextmanager
def _quiet():
    """No warning, no output: nbgrader zeroes a cell that writes to stderr."""
    sink = io.StringIO()
    with (
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
        contextlib.redirect_stdout(sink),
        contextlib.redirect_stderr(sink),
    ):
        warnings.simplefilter("ignore")
        yield


def grade_question(
    course: Course, qid: str, namespace: dict[str, Any], student: str, folder: Path | None = None
) -> tuple[Question, checks.Result]:
    """One question's Result, the student's functions called in this process first."""
    q = course.by_qid.get(qid)
    if q is None or not q.auto:
        raise KeyError(f"the course has no autograded question {qid!r}")
    plans = _CACHE.setdefault("plans", {})  # one kernel grades one student's notebook
    if plans.get((id(course), student), (None,))[0] is not course:
        plans[(id(course), student)] = (course, checks.plan(course, student))
    p = plans[(id(course), student)][1]
    own, other = _requests(course, q, p)
    outcomes = _Outcomes(p.requests, course, student, folder, other)
    # One budget for the student's whole notebook (every check cell), as `grade` has.
    budgets = _CACHE.setdefault("budgets", {})
    budget = budgets.setdefault((id(course), student), Budget(course.model.time_budget))
    # The student's code runs before anything is computed from the reference.
    _call_all(p.requests, own, namespace, outcomes.have, budget)
    try:
        result = checks.score_question(course, student, q, p, outcomes)
    except Exception as err:  # as checks.score does: a grader bug costs this question only
        result = checks.Result(
            q.qid,
            0.0,
            q.points,
            "error",
            {
                "en": f"internal grader error ({type(err).__name__}: {err}); please tell the "
                "teacher",
                "ru": f"внутренняя ошибка проверки ({type(err).__name__}: {err}); сообщите учителю",
            },
        )
    return q, result


def _requests(course: Course, q: Question, p: checks.Plan) -> tuple[list[int], list[int]]:
    """The plan's requests question ``q`` reads: in its own notebook, and in others."""
    if q.kind != "function":
        wanted = [p.ask(q.exercise, q.name, None, checks.EXPECT[q.kind])]
    else:
        point = p.points[q.qid]
        expect = "numbers" if q.target.what == "backward" else "number"
        wanted = p.calls(q.exercise, q.name, point, q.args, expect)
        for lq, lpoint in p.links[q.qid]:
            wanted += p.calls(lq.exercise, lq.name, lpoint, lq.args, "number")
    wanted = list(dict.fromkeys(wanted))
    own = [i for i in wanted if p.requests[i].module == q.exercise]
    return own, [i for i in wanted if p.requests[i].module != q.exercise]


class _Outcomes:
    """The outcomes ``checks.score_question`` indexes: this notebook's, computed before
    scoring, and other notebooks' (read from the submission, run in the sandbox) only when
    asked for."""

    def __init__(
        self,
        requests: list[Request],
        course: Course,
        student: str,
        folder: Path | None,
        other: list[int],
    ):
        self.requests, self.course, self.student, self.folder = requests, course, student, folder
        self.have: dict[int, Outcome] = {}
        self.other = other

    def __getitem__(self, i: int) -> Outcome:
        if i not in self.have and i in self.other:
            self._run_others()
        got = self.have.get(i)
        return got if got is not None else Outcome("error", error="not asked for")

    def __len__(self) -> int:
        return len(self.requests)

    def _run_others(self) -> None:
        from grader.intake.submissions import read

        folder = submission_folder(self.student, self.folder)
        modules = {e.id for e in self.course.exercises}
        reqs = [self.requests[i] for i in self.other]
        try:
            sub = read(folder, modules) if folder else None
            with Sandbox() as sandbox:
                got = sandbox.run(sub.files if sub else {}, reqs)
        except (SandboxError, OSError) as err:
            got = [Outcome("error", error=f"cannot run the other notebooks: {err}")] * len(reqs)
        self.have.update(zip(self.other, got))


def submission_folder(student: str, folder: Path | None = None) -> Path | None:
    """The student's submitted notebooks: ``<root>/submitted/<student>/<assignment>`` next to
    ``<root>/autograded/<student>/<assignment>`` (the kernel's folder), else that folder."""
    here = folder or Path.cwd()
    submitted = here.parent.parent.parent / "submitted" / student / here.name
    if here.parent.parent.name == "autograded" and submitted.is_dir():
        return submitted
    return here


# --- calling the student's code, like the sandbox's runner does ----------------------------


def _call_all(
    requests: list[Request],
    indices: list[int],
    namespace: dict[str, Any],
    out: dict[int, Outcome],
    budget: Budget | None = None,
) -> None:
    timed_out: set[tuple[str, str]] = set()
    budget = budget or Budget(float("inf"))
    for i in indices:
        r = requests[i]
        if (r.module, r.name) in timed_out:  # an endless loop costs one timeout, not one a point
            out[i] = Outcome("timeout")
            continue
        if budget.left <= 0:
            out[i] = budget.outcome()
            continue
        with budget.running() as end:
            frame, timeout = time_limited(
                lambda r=r: evaluate(namespace, r, LIMITS.max_value_bytes),
                max(0.001, min(LIMITS.call_timeout, end - time.monotonic())),  # 0: no limit
            )
        if timeout and budget.left <= 0:
            out[i] = budget.outcome()
        elif timeout:
            timed_out.add((r.module, r.name))
            out[i] = Outcome("timeout")
        else:
            out[i] = _outcome(frame, r)


def _outcome(frame: dict[str, Any] | None, r: Request) -> Outcome:
    """An Outcome from a result frame, checked as the sandbox's parent checks it."""
    try:
        got = outcome_of(frame or {}, r.expect, LIMITS.max_value_bytes)
    except InvalidFrame:
        return Outcome("error", error="an invalid value")
    if got.status == "ok":
        return got
    text = {
        lang: words.replace(f"{r.module}.py has no", f"{r.module}.ipynb has no").replace(
            f"в {r.module}.py нет", f"в {r.module}.ipynb нет"
        )
        for lang, words in got.message.items()
    }
    return Outcome(got.status, error=text.get("en", got.error), text=text)
