"""``course nbgrader --out DIR``: the course as an nbgrader course root.

::

    DIR/README.md                          for the teacher: what is here, the next steps, and
                                           the lesson's derivative table the students get
    DIR/nbgrader_config.py                 course id, root (the folder itself), timeouts, stubs,
                                           and autograde through our sandbox (no kernel)
    DIR/source/<assignment>/<exercise>.ipynb   one source notebook per exercise
    DIR/source/<assignment>/_formula_reader.py the grader's own formula reader, standard
                                           library only: the helper cell reads formulas
                                           with it (nbgrader releases it with the notebooks)
    DIR/course.yml, DIR/exercises/*.yml    a snapshot of the course the notebooks were built
                                           from: autograde grades against it, and
                                           ``grade`` run inside DIR finds it

Each source notebook is the plain notebook of :mod:`publish.notebooks` with nbgrader metadata
(schema version 3, exactly the keys nbgrader writes itself):

* the introduction, the imports, a helper cell and every prompt: read-only cells;
* every answer: an autograded-answer cell whose ``### BEGIN SOLUTION`` region holds the
  reference's answer (:func:`grader.kinds.snippets.snippet` with ``solution=True``) next to
  the blank stub, so ``nbgrader generate_assignment`` (with ``ClearSolutions.code_stub`` empty, as
  nbgrader_config.py sets it) releases exactly the blank stub plus one empty line;
* after it, an autograder-test cell worth the question's points: a public check on public
  examples, and nothing hidden.  Nothing that grades runs in a kernel: ``nbgrader
  autograde`` on this root runs :class:`publish.nbgrader.preprocessor.GradeInSandbox` in
  place of nbgrader's Execute, which grades each question in the sandbox and writes the
  test cell's outputs (the score nbgrader records, and the feedback);
* free-text questions: manually graded markdown cells.

Grade ids come from the question ids (``A.dA_dw1`` → ``A-dA_dw1-answer``, ``A-dA_dw1-test``),
so ``grade`` finds the same cells in the submitted notebooks without a kernel.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from grader.course.questions import Course, Exercise, Question
from grader.kinds import kind_of, snippets
from grader.kinds.snippets import for_notebooks, notebook_snippet
from grader.kinds.text import SOLUTION as TEXT_SOLUTION
from grader.kinds.text import Text as FreeText
from publish import embedded, public_checks
from publish.derivative_table import markdown as derivative_table
from publish.notebooks import cell_id, code_cell, dumps, markdown_cell, notebook
from publish.release import (
    READER,
    READER_IMPORT,
    ReleaseError,
    _examples,
    bundle,
    inline,
    messages,
)
from publish.release import write as write_files
from reference.course import sampling as points
from reference.course.naming import grade_id
from reference.i18n import pick, t

SCHEMA_VERSION = 3
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
# nbgrader's hidden-test markers: no cell of ours has them any more (nothing is hidden).
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CHECKS_ROLE = "checks"  # the helper cell's role in its cell id
CELL_TIMEOUT = 30  # seconds a kernel allows one cell where one runs (`nbgrader validate`)
#: nbgrader's default autograde steps with its Execute (a kernel) replaced by ours (the
#: sandbox): the course root's ``c.Autograde.autograde_preprocessors``.
AUTOGRADE_PREPROCESSORS = [
    "publish.nbgrader.preprocessor.GradeInSandbox",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
#: the formula reader shipped beside the notebooks (a name no exercise module has)
READER_FILE = "_formula_reader.py"

# The helper cell: standard library only (a student's Python has no grader).  Its checks are
# the public checks the release's check.py runs (publish/public_checks.py, copied in: the same
# verdicts in the same words, the catalogue's sentences that the cell names, written in as
# MESSAGES); here a verdict that is not a pass is an AssertionError.
# Nothing here grades: ``nbgrader autograde`` on the course root never runs this code (the
# course's preprocessor grades in the sandbox).  Should a kernel run it while autograding
# (``NBGRADER_EXECUTION`` is "autograde": a root whose nbgrader_config.py lost our
# preprocessor), every test cell fails and says why, so a kernel never hands out points.
HELPERS = """\
import hashlib
import os
import random
import sys

$public_checks

LANG = $lang
$messages


