"""The student release: what ``course release --out DIR`` writes.

::

    DIR/prep.py A.py … step.py          the stubs (publish.stubs), filled with --solutions
    DIR/notebooks/<exercise>.ipynb      the same stubs as notebooks (publish.notebooks)
    DIR/check.py                        the public self-check (files/check.py)
    DIR/public_examples.json            two reference examples per function question
    DIR/README.md                       for the student, in the release language
    DIR/student.txt                     whose work it is: ``python check.py --id ID`` writes it

Nothing hidden goes out: no reference or grader code, no course YAML, no hidden tests, and
no reference output except the public examples (and, with ``--solutions``, the filled stubs).
The public examples come from a fixed public seed, never from a student's, so they are not
points anyone is graded at.  Everything is built in memory first; files are written only when
the whole release could be built.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import pprint
import re
import sys
from importlib import resources
from pathlib import Path
from string import Template
from types import ModuleType

import numpy as np

from grader.course.questions import Course, Points, Question
from grader.intake import cells
from grader.intake.identity import STUDENT_FILE, blank_student_file, clean_id
from grader.kinds import kind_of
from grader.sandbox import limit
from publish import embedded, public_checks
from publish.derivative_table import markdown as derivative_table
from publish.derivative_table import used_rows
from publish.notebooks import dumps, notebook
from publish.stubs import SOLUTION_STUDENT, points_text, stubs
from reference import table
from reference.catalogue import LANGUAGES, template
from reference.course import sampling as points
from reference.course.sampling import rng_for
from reference.course.targets import evaluate, sample_args
from reference.i18n import BilingualError, join, pick, t

# Package data (pyproject.toml), read through importlib.resources: never a checkout's files.
FILES = resources.files(__package__).joinpath("files")
PUBLIC_SUBMISSION = "<public>"  # the submission id of the public examples: no student's id
PUBLIC_EXAMPLES = 2  # examples per function question
_POOL = 16  # points drawn to find PUBLIC_EXAMPLES where every value is finite
CHECK = "check.py"
EXAMPLES = "public_examples.json"
README = "README.md"
REGION = (
    "# --- course release writes this part ---\n",
    "# --- end of the part course release writes ---\n",
)
#: How check.py takes the formula reader, once it is importable: the same line as the
#: template's, so the template runs in a checkout too.
READER_IMPORT = (
    "from reference.expr import ExprError  # noqa: E402\n"
    "from reference.expr.student import read_answer, reading  # noqa: E402\n"
)
TEMPLATE_DOC = (
    '"""Check your answers against the public examples (course release rewrites this line)."""'
)

#: The sentences a student's checker says (check.py, the nbgrader helper cell), written in
#: full in its code: its own and the public checks' (``checks.<name>``), and the status of
#: an answer not attempted (``status.missing``).
SAID = re.compile(r"""["']((?:checks|status)\.[a-z_]+)["']""")


class ReleaseError(BilingualError):
    """A release that cannot be written, with the reason in every language."""


# --- the release's files ---------------------------------------------------------------------


def build(
    course: Course, lang: str, solutions: bool = False, student: str = SOLUTION_STUDENT
) -> dict[str, str]:
    """Every file of the release: path relative to DIR → text."""
    if lang not in course.model.languages:
        raise ReleaseError(
            t(
                "release.course_has_no_texts_languages",
                lang=lang,
                languages=", ".join(course.model.languages),
            ),
        )
    if not course.exercises:
        raise ReleaseError(t("release.course_lists_no_exercises"))
    files = dict(stubs(course, lang, solutions, student))
    for name in (CHECK, README):
        if name in files:
            raise ReleaseError(
                t("release.exercise_cannot_called_release_has", stem=Path(name).stem, name=name),
            )
    for i, exercise in enumerate(course.exercises):  # the first opens with the table
        files[f"notebooks/{exercise.id}.ipynb"] = dumps(
            notebook(exercise, lang, solutions, student, table=i == 0)
        )
    files[CHECK] = check_script(course, lang)
    files[EXAMPLES] = json.dumps(public_examples(course), indent=1, allow_nan=False) + "\n"
    files[README] = readme(course, lang, solutions, student)
    # Whose work this is: one line.  Blank, a comment (never read as an id) that
    # ``python check.py --id ID`` replaces; a key, the id its numbers are filled in for.
    files[STUDENT_FILE] = f"{clean_id(student)}\n" if solutions else blank_student_file(lang)
    return files


def write(files: dict[str, str], out: Path, force: bool = False) -> list[Path]:
    """Write ``files`` under ``out`` (created if missing); a non-empty ``out`` needs ``force``,
    and then only the release's own files are overwritten.  A folder that cannot be made or
    written is an :class:`OutputError`, found before the first file is written."""
    _check_out(out)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ReleaseError(
            t("release.not_empty_choose_empty_new", out=out),
        )
    written = []
    try:
        for rel, text in files.items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            if rel == CHECK:
                path.chmod(0o755)
            written.append(path)
    except OSError as err:
        why = err.strerror or str(err)
        raise OutputError(
            t("release.cannot_write", out=out, err=err.filename or out, why=why),
        ) from None
    return written


class OutputError(ReleaseError):
    """The output folder cannot be made or written: a bad path, not a course problem."""


def _check_out(out: Path) -> None:
    """``out`` is, or can become, a folder we may write into."""
    if out.exists() and not out.is_dir():
        raise OutputError(t("release.file_not_folder", out=out))
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(
            t("release.file_so_no_folder_can", out=out, existing=existing),
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(
            t("release.cannot_write_into_permission_denied", out=out, existing=existing),
        )


def public_examples(course: Course) -> dict:
    """For each function question, PUBLIC_EXAMPLES points of a fixed public seed and the
    reference's value there (a dict for backward).  Language-independent, nothing rounded."""
    questions = {}
    for q in course.questions:
        if not q.code:
            continue
        questions[q.qid] = {
            "exercise": q.exercise,
            "name": q.name,
            "args": list(q.args),
            "tolerance": {"rel": q.tolerance.rel, "abs": q.tolerance.abs},
            "examples": _examples(q),
        }
    return {"questions": questions}


def _examples(q: Question) -> list[dict]:
    rng = rng_for(q.model.seed, PUBLIC_SUBMISSION, q.qid)
    point = sample_args(q.target, q.model, rng, _POOL)
    value = evaluate(q.target, q.model, point)

    def column(x) -> list[float]:
        return np.broadcast_to(np.asarray(x, dtype=float), (_POOL,)).tolist()

    args = {a: column(point[a]) for a in q.args}
    expected = (
        {k: column(v) for k, v in value.items()} if isinstance(value, dict) else column(value)
    )
    examples = []
    for i in range(_POOL):
        at = {a: args[a][i] for a in q.args}
        want = {k: v[i] for k, v in expected.items()} if isinstance(expected, dict) else expected[i]
        numbers = [*at.values(), *(want.values() if isinstance(want, dict) else [want])]
        if all(np.isfinite(numbers)):
            examples.append({"args": at, "expected": want})
        if len(examples) == PUBLIC_EXAMPLES:
            break
    return examples


def check_data(course: Course, lang: str) -> dict:
    """What check.py knows about the course: each question's name and public data (its form,
    options, keys; never an answer), and where each student's own values come from."""
    model = course.model
    exercises = []
    for e in course.exercises:
        questions = [{"qid": q.qid, "name": q.name, **_public(q)} for q in e.questions]
        exercises.append({"id": e.id, "title": e.title[lang].strip(), "questions": questions})
    values = [{"seed": model.seed, "ranges": model.leaf_ranges()}]
    values += [
        {
            "exercise": e.id,
            "title": e.title[lang].strip(),
            "seed": e.model.seed,
            "ranges": e.model.leaf_ranges(),
        }
        for e in course.exercises
        if e.model is not model
    ]
    return {
        "title": model.title[lang].strip(),
        "exercises": exercises,
        "values": values,
        "functions": dict(table.FUNCTIONS),  # the formula reader's whitelist, as data
    }


def _public(q: Question) -> dict:
    """A question's public data (an option's ``why`` is not: grade shows it beside a wrong
    choice only, and check.py cannot tell a right choice from a wrong one)."""
    return kind_of(q).public(q)


def inline(module: ModuleType) -> str:
    """A standard-library-only module's source, to copy into a generated file: its docstring
    becomes one comment line naming it, its ``from __future__`` import is left out (the file
    has its own, or none)."""
    source = inspect.getsource(module)
    tree = ast.parse(source)
    drop: set[int] = set()
    for i, node in enumerate(tree.body):
        docstring = i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if docstring or (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            drop.update(range(node.lineno - 1, node.end_lineno or node.lineno))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            outside = [n for n in names if (n or "").split(".")[0] not in sys.stdlib_module_names]
            if outside or (isinstance(node, ast.ImportFrom) and node.level):
                raise RuntimeError(f"{module.__name__} imports {outside}: not standard library")
    kept = "".join(line for i, line in enumerate(source.splitlines(True)) if i not in drop).strip(
        "\n"
    )
    return f"# --- {module.__name__}, copied by the course's release tool ---\n{kept}\n"


#: The grader's formula reader, shipped whole in check.py (publish.embedded): the package
#: modules that stand in for ``reference`` and ``reference.table`` are empty, so only these
#: (standard library only; :func:`bundle` checks it) exist in a student's check, with the
#: catalogue's ``expr`` sentences in every language (the reader's messages).
READER = (
    "reference.catalogue",
    *(f"reference.catalogue.{lang}" for lang in LANGUAGES),
    *(f"reference.catalogue.{lang}.expr" for lang in LANGUAGES),
    "reference.i18n",
    "reference.table.names",
    "reference.expr",
    "reference.expr.errors",
    "reference.expr.trees",
    "reference.expr.lexer",
    "reference.expr.hints",
    "reference.expr.parser",
    "reference.expr.unparse",
    "reference.expr.fold",
    "reference.expr.student",
)


def bundle(modules: tuple[str, ...]) -> str:
    """``SOURCES = {name: (is a package, source)}`` for :func:`publish.embedded.install`: each
    module's exact source, which may import the standard library and the other modules only.
    Their parent packages are carried empty."""
    names = set(modules)
    sources: dict[str, tuple[bool, str]] = {}
    for name in modules:
        module = importlib.import_module(name)  # the module, never a function it re-exports
        parts = name.split(".")
        for i in range(1, len(parts)):
            sources.setdefault(".".join(parts[:i]), (True, ""))
        source = inspect.getsource(module)
        for node in ast.walk(ast.parse(source)):
            if not _shipped_import(node, names):
                raise RuntimeError(f"{name}: {ast.unparse(node)}: not shipped")
        sources[name] = (hasattr(module, "__path__"), source)
    body = pprint.pformat(sources, width=96, sort_dicts=False)
    return f"# --- the grader's formula reader, carried whole ---\nSOURCES = {body}\n"


def _shipped_import(node: ast.AST, names: set[str]) -> bool:
    """Not an import, or one of the standard library or of the shipped ``names``."""

    def ok(name: str) -> bool:
        return name in names or name.split(".")[0] in sys.stdlib_module_names

    if isinstance(node, ast.Import):
        return all(ok(a.name) for a in node.names)
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level:
            return False
        return ok(module) or all(f"{module}.{a.name}" in names for a in node.names)
    return True


def messages(lang: str, code: str) -> str:
    """``MESSAGES = {...}``: the sentences ``code`` names (:data:`SAID`), in ``lang``, from
    the catalogue: what a generated checker writes after the public checks' source, which
    says them (``say``).  A name the catalogue lacks is a KeyError here, never a student's."""
    keys = sorted(set(SAID.findall(code)))
    lines = "".join(f"    {key!r}: {template(key, lang)!r},\n" for key in keys)
    return f"MESSAGES = {{\n{lines}}}\n"


def check_script(course: Course, lang: str) -> str:
    """check.py: the template with the grader's own time limiter, notebook reader, public
    checks and formula reader (their exact source), the course, the language, the sentences
    it says in that language and the grader's own ``student_values`` filled in."""
    text = (FILES / CHECK).read_text(encoding="utf-8")
    start, end = text.index(REGION[0]), text.index(REGION[1])
    data = pprint.pformat(check_data(course, lang), width=96, sort_dicts=False)
    shared = "\n\n".join(inline(m) for m in (limit, cells, public_checks, embedded))
    region = (
        f"{REGION[0]}{shared}\n\n{bundle(READER)}install(SOURCES)\n{READER_IMPORT}\n\n"
        f"LANG = {lang!r}\n{messages(lang, text + shared)}COURSE: dict = {data}\n\n\n"
        f"{inspect.getsource(points.student_values)}{REGION[1]}"
    )
    text = text[:start] + region + text[end + len(REGION[1]) :]
    doc = pick(
        t("release.check_doc", title=course.model.title[lang].strip(), ex=_example(course)), lang
    )
    if TEMPLATE_DOC not in text:
        raise RuntimeError(f"{FILES / CHECK} lost its first docstring")
    return text.replace(TEMPLATE_DOC, f'"""{doc}\n"""', 1)


def readme(
    course: Course, lang: str, solutions: bool = False, student: str = SOLUTION_STUDENT
) -> str:
    model = course.model
    rows = []
    for e in course.exercises:
        title = e.title[lang].strip().replace("|", "\\|")
        rows.append(
            f"| {title} | `{e.id}.py` | `notebooks/{e.id}.ipynb` | "
            f"{maximum_text(e.points, lang, short=True)} |"
        )
    template = Template(pick(t("release.readme"), lang))
    return template.substitute(
        title=model.title[lang].strip(),
        solutions_note=pick(t("release.solutions_note", student=student), lang)
        if solutions
        else "",
        nodes="\n".join(f"    {n.name}({', '.join(n.args)}) = {n.formula}" for n in model.nodes),
        inputs=", ".join(model.inputs),
        parameters=", ".join(model.parameters),
        data=", ".join(model.data),
        loss=model.loss,
        learning_rate=f"{model.learning_rate:g}",
        derivative_table=derivative_table(lang, model.learning_rate, used=used_rows(model)),
        files_table="\n".join(rows),
        functions=", ".join(table.listing(quote="`")),
        example=_example(course),
        total_points=maximum_text(course.points, lang),
    )


def maximum_text(most: Points, lang: str, short: bool = False) -> str:
    """A maximum as the student reads it, the teacher's free-text points apart: '8 points',
    '8 points + 1 by the teacher'; in full, the whole course's."""
    auto = points_text(most.auto, lang)
    if not most.manual:
        return auto
    manual = points_text(most.manual, lang)
    if short:
        return pick(t("release.maximum_short", auto=auto, manual=most.manual), lang)
    return pick(t("release.maximum_full", auto=auto, manual=manual, total=most.total), lang)


def _example(course: Course) -> str:
    """The exercise the README and check.py use as an example: the first volunteer's."""
    return next((e.id for e in course.exercises if e.node), course.exercises[0].id)


def summary(files: dict[str, str], out: Path, lang: str, solutions: bool) -> str:
    """What was written, in a few lines."""
    stub_files = [f for f in files if "/" not in f and f.endswith(".py") and f != CHECK]
    notebooks = [f for f in files if f.startswith("notebooks/")]
    others = [f for f in files if f not in stub_files and f not in notebooks]
    said = t(
        "release.summary",
        lang=lang,
        out=out,
        stubs=" ".join(stub_files),
        n=len(notebooks),
        others=" ".join(others),
    )
    if solutions:
        said = join([said, t("release.summary_solutions")], "\n")
    return pick(said, lang)
