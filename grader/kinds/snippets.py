"""What a student completes for one question, as each door releases it: the ``.py`` stub's
snippet (prompt, hint, then the kind's code), the release's notebook cell (without the
prompt, which its markdown cell shows) and nbgrader's answer cell.  The grader compares a
submission with these to tell an untouched answer (:mod:`grader.intake.routes`), and the
release writes them (:mod:`publish.stubs`, :mod:`publish.notebooks`,
:mod:`publish.nbgrader.build`): one text for both.
"""

from __future__ import annotations

import dataclasses
import re

from grader.course.questions import Exercise, Question
from grader.course.solutions import SOLUTION_STUDENT
from grader.kinds import kind_of
from grader.kinds.number import Number
from reference.i18n import t

HINT = t("kinds.hint")
NOTEBOOK_NUMBER = t("kinds.number_computed_by_hand_at_2")


def question_text(q: Question, lang: str) -> str:
    """Prompt and hint, as the student reads them."""
    text = q.prompt[lang].strip()
    if q.hint:
        text += f"\n\n{HINT[lang]}: {q.hint[lang].strip()}"
    return text


def snippet(
    q: Question,
    lang: str,
    solution: bool = False,
    student: str = SOLUTION_STUDENT,
    prompt: bool = True,
) -> str:
    """The code a student completes for one question (or the reference's completion).

    ``prompt=False`` leaves the prompt out: a notebook shows it once, in the markdown cell
    above the answer cell."""
    text = question_text(q, lang) if prompt else ""
    return kind_of(q).snippet(q, lang, text, solution, student)


_CHECK_ID = re.compile(r"`python check\.py --id <[^>`]*>`")


def for_notebooks(exercise: Exercise) -> Exercise:
    """The exercise with the teacher's "`python check.py --id <your id>`" (the .py release's
    way to print a student's values) read as the notebook's "`my_values()`"."""

    def fix(text: dict[str, str]) -> dict[str, str]:
        return {k: _CHECK_ID.sub("`my_values()`", v) for k, v in text.items()}

    def fix_some(text: dict[str, str] | None) -> dict[str, str] | None:
        return None if text is None else fix(text)

    questions = tuple(
        dataclasses.replace(q, prompt=fix(q.prompt), hint=fix_some(q.hint))
        for q in exercise.questions
    )
    return dataclasses.replace(exercise, intro=fix_some(exercise.intro), questions=questions)


def in_notebook(text: str, lang: str) -> str:
    """A snippet's text with the .py release's instruction for a number (run check.py)
    replaced by the notebook's (call my_values())."""
    return text.replace(Number.instruction[lang], NOTEBOOK_NUMBER[lang])


def notebook_snippet(
    q: Question, lang: str, solution: bool = False, student: str = SOLUTION_STUDENT
) -> str:
    """:func:`snippet` as the nbgrader notebooks print it (``q`` from :func:`for_notebooks`):
    what the student's answer cell holds when released."""
    return in_notebook(snippet(q, lang, solution, student, prompt=False), lang)
