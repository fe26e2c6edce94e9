"""Reading submitted notebooks without a kernel: an ``<exercise>.ipynb`` becomes ``<exercise>.py``.

A notebook is untrusted JSON: it is read with limits (size, cells, code), and anything that is
not a notebook costs a clear problem, never a crash.  Nothing in it is run here: its code
cells become the source of a module that the sandbox imports like a ``.py`` stub.

How cells become code and how they run is :mod:`grader.intake.cells`, the one reading the
student's own ``check.py`` shares: each cell on its own, like a kernel, test cells left out,
magics read, line ``n`` of cell ``k`` as module line ``k * LINES + n`` (printed back as
"cell k, line n" by :func:`explain`).

Answer cells are known by their nbgrader ``grade_id`` and by ``metadata.course.question``.
:func:`explain` compares a submission's cells with the course and tells the student, on the
question concerned, about an answer cell deleted, duplicated or retyped (copied into a new
cell without its metadata), and about deleted or duplicated test cells, which nbgrader
itself grades differently (#1083).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from grader.intake.cells import (  # noqa: F401  (python_source: part of this module's API)
    LINES,
    MAX_CELLS,
    MAX_NOTEBOOK,
    Cell,
    Unreadable,
    python_source,
    read_cells,
    run_cells,
    runnable,
)
from grader.sandbox import MAX_SOURCE_BYTES
from reference.catalogue import template
from reference.course.naming import grade_id
from reference.i18n import FALLBACK, LANGUAGES, BilingualError, Text, join, pick, t


class NotebookError(BilingualError):
    """A file that cannot be read as a notebook, with the reason in every language."""

    def __init__(self, text: Text):
        super().__init__(text)

    @property
    def text(self) -> Text:
        """The reason, in every language."""
        return self.problems[0].text


def parse(data: bytes, name: str) -> list[Cell]:
    """The cells of a notebook file's bytes, or NotebookError saying what is wrong."""
    try:
        return read_cells(data)
    except Unreadable as err:
        raise NotebookError(_unreadable(err, name)) from None


def _unreadable(err: Unreadable, name: str) -> Text:
    """Why notebook ``name`` cannot be read."""
    f = err.fields
    if err.reason == "too_large":
        return t("intake.notebook_too_large", name=name, max_notebook=MAX_NOTEBOOK >> 20)
    if err.reason == "not_utf8":
        return t("intake.notebook_not_utf8", name=name)
    if err.reason == "bad_json":
        return t(
            "intake.notebook_bad_json",
            name=name,
            line=f["line"],
            column=f["column"],
            msg=f["msg"],
        )
    if err.reason == "too_deep":
        return t("intake.notebook_too_deep", name=name)
    if err.reason == "huge_number":
        return t("intake.notebook_huge_number", name=name)
    if err.reason == "too_many_cells":
        return t("intake.notebook_too_many_cells", name=name, max_cells=MAX_CELLS)
    if err.reason == "damaged_cell":
        return t("intake.notebook_damaged_cell", name=name, cell=f["cell"])
    if f.get("old"):
        return t("intake.notebook_old_format", name=name)
    return t("intake.notebook_not_format_4", name=name)


# --- the module a notebook becomes ---------------------------------------------------------


def _source_of(function: Callable) -> str:
    """A top-level function's source, cut from its file by its first line: what
    ``inspect.getsource`` gives, without tokenizing the file (milliseconds of every start)."""
    code = function.__code__
    try:
        lines = Path(code.co_filename).read_text(encoding="utf-8").splitlines(True)
    except (OSError, UnicodeDecodeError):
        return inspect.getsource(function)
    start = end = code.co_firstlineno - 1
    end += 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t") or not lines[end].strip()):
        end += 1  # the body: indented lines, and the blank lines between them
    return "".join(lines[start:end]).rstrip() + "\n"


