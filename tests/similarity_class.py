"""A class built from the release for ``grade --similarity``: who wrote what, on purpose.

Every student starts from the release solved at their own id (``stubs(..., solution=True,
student=ID)``: right code, their own hand-computed numbers) and rewrites each function's
``return`` in a style of their own, drawn from a generator seeded by their style: operands of
``+`` and ``*`` swapped, a temporary variable, ``float(…)``, ``np`` for ``math``, a dict
built key by key, a helper for the sigmoid.  Two students drawing from one style write the
same code (one copied the other: then the copy's temporaries are renamed, its functions
reordered and its comments changed); a student may also hand in someone else's numbers
(their code their own, the numbers solved at the other's id).  The test suite and
``benchmarks/bench_similarity.py`` build their classes with :func:`write_student`.
"""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass
from pathlib import Path

from grader.course.questions import Course
from publish.stubs import stubs

#: The temporaries students name (a copy renames them).
TEMPS = ("result", "out", "value", "res", "answer", "total", "y", "tmp", "r", "val")
#: The comments students add (a copy writes others).
REMARKS = ("# checked with check.py", "# from the table", "# chain rule", "# TODO tidy")
_RETURN = re.compile(r"^(\s+)return (.+)$")
_SIGMOID = re.compile(r"1 / \(1 \+ (?:math|np)\.exp\(-(\w+)\)\)")


@dataclass(frozen=True)
class Student:
    """One submission to write: whose it is (``student.txt``), whose code style it has, whose
    hand-computed numbers it carries, and whether it is a disguised copy."""

    id: str
    style: str  # the seed of the code's style: two students with one style wrote one code
    numbers: str = ""  # whose values the numbers are solved at (default: the student's own)
    disguised: bool = False  # temporaries renamed, functions reordered, comments changed
    extra: str = ""  # a line added to A.py (a hostile comment, say)


def _swapped(expr: ast.expr, rng: random.Random) -> ast.expr:
    """Operands of ``+`` and ``*`` swapped at random: the same value, written otherwise."""
    for node in ast.walk(expr):
        commutes = isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult))
        if commutes and rng.random() < 0.5:
            node.left, node.right = node.right, node.left
    return expr


def _value(text: str, rng: random.Random, numpy: bool) -> str:
    expr = _swapped(ast.parse(text, mode="eval").body, rng)
    out = ast.unparse(expr)
    return out.replace("math.", "np.") if numpy else out


def _returns_dict(
    indent: str, expr: ast.Dict, rng: random.Random, numpy: bool, rename: dict
) -> list[str]:
    keys = [ast.literal_eval(k) for k in expr.keys if k is not None]
    values = [_value(ast.unparse(v), rng, numpy) for v in expr.values]
    style, name = rng.randrange(4), rename.get(n := rng.choice(TEMPS), n)
    if style == 0:
        items = ", ".join(f'"{k}": {v}' for k, v in zip(keys, values))
        return [f"{indent}return {{{items}}}"]
    if style == 1:
        return [
            f"{indent}{name} = {{}}",
            *(f'{indent}{name}["{k}"] = {v}' for k, v in zip(keys, values)),
            f"{indent}return {name}",
        ]
    if style == 2:
        return [f"{indent}return dict({', '.join(f'{k}={v}' for k, v in zip(keys, values))})"]
    lines = [f"{indent}d_{k} = {v}" for k, v in zip(keys, values)]
    return [*lines, f"{indent}return {{{', '.join(f'{k!r}: d_{k}' for k in keys)}}}"]


def _returns(indent: str, text: str, rng: random.Random, numpy: bool, rename: dict) -> list[str]:
    """A ``return`` line of the solved stub, rewritten in one of the ways students write it."""
    try:
        expr = ast.parse(text, mode="eval").body
    except SyntaxError:  # a docstring's line that starts with "return"
        return [f"{indent}return {text}"]
    if isinstance(expr, ast.Dict):
        return _returns_dict(indent, expr, rng, numpy, rename)
    value, style = _value(text, rng, numpy), rng.randrange(4)
    name = rename.get(n := rng.choice(TEMPS), n)
    if style == 0:
        return [f"{indent}return {value}"]
    if style == 1:
        return [f"{indent}{name} = {value}", f"{indent}return {name}"]
    if style == 2:
        return [f"{indent}return float({value})"]
    return [f"{indent}{name} = float({value})", f"{indent}return {name} * 1.0"]