def _assert(what, check):
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        raise AssertionError($kernel)
    try:
        check()
    except NotDone:
        raise AssertionError(f"{what}: {say('status.missing')}") from None
    except Wrong as err:
        raise AssertionError(str(err)) from None


def public_example(what, call, expected, rel=1e-6, abs_=1e-9):
    \"\"\"A public example: call() must give expected (a number, or a dict of numbers).\"\"\"
    _assert(what, lambda: example(call, expected, {"rel": rel, "abs": abs_}, what))


def _load_reader():
    \"\"\"The grader's own formula reader, shipped beside the notebook; None without it.\"\"\"
    import importlib.util

    path = os.path.join(os.getcwd(), $reader_file)
    if not os.path.isfile(path):
        print($no_reader, file=sys.stderr)  # shown under the cell, stdout left to the checks
        return None
    spec = importlib.util.spec_from_file_location("_formula_reader", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.read_formula


_READER = _load_reader()


def _reading(what):
    \"\"\"check_form's read_formula for ``what``: how the grader reads it, or Wrong with the
    grader's own message.\"\"\"

    def read(text, public):
        shown, problem = _READER(text, public["args"], public["nodes"], LANG)
        if problem is not None:
            raise Wrong(f"{what}: {problem}")
        return shown

    return read if _READER is not None else None


def public_answer(what, get, form, **public):
    \"\"\"The form of an answer that is not a function (the grader checks the rest); a
    formula is read as the grader reads it.\"\"\"
    _assert(what, lambda: check_form(get(), what, {**public, "form": form}, _reading(what)))
"""

#: _formula_reader.py: the reader check.py carries (publish.release READER), as one file
READER_MODULE = '''"""The course's formula reader: the grader's own (reference/expr), carried
whole as source and imported under its own names, so the notebooks' public checks read a
formula exactly as the grader does.  Written by `course nbgrader`; standard library only."""

$embedded

$bundle
install(SOURCES)
$reader_import

FUNCTIONS = $functions


def read_formula(text, args, nodes, lang):
    """(how the grader reads ``text``, None), or (None, the reader's message in ``lang``)."""
    try:
        tree = read_answer(text, args, nodes, FUNCTIONS)
    except ExprError as err:
        return None, err.message(lang)
    return reading(tree, nodes), None
'''


def reader_module() -> str:
    """The text of _formula_reader.py."""
    from reference import table

    return (
        READER_MODULE.replace("$embedded", inline(embedded))
        .replace("$bundle", bundle(READER))
        .replace("$reader_import", READER_IMPORT)
        .replace("$functions", repr(dict(table.FUNCTIONS)))
    )


VALUES = '''

$student_values

VALUES = $values


def my_values(student_id=None):
    """Your own values: the grader uses exactly these for the numbers computed by hand."""
    student_id = student_id or os.environ.get("JUPYTERHUB_USER")
    if not student_id:
        raise ValueError(say("checks.values_id"))
    print(say("checks.values_of", student=student_id))
    values = student_values(VALUES["seed"], str(student_id), VALUES["ranges"])
    for name, value in values.items():
        print(f"    {name} = {value}")
    return values
'''

CONFIG = '''\
"""nbgrader configuration of {course_id!r}, written by `course nbgrader`."""

import os

c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))  # this folder

# The answer cells carry the blank stub next to the solution region: the region is removed
# and nothing is put in its place.
c.ClearSolutions.code_stub = {{"python": ""}}
c.ClearSolutions.text_stub = {text_stub!r}

# `nbgrader autograde` never starts a kernel: the course's preprocessor takes the place of
# nbgrader's Execute and grades each notebook in the course's sandbox (each call of a
# student's function at most {call_timeout:g} s), against the course snapshot in this folder,
# for the student nbgrader names.  The steps after it are nbgrader's own defaults.
c.Autograde.autograde_preprocessors = {preprocessors}
c.GradeInSandbox.lang = {lang!r}  # the language of the feedback in the test cells

# One cell's time limit where a kernel does run the notebooks (`nbgrader validate`).
c.ExecutePreprocessor.timeout = {timeout}