def _json(value: str | tuple[str, ...]) -> str:
    """``value`` (a cell's code, or its names) as JSON with no ``'`` (each one written
    ``\\u0027``) and no surrogate (which UTF-8 cannot carry: each one escaped), so that it sits
    verbatim in a raw triple-quoted string (:func:`_read_back`)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("'", "\\u0027")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


@functools.lru_cache(maxsize=256)  # the setup cell and the blank answers: in every notebook
def _code(code: str) -> tuple[int, str]:
    """A cell's code in the module: its JSON, and how many lines down its entry starts (the
    lines it took in the module as it was written before: a comment, then the code raw on as
    many lines as it has, or repr'd on one), so that the loader's lines stay where they were
    (an error raised for a cell that could not compile, a NUL in it, is placed on one)."""
    raw = _RAW_SAFE.fullmatch(code) and "'''" not in code and not code.endswith("'")
    return 2 + (code.count("\n") if raw else 0), _json(code)


# What a raw triple-quoted literal held as it is: printable ASCII, tabs and line breaks
_RAW_SAFE = re.compile(r"[\n\t\x20-\x5b\x5d-\x7e]*")


def _read_back(text: str) -> str:
    """The Python expression that reads JSON ``text`` (from :func:`_json`) back: a raw
    triple-quoted string compiles as one token, its escapes unread (a module of repr'd cells
    took the sandbox three times as long to compile), and json's C reader takes it apart."""
    return f"__import__('json').loads(r'''{text}''')"


# The module's runner: the one cell runner's own source, compiled once a process (kept in
# ``sys`` like the cells' code: a student's nine notebooks, one runner), then its call.
RUNNER = _source_of(run_cells)
LOADER = f"""

_RUNNER = {_read_back(_json(RUNNER))}


def _runner():
    import sys

    run = sys.__dict__.get("_notebook_cells_runner")
    if not callable(run):
        namespace = {{}}
        exec(compile(_RUNNER, "<notebook cells>", "exec", dont_inherit=True), namespace)
        run = sys.__dict__["_notebook_cells_runner"] = namespace["run_cells"]
    return run


_FAILED = _runner()(_CELLS, globals(), __file__, _LINES)


def __getattr__(name):
    if name in _FAILED:
        raise _FAILED[name]
    raise AttributeError(name)
"""


def module_source(cells: list[Cell], name: str) -> str:
    """The module ``<exercise>.py`` for the code cells of notebook ``name``: each code cell as
    ``[its number, the names it defines, its Python]`` in JSON, on a line of its own."""
    rows = []
    for cell, code in runnable(cells):
        lines, text = _code(code)
        rows.append("\n" * lines + f"[{cell.number},{_json(cell.names)},{text}]")
    entries = _read_back("[" + ",".join(rows) + "\n]")
    return (
        f"# {name} as the grader reads it: its code cells, run one by one in order, like "
        f"a kernel.\n_LINES = {LINES}\n_CELLS = {entries}\n{LOADER}"
    )


def load(
    name: str, size: int, read_bytes: Callable[[], bytes]
) -> tuple[str | None, list[Cell] | NotebookError | None, list[Text]]:
    """Notebook file ``name`` read: (the module's source or None, its cells or the
    NotebookError saying why it is unreadable, problems for the teacher)."""
    if size > MAX_NOTEBOOK:
        err = NotebookError(
            t("intake.notebook_too_large", name=name, max_notebook=MAX_NOTEBOOK >> 20),
        )
        return None, err, [err.text]
    try:
        cells = parse(read_bytes(), name)
    except NotebookError as err:
        return None, err, [err.text]
    except (OSError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile) as err:
        return (
            None,
            None,
            [t("intake.cannot_read_2", name=name, err=err)],
        )
    try:
        source = module_source(cells, name)
    except NotebookError as err:
        return None, cells, [err.text]
    if len(source.encode("utf-8", "surrogatepass")) > MAX_SOURCE_BYTES:
        problem = t(
            "intake.holds_more_than_kb_code", name=name, max_source_bytes=MAX_SOURCE_BYTES >> 10
        )
        return None, cells, [problem]
    return source, cells, []


