"""nbgrader's autograde step without a kernel: the student's notebooks run in our sandbox.

``course nbgrader`` writes an ``nbgrader_config.py`` whose ``Autograde.autograde_preprocessors``
start with :class:`GradeInSandbox` instead of nbgrader's ``Execute``, so the teacher's usual
``nbgrader autograde <assignment>`` never starts a Jupyter kernel.  For each notebook
nbgrader hands it (already sanitized: outputs cleared, locked and test cells restored from
the gradebook), this preprocessor

1. takes the student id from nbgrader (``resources["nbgrader"]["student"]``) and the course
   from the course root nbgrader is configured with (``CourseDirectory.root``: the snapshot
   ``course nbgrader`` wrote there), never from a working directory or from a submission's
   files (nbgrader copies every submitted file into autograded/);
2. reads the notebook, and the student's other notebooks of the same submission
   (``submitted/<student>/<assignment>/``, for error carried forward), with the reader
   ``grade`` uses (:mod:`grader.intake.notebooks`: code cells run one by one, as a kernel
   would, test cells left out), and runs them in one sandbox per autograde process;
3. scores every question with the checks ``grade`` uses (:mod:`grader.scoring.checks`), and
   places errors by notebook cell (:func:`grader.intake.notebooks.explain`);
4. writes each test cell's outputs so that nbgrader's SaveAutoGrades records exactly that
   score: an ``error`` output for no points, a number as the last output for partial
   credit, nothing but the feedback for full points.  The feedback is the report's own: no
   traceback, no server path, no expected value.

The test cells' own code is never run here.  Manually graded cells are left as they are.
A sandbox that cannot run is the grader's failure, not the student's: the notebook fails
and nbgrader records nothing for it (``nbgrader autograde`` exits 1; run it again).
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import json
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from grader.course.loader import load_course
from grader.course.questions import Course
from grader.grading import clean
from grader.intake import notebooks as notebook_reader
from grader.intake.submissions import Submission
from grader.sandbox import Budget, Sandbox, SandboxError
from grader.scoring import checks
from publish.nbgrader.build import AUTOGRADE_PREPROCESSORS
from reference.course.naming import grade_id
from reference.i18n import language, pick, t

# One autograde process grades a class one notebook at a time, a student's notebooks in a
# row: one sandbox (a warm fork server) for the whole process, the course loaded once, and
# the current student's run kept until the next student's.
_STATE: dict[str, Any] = {}


class GraderFailure(RuntimeError):
    """The grader could not grade (no course, no sandbox, a check that raised): never a
    student's score."""


def sandbox() -> Sandbox:
    """The process's one sandbox, started on first use, closed at exit."""
    box = _STATE.get("sandbox")
    if box is None:
        box = _STATE["sandbox"] = Sandbox()
        atexit.register(box.close)
    return box


def course_at(root: Path) -> Course:
    """The course snapshot in the course root (``root/course.yml``), loaded once a version."""
    path = root / "course.yml"
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError as err:
        raise GraderFailure(
            f"no course in the nbgrader course root {root} ({err}): run `course nbgrader --out "
            f"{root} --force`"
        ) from None
    if _STATE.get("course_key") != key:
        _STATE["course"], _STATE["course_key"] = load_course(path), key
    return _STATE["course"]


def _regular_bytes(path: Path) -> bytes | None:
    """A submitted file's bytes, or None unless it is a regular file (no symlink, no fifo)."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def read_submission(folder: Path, student: str, modules: list[str]) -> Submission:
    """The student's submitted notebooks (``<exercise>.ipynb`` only: nbgrader grades
    notebooks), read as ``grade`` reads them; nothing else in the folder is looked at."""
    sub = Submission(student, str(folder))
    for module in modules:
        data = _regular_bytes(folder / f"{module}.ipynb")
        if data is not None:
            notebook_reader.add(sub, module, len(data), functools.partial(bytes, data))
    return sub


def _stats(folder: Path, modules: list[str]) -> tuple:
    """What changes when any submitted notebook does (read once a student, not once a
    notebook)."""
    found: list[tuple] = []
    for module in modules:
        try:
            st = (folder / f"{module}.ipynb").lstat()
            found.append((module, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode))
        except OSError:
            found.append((module,))
    return tuple(found)


@dataclasses.dataclass
class _Run:
    """One student's submitted notebooks, run once in the sandbox and scored once."""

    sub: Submission
    plan: checks.Plan
    budget: Budget  # course.yml's time_budget, for all of the student's runs together
    results: dict[str, checks.Result] | None = None


def _score(course: Course, student: str, files: dict[str, str], run: _Run):
    """Every question's result for these modules: one sandbox run, ``grade``'s checks."""
    plan = run.plan
    try:
        outcomes = sandbox().run(files, plan.requests, run.budget)
    except SandboxError as err:
        raise GraderFailure(f"the sandbox could not run the student's notebooks: {err}") from err
    try:
        return {r.qid: r for r in checks.score(course, student, plan, outcomes)}
    except Exception as err:  # a check that raised: a bug of the grader's, not a score
        raise GraderFailure(f"the grader failed: {type(err).__name__}: {err}") from err