# No exchange is needed to generate, autograde and export.  To release and collect through
# JupyterHub, set c.Exchange.root (default /srv/nbgrader/exchange) as usual.
'''


class NbgraderBuildError(ReleaseError):
    """A course that cannot become an nbgrader course root."""


def nbgrader_meta(
    gid: str, grade: bool, solution: bool, locked: bool, points: float | None = None
) -> dict[str, Any]:
    """``metadata.nbgrader``, schema version 3: the keys nbgrader's own editor writes."""
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": gid,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = float(points or 0)
    return meta


def _lock(cell: dict[str, Any]) -> dict[str, Any]:
    cell["metadata"]["nbgrader"] = nbgrader_meta(cell["id"], False, False, True)
    return cell


def _nb_text(text: str, lang: str) -> str:
    """A stub's text with the .py release's instructions replaced by the notebook's."""
    release, notebook = pick(t("release.how"), lang), pick(t("nbgrader.how"), lang)
    return snippets.in_notebook(text.replace(release, notebook), lang)


def solution_source(q: Question, lang: str) -> str:
    """The answer cell of the source notebook: the blank stub and the solution region.

    Releasing removes the region and leaves one empty line: a function keeps its
    ``raise NotImplementedError`` after the region (never reached in the source notebook),
    a value keeps its blank assignment before it (overridden in the source notebook).
    """
    blank = notebook_snippet(q, lang).splitlines()
    filled = notebook_snippet(q, lang, solution=True).splitlines()
    head = 0
    while head < min(len(blank), len(filled)) and blank[head] == filled[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(blank), len(filled)) - head
        and blank[len(blank) - 1 - tail] == filled[len(filled) - 1 - tail]
    ):
        tail += 1
    prefix, suffix = blank[:head], blank[len(blank) - tail :]
    stub, answer = blank[head : len(blank) - tail], filled[head : len(filled) - tail]
    region = [BEGIN_SOLUTION, *answer, END_SOLUTION]
    middle = region + stub if q.code else stub + region
    return "\n".join(prefix + middle + suffix) + "\n"


def tests_source(q: Question, lang: str) -> str:
    """The autograder-test cell: the public check only.  Nothing hidden: the course's
    preprocessor grades the question in the sandbox and never runs this cell."""
    lines = [pick(t("nbgrader.public_check"), lang)]
    if q.code:
        tol = q.tolerance
        for example in _examples(q):
            args = ", ".join(repr(example["args"][a]) for a in q.args)
            call = f"{q.name}({args})"
            lines.append(
                f"public_example({call!r}, lambda: {call}, {example['expected']!r}, "
                f"rel={tol.rel!r}, abs_={tol.abs!r})"
            )
    else:
        public = kind_of(q).public(q)
        extra = "".join(f", {k}={v!r}" for k, v in public.items() if k not in ("form", "note"))
        lines.append(f"public_answer({q.name!r}, lambda: {q.name}, {public['form']!r}{extra})")
    return "\n".join(lines) + "\n"


def helpers_source(exercise: Exercise, lang: str) -> str:
    """The read-only helper cell: public checks, and my_values() where numbers are asked."""
    code = (
        HELPERS.replace("$lang", repr(lang))
        .replace("$kernel", repr(pick(t("nbgrader.kernel"), lang)))
        .replace("$reader_file", repr(READER_FILE))
        .replace("$no_reader", repr(pick(t("nbgrader.no_reader", reader_file=READER_FILE), lang)))
        .replace("$public_checks", inline(public_checks))
    )
    if any(kind_of(q).at_leaves for q in exercise.questions):
        model = exercise.model
        values = {
            "seed": model.seed,
            "ranges": model.leaf_ranges(),
        }
        code += VALUES.replace("$student_values", inspect.getsource(points.student_values)).replace(
            "$values", repr(values)
        )
    code = code.replace("$messages", messages(lang, code))
    return f"{pick(t('nbgrader.helpers'), lang)}\n{code}"


def source_notebook(exercise: Exercise, lang: str, table: bool = False) -> dict[str, Any]:
    """The nbgrader source notebook of one exercise (nbformat 4.5 JSON, as a dict); with
    ``table``, it opens with the lesson's derivative table (the assignment's first one)."""
    exercise = for_notebooks(exercise)
    base = notebook(exercise, lang, table=table)
    questions = {q.qid: q for q in exercise.questions}
    cells: list[dict[str, Any]] = []
    for cell in base["cells"]:
        qid = cell["metadata"].get("course", {}).get("question")
        if qid is None:  # the introduction, the imports, the prompts
            if cell["cell_type"] == "markdown":
                cell["source"] = _nb_text("".join(cell["source"]), lang).splitlines(True)
            cells.append(_lock(cell))
            if cell["id"] == cell_id(exercise.id, "imports"):
                cells.append(
                    _lock(
                        code_cell(cell_id(exercise.id, CHECKS_ROLE), helpers_source(exercise, lang))
                    )
                )
            continue
        q = questions[qid]
        course_meta = {"course": {"question": qid}}
        if not q.auto:  # the teacher's: a manually graded markdown answer
            answer = markdown_cell(grade_id(q, "answer"), TEXT_SOLUTION[lang])
            answer["metadata"] = {
                **course_meta,
                "nbgrader": nbgrader_meta(answer["id"], True, True, False, q.points),
            }
            cells.append(answer)
            continue
        answer = code_cell(grade_id(q, "answer"), solution_source(q, lang), course_meta)
        answer["metadata"]["nbgrader"] = nbgrader_meta(answer["id"], False, True, False)
        test = code_cell(
            grade_id(q, "test"), tests_source(q, lang), {"course": {"question": qid, "test": True}}
        )
        test["metadata"]["nbgrader"] = nbgrader_meta(test["id"], True, False, True, q.points)
        cells += [answer, test]
    base["cells"] = cells
    return base


def config_text(course: Course, lang: str) -> str:
    from grader.sandbox import Limits

    preprocessors = "[\n" + "".join(f"    {p!r},\n" for p in AUTOGRADE_PREPROCESSORS) + "]"
    return CONFIG.format(
        preprocessors=preprocessors,
        lang=lang,
        course_id=course.model.course,
        text_stub=FreeText.instruction[lang],
        timeout=CELL_TIMEOUT,
        call_timeout=Limits().call_timeout,
    )


def course_snapshot(course: Course, course_file: Path | None = None) -> dict[str, str]:
    """course.yml and the exercises' YAML, as the teacher wrote them (comments included)."""
    files = {"course.yml": _read(course_file or course.root / "course.yml", course)}
    for exercise in course.exercises:
        files[f"exercises/{exercise.id}.yml"] = _read(
            course.root / "exercises" / f"{exercise.id}.yml", course
        )
    hidden = course.root / "hidden"
    if hidden.is_dir():  # the teacher's custom hidden tests, for `grade` run in DIR
        for path in sorted(hidden.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[f"hidden/{path.relative_to(hidden).as_posix()}"] = _read(path, course)
    return files


def _read(path: Path, course: Course) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise NbgraderBuildError(t("nbgrader.cannot_read", path=path, err=err)) from None


def build(course: Course, lang: str, course_file: Path | None = None) -> dict[str, str]:
    """Every file of the course root: path relative to DIR → text."""
    if lang not in course.model.languages:
        raise NbgraderBuildError(
            t(
                "release.course_has_no_texts_languages",
                lang=lang,
                languages=", ".join(course.model.languages),
            ),
        )
    assignment = course.assignment
    if not assignment or not cell_id(assignment) == assignment:
        raise NbgraderBuildError(
            t("nbgrader.assignment_course_yml_not_valid", assignment=assignment),
        )
    files = {"nbgrader_config.py": config_text(course, lang), "README.md": readme(course, lang)}
    files.update(course_snapshot(course, course_file))
    for i, exercise in enumerate(course.exercises):
        nb = source_notebook(exercise, lang, table=i == 0)
        files[f"source/{assignment}/{exercise.id}.ipynb"] = dumps(nb)
    files[f"source/{assignment}/{READER_FILE}"] = reader_module()
    return files


def readme(course: Course, lang: str) -> str:
    """The root's README: what is where, the next commands, and the derivative table."""
    model = course.model
    head = pick(t("nbgrader.readme", title=model.title[lang].strip(), a=course.assignment), lang)
    return head + derivative_table(lang, model.learning_rate)


def write(files: dict[str, str], out: Path, force: bool = False) -> list[Path]:
    return write_files(files, out, force)


def summary(course: Course, out: Path, lang: str) -> str:
    a = course.assignment
    n = len(course.exercises)
    auto, manual = course.points.auto, course.points.manual
    said = t("nbgrader.summary", lang=lang, out=out, a=a, n=n, auto=auto, manual=manual)
    return pick(said, lang)
