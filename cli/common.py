"""What the command-line tools share: finding the course, the language, clean failures.

A teacher never sees a traceback for a mistake in the course files or on the command line:
problems print as ``file:line: message`` and the command exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from reference.course.exercises import Course, load_course
from reference.course.locate import find_course
from reference.course.model import Model, load_model
from reference.course.source import CourseError
from reference.i18n import FALLBACK, Problem, count, join, language, pick, t

lang_option = click.option(
    "--lang",
    type=click.Choice(["ru", "en"]),
    default=None,
    help="Language of the output (default: the course's first language).",
)
course_option = click.option(
    "--course",
    "course_path",
    type=click.Path(path_type=Path),
    default=None,
    help="course.yml or the folder that holds it (default: found from the current folder up).",
)


def fail(problems: list[Problem], lang: str) -> NoReturn:
    """Every problem as ``file:line: message``, then how many there were; exit 1."""
    for p in problems:
        click.echo(p.render(lang), err=True)
    n = count(len(problems), en=("problem", "problems"), ru=("проблема", "проблемы", "проблем"))
    click.echo(pick(join([n, t("in the course files", "в файлах курса")]), lang), err=True)
    sys.exit(1)


def load_course_model(course_path: Path | None, lang: str | None) -> Model:
    """Just course.yml's model (what ``trace`` needs), failing cleanly."""
    path = find_course(course_path)
    try:
        return load_model(path, _display(path))
    except CourseError as err:
        fail(err.problems, language(lang, err.languages or [FALLBACK]))


def load_whole_course(course_path: Path | None, lang: str | None) -> Course:
    """course.yml and every exercise, failing cleanly with all problems at once."""
    path = find_course(course_path)
    try:
        return load_course(path, _display(path))
    except CourseError as err:
        fail(err.problems, language(lang, err.languages or [FALLBACK]))


def _display(path: Path) -> str:
    """The path as the teacher would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