def add(sub: Any, module: str, size: int, read_bytes: Callable[[], bytes]) -> None:
    """Add notebook ``<module>.ipynb`` to a Submission as module ``<module>``."""
    source, cells, problems = load(f"{module}.ipynb", size, read_bytes)
    sub.problems.extend(problems)
    if cells is not None:
        sub.notebooks[module] = cells  # kept for explain(): no second read after grading
    if source is not None:
        sub.files[module] = source


def course_root_submissions(path: Path) -> Path | None:
    """An nbgrader course root's ``submitted/`` folder, when ``path`` is such a root."""
    if (path / "nbgrader_config.py").is_file() and (path / "submitted").is_dir():
        return path / "submitted"
    return None


# --- telling the student what happened to their cells ---------------------------------------


def zip_order(info: zipfile.ZipInfo) -> tuple[int, bool]:
    """The shallowest entry first; a .py before a notebook at the same depth."""
    return info.filename.count("/"), not info.filename.endswith(".py")


@functools.lru_cache(maxsize=4096)  # asked for each question of every notebook of a class
def role_id(qid: str, role: str) -> str:
    """The nbgrader grade_id of question ``qid``'s cell ``role`` (:func:`grade_id`)."""
    return grade_id(_Qid(qid), role)


class _Qid(NamedTuple):
    qid: str


def nbgrader_shaped(cells: list[Cell]) -> bool:
    """Whether a notebook is nbgrader's (its cells carry nbgrader metadata), not the
    release's: nbgrader's cell rules apply to nbgrader's notebooks only."""
    return any(c.flags is not None or c.grade_id is not None for c in cells)


def cell_notes(cells: list[Cell], exercise: Any, name: str) -> dict[str, Text]:
    """qid → what is wrong with that question's cells in nbgrader notebook ``name`` (none
    for a release notebook, which nbgrader never grades)."""
    notes: dict[str, Text] = {}
    if not nbgrader_shaped(cells):
        return notes
    by_id: dict[str | None, list[Cell]] = {}  # the cells of each grade_id, in order
    by_question: dict[str | None, list[Cell]] = {}  # the answer cells of each question
    for c in cells:
        by_id.setdefault(c.grade_id, []).append(c)
        if not c.is_test:
            by_question.setdefault(c.question, []).append(c)
    for q in exercise.questions:
        if not q.auto:
            continue
        answer_id, test_id = role_id(q.qid, "answer"), role_id(q.qid, "test")
        found = [c for c in by_id.get(answer_id, ()) if not c.is_test]
        found += [c for c in by_question.get(q.qid, ()) if c.grade_id != answer_id]
        answers = sorted(found, key=lambda c: c.number)  # as the notebook orders them
        tests = by_id.get(test_id, [])
        said = [*_answer_notes(q, answers, cells, name), *_test_notes(q, tests, name)]
        if said:
            notes[q.qid] = join(said)
    return notes


def _answer_notes(q: Any, answers: list[Cell], cells: list[Cell], name: str) -> list[Text]:
    """What is wrong with a question's answer cells: none (lost its metadata, or deleted),
    several, or one whose type or metadata changed."""
    answer_id = role_id(q.qid, "answer")
    said: list[Text] = []
    if not answers:
        elsewhere = [c.number for c in cells if c.is_code and q.name in c.names]
        if elsewhere:
            said.append(
                t(
                    "intake.answer_cell_lost_nbgrader_metadata",
                    qid=q.qid,
                    name=name,
                    name_2=q.name,
                    elsewhere=elsewhere[-1],
                )
            )
        else:
            said.append(t("intake.answer_cell_not_deleted_restore", qid=q.qid, name=name))
    elif len(answers) > 1:
        where = ", ".join(str(c.number) for c in answers)
        said.append(
            t(
                "intake.answer_cell_appears_times_cells",
                qid=q.qid,
                n_answers=len(answers),
                name=name,
                where=where,
            )
        )
    else:
        c = answers[0]
        if (
            c.cell_type != "code"
            or c.grade_id != answer_id
            or (c.flags is not None and c.flags != (False, True, False))
            or (c.question not in (None, q.qid))
        ):
            said.append(t("intake.answer_cell_cell_has_changed", qid=q.qid, number=c.number))
    return said


