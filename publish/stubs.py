"""Student stubs: one Python module per exercise, following the stub contract.

Each question becomes one snippet, written by its kind (``grader.kinds``: a function to
write, a formula string, a number, a set, a mapping), with its prompt and hint in the chosen
language; what the questions of a kind share (the functions a formula may use) is said once,
in the module's docstring.  Notebooks reuse the same snippets cell by cell, without the
prompt, which their markdown cell shows.  ``solution=True`` fills each snippet from the
reference: the code of a function is printed from the reference's own formula, never typed
by hand.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from grader.course.questions import Course, Exercise, Question
from grader.course.solutions import SOLUTION_STUDENT
from grader.kinds import kind_of
from grader.kinds.snippets import snippet
from reference.i18n import pick, t
from reference.text import docstring


def points_text(points: float, lang: str) -> str:
    """'1 point', '2 points', '1.5 points': the counted noun in the language's own forms."""
    return pick(t("release.points", n=points), lang)


def header(q: Question, lang: str) -> str:
    return f"# {q.qid} — {points_text(q.points, lang)}"


def preambles(exercise: Exercise, lang: str) -> list[str]:
    """What the kinds of the exercise's questions share, each said once (the allowed
    functions of every formula, say), in the order the kinds first appear."""
    out: list[str] = []
    for q in exercise.questions:
        text = textwrap.fill(kind_of(q).preamble(lang), 88, break_on_hyphens=False)
        if text and text not in out:
            out.append(text)
    return out


def module_doc(exercise: Exercise, lang: str) -> str:
    parts = [exercise.title[lang].strip()]
    if exercise.intro:
        parts.append(exercise.intro[lang].strip())
    parts += [
        pick(t("release.how"), lang),
        pick(t("release.libs"), lang),
        *preambles(exercise, lang),
    ]
    return "\n\n".join(parts)


def stub(
    exercise: Exercise, lang: str, solution: bool = False, student: str = SOLUTION_STUDENT
) -> str:
    """The whole module ``<exercise>.py``."""
    parts = [
        f'"""{docstring(module_doc(exercise, lang))}\n"""\n\nimport math  # noqa: F401\n\n'
        "import numpy as np  # noqa: F401\n"
    ]
    for q in exercise.questions:
        parts.append(f"\n\n{header(q, lang)}\n{snippet(q, lang, solution, student)}")
    return "".join(parts)


def stubs(
    course: Course, lang: str, solution: bool = False, student: str = SOLUTION_STUDENT
) -> Iterator[tuple[str, str]]:
    """(file name, text) for every exercise of the course."""
    for exercise in course.exercises:
        yield f"{exercise.id}.py", stub(exercise, lang, solution, student)