def restyle(text: str, rng: random.Random, rename: dict | None = None) -> str:
    """A solved stub as one student writes it: each ``return`` their way; the sigmoid through
    a helper of their own, or not; a copy's temporaries ``rename``d."""
    numpy, helper = rng.random() < 0.5, rng.random() < 0.5
    lines: list[str] = []
    for line in text.splitlines():
        m = _RETURN.match(line)
        lines.extend(_returns(m.group(1), m.group(2), rng, numpy, rename or {}) if m else [line])
        if m and rng.random() < 0.2:
            lines.insert(len(lines) - 1, f"{m.group(1)}{rng.choice(REMARKS)}")
    out = "\n".join(lines) + "\n"
    if helper and _SIGMOID.search(out) and "\n\n\n#" in out:  # a stub: room for a helper
        out = _SIGMOID.sub(r"sigma(\1)", out)
        exp = "np.exp" if numpy else "math.exp"
        helper_code = f"def sigma(z):\n    return 1 / (1 + {exp}(-z))"
        out = out.replace("\n\n\n#", f"\n\n\n{helper_code}\n\n\n#", 1)
    return out


def _blocks(text: str) -> list[str]:
    """A stub's head (docstring, imports) and its questions' blocks, each from its ``# qid``."""
    return re.split(r"\n\n\n(?=# )", text)


def disguise(text: str, rng: random.Random) -> str:
    """A copy made to look like one's own (its temporaries renamed by :func:`restyle`): the
    questions' blocks in another order, every comment of one's own."""
    out = re.sub(r"# (checked with check\.py|from the table|chain rule|TODO tidy)", "# mine", text)
    head, *blocks = _blocks(out)
    rng.shuffle(blocks)
    return "\n\n\n".join([head, *blocks]) + "\n"


def write_student(course: Course, folder: Path, s: Student, lang: str = "en") -> Path:
    """``folder/<id>/``: the student's stubs and ``student.txt``; the folder."""
    path = folder / re.sub(r"[^A-Za-z0-9_.-]", "_", s.id)
    path.mkdir(parents=True)
    solved = stubs(course, lang, solution=True, student=s.numbers or s.id)
    for i, (name, text) in enumerate(solved):
        text = _restyled(s, name, text)
        if s.disguised:
            text = disguise(text, random.Random(f"{s.id}:{i}"))
        if s.extra and name == "A.py":
            text += f"\n{s.extra}\n"
        (path / name).write_text(text, encoding="utf-8")
    (path / "student.txt").write_text(f"{s.id}\n", encoding="utf-8")
    return path


def _restyled(s: Student, name: str, text: str) -> str:
    rng = random.Random(f"{s.style}:{name}")
    return restyle(text, rng, {n: f"{n}_{s.id[-1]}" for n in TEMPS} if s.disguised else None)


def write_notebooks(course: Course, folder: Path, s: Student, nbgrader: bool = False) -> Path:
    """The student's work in notebooks instead: the release's ``notebooks/<exercise>.ipynb``
    (and ``student.txt``), or with ``nbgrader`` nbgrader's ``<id>/<assignment>/`` as its
    ``generate_assignment`` releases them (its own preprocessors), each answer cell filled."""
    import json

    from grader.kinds.snippets import for_notebooks, notebook_snippet, snippet
    from publish.nbgrader.build import source_notebook
    from publish.notebooks import notebook
    from reference.course.naming import grade_id

    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", s.id)
    path = folder / safe / course.assignment if nbgrader else folder / safe / "notebooks"
    path.mkdir(parents=True)
    for i, exercise in enumerate(course.exercises):
        if nbgrader:
            nb = _nbgrader_release(source_notebook(exercise, "en", table=i == 0))
            questions = {grade_id(q, "answer"): q for q in for_notebooks(exercise).questions}
        else:
            nb = notebook(exercise, "en", table=i == 0)
            questions = {q.qid: q for q in exercise.questions}
        for k, cell in enumerate(nb["cells"]):
            meta = cell["metadata"]
            key = meta.get("nbgrader", {}).get("grade_id") if nbgrader else None
            q = questions.get(key or meta.get("course", {}).get("question"))
            if q is None or not q.auto or cell["cell_type"] != "code":
                continue
            owner = s.numbers or s.id
            solved = (
                notebook_snippet(q, "en", solution=True, student=owner)
                if nbgrader
                else snippet(q, "en", solution=True, student=owner, prompt=False)
            )
            cell["source"] = _restyled(s, f"{exercise.id}:{k}", solved)
        (path / f"{exercise.id}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    if not nbgrader:
        (folder / safe / "student.txt").write_text(f"{s.id}\n", encoding="utf-8")
    return path


def _nbgrader_release(source: dict) -> dict:
    """What ``nbgrader generate_assignment`` makes of a source notebook, by its preprocessors."""
    import json

    import nbformat
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
    from traitlets.config import Config

    config = Config()
    config.ClearSolutions.code_stub = {"python": ""}
    node = nbformat.reads(json.dumps(source), as_version=4)
    node, _ = ClearSolutions(config=config).preprocess(node, {})
    node, _ = ClearHiddenTests(config=config).preprocess(node, {})
    return json.loads(nbformat.writes(node))