def _test_notes(q: Any, tests: list[Cell], name: str) -> list[Text]:
    """What is wrong with a question's test cell: deleted, or copied."""
    said: list[Text] = []
    if not tests:
        said.append(t("intake.test_cell_was_deleted_from", qid=q.qid, name=name))
    elif len(tests) > 1:
        said.append(
            t("intake.test_cell_appears_times_nbgrader", qid=q.qid, n_tests=len(tests), name=name)
        )
    return said


@functools.cache
def _said_of_a_module() -> re.Pattern[str]:
    """``A.py has no function`` / ``A.py not found`` in any language: what the sandbox says of
    a module as a whole, read from its sentences (the text that follows ``{module}.py``)."""
    keys = ("sandbox.no_name_function", "sandbox.no_name_variable", "sandbox.py_not_found")
    after = {
        re.split(r"\{", said.split("{module}.py", 1)[1])[0]
        for key in keys
        for said in (template(key, lang) for lang in LANGUAGES)
        if "{module}.py" in said
    }
    words = "|".join(re.escape(a) for a in sorted(after, key=len, reverse=True) if a)
    return re.compile(rf"\b([A-Za-z_]\w*)\.py({words})" if words else r"(?!)")


def _places(text: str, modules: set[str], lang: str = FALLBACK) -> str:
    """``A.py:400003`` → ``A.ipynb, cell 4, line 3`` and ``A.py has no`` → ``A.ipynb has no``,
    for the modules read from notebooks."""
    if ".py" not in text:  # what both patterns need: most feedback names no file
        return text

    def where(m: re.Match) -> str:
        module, line = m.group(1), int(m.group(2))
        if module not in modules or line < LINES:
            return m.group(0)
        place = t("intake.notebook_place", module=module, cell=line // LINES, line=line % LINES)
        return pick(place, lang)

    text = re.sub(r"\b([A-Za-z_]\w*)\.py:(\d+)", where, text)
    return _said_of_a_module().sub(
        lambda m: f"{m.group(1)}.ipynb{m.group(2)}" if m.group(1) in modules else m.group(0),
        text,
    )


def explain(report: Any, course: Any, sub: Any) -> None:
    """Notes on the questions whose notebook cells were deleted, duplicated or retyped, and
    errors placed by notebook cell: ``report`` (a grading.Report) is changed in place, from
    the cells ``add`` kept on ``sub`` (the Submission) while reading it."""
    with contextlib.suppress(Exception):  # a note is a courtesy: it must never cost a grade
        _explain(report, course, sub)


def _explain(report: Any, course: Any, sub: Any) -> None:
    found = sub.notebooks
    if not found:
        return
    modules = {e.id for e in course.exercises}
    notes: dict[str, Text] = {}
    for exercise in course.exercises:
        data = found.get(exercise.id)
        if data is None:
            continue
        if isinstance(data, NotebookError):
            for q in exercise.questions:
                notes[q.qid] = data.text
            continue
        notes.update(cell_notes(data, exercise, f"{exercise.id}.ipynb"))
    path = Path(sub.path)
    nb_modules = set(found) | (
        {m for m in modules if not (path / f"{m}.py").is_file()} if path.is_dir() else set()
    )  # "A.ipynb not found"
    for r in report.results:
        text = {lang: _places(r.feedback.get(lang, ""), nb_modules, lang) for lang in LANGUAGES}
        note = notes.get(r.qid)
        if note:
            text = {lang: f"{text[lang]} {note[lang]}".strip() for lang in text}
        r.feedback = text