def grade_notebook(
    course: Course, folder: Path, student: str, module: str, nb: NotebookNode
) -> list[checks.Result]:
    """The results of exercise ``module``'s questions for ``student``: notebook ``nb`` (as
    nbgrader hands it) with the student's other notebooks read from ``folder``."""
    modules = [e.id for e in course.exercises]
    key = (id(course), str(folder), student, _stats(folder, modules))
    run = _STATE.get("run")
    if run is None or _STATE.get("run_key") != key:  # the next student (or files changed)
        run = _Run(
            read_submission(folder, student, modules),
            checks.plan(course, student),
            Budget(course.model.time_budget),
        )
        _STATE["run"], _STATE["run_key"] = run, key

    here = Submission(student, str(folder))
    data = json.dumps(nb, ensure_ascii=False).encode("utf-8")  # read back by the same reader
    notebook_reader.add(here, module, len(data), functools.partial(bytes, data))
    files = {m: s for m, s in run.sub.files.items() if m != module}
    if module in here.files:
        files[module] = here.files[module]
    if files == run.sub.files:  # as submitted (the usual case): one run for every notebook
        if run.results is None:
            run.results = _score(course, student, files, run)
        results = run.results
    else:  # nbgrader restored cells the student had changed: this notebook as nbgrader has it
        results = _score(course, student, files, run)

    sub = Submission(student, str(folder), files, {**run.sub.notebooks, **here.notebooks})
    mine = [
        dataclasses.replace(results[q.qid]) for q in course.exercise(module).questions if q.auto
    ]
    notebook_reader.explain(SimpleNamespace(results=mine), course, sub)  # errors by cell
    return mine


def outputs(result: checks.Result, points: float, lang: str) -> list[NotebookNode]:
    """A test cell's outputs that make nbgrader record ``result.score`` of ``points``."""
    # Student text (an exception's message, an answer) may hold a lone surrogate, on which
    # nbgrader's writer fails: made valid Unicode here, as every report of grade's is.
    feedback = clean(" ".join(pick(result.feedback, lang).split()))
    score = min(max(float(result.score), 0.0), float(points))
    head = f"{result.qid}: {score:g}/{points:g}"
    text = f"{head} — {feedback}" if feedback else head
    if score <= 0:  # an error output: nbgrader gives 0
        return [new_output("error", ename=result.qid, evalue=feedback, traceback=[text])]
    shown = [new_output("stream", name="stdout", text=text + "\n")]
    if score >= points:  # nothing but text: full points
        return shown
    # the last output, a number: nbgrader's partial credit (repr: the exact float)
    return [*shown, new_output("execute_result", data={"text/plain": repr(score)})]


class GradeInSandbox(NbGraderPreprocessor):
    """nbgrader's Execute replaced: the notebook graded in the sandbox, never in a kernel."""

    lang = Unicode("", help="The feedback's language (default: the course's first).").tag(
        config=True
    )

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        from nbgrader.coursedir import CourseDirectory

        info = resources["nbgrader"]
        student, assignment, module = info["student"], info["assignment"], info["notebook"]
        coursedir = CourseDirectory(config=self.config)
        course = course_at(Path(coursedir.root))
        lang = language(self.lang or None, course.model.languages)
        results: dict[str, checks.Result] = {}
        tests: dict[str, Any] = {}
        if module in {e.id for e in course.exercises}:
            folder = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
            results = {r.qid: r for r in grade_notebook(course, folder, student, module, nb)}
            tests = {grade_id(q, "test"): q for q in course.exercise(module).questions if q.auto}
            box = sandbox()
            if box.warning and not _STATE.get("warned"):
                _STATE["warned"] = True
                self.log.warning("%s", box.warning)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue  # manual cells, answers, prompts: as they are
            points = float(meta.get("points") or 0)
            q = tests.get(meta.get("grade_id"))
            if q is None:  # a test cell the course does not know: no kernel, no points
                self.log.warning(
                    "%s: test cell %s is not the course's", module, meta.get("grade_id")
                )
                cell.outputs = outputs(_unknown(module, meta.get("grade_id")), points, lang)
            else:
                cell.outputs = outputs(results[q.qid], points, lang)
            cell.execution_count = None
        return nb, resources


def _unknown(module: str, gid: object) -> checks.Result:
    return checks.Result(
        f"{module}:{gid}",
        0.0,
        0.0,
        "error",
        t("nbgrader.not_one_course_test_cells"),
    )


__all__ = [
    "AUTOGRADE_PREPROCESSORS",
    "GradeInSandbox",
    "GraderFailure",
    "course_at",
    "grade_notebook",
    "outputs",
    "read_submission",
    "sandbox",
]
