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
from reference.course.source import CourseError, Problem
from reference.i18n import plural_en, plural_ru

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
    for p in problems:
        click.echo(p.render(lang), err=True)
    n = len(problems)
    click.echo(
        f"{n} {plural_ru(n, 'проблема', 'проблемы', 'проблем')} в файлах курса"
        if lang == "ru"
        else f"{n} {plural_en(n, 'problem')} in the course files",
        err=True,
    )
    sys.exit(1)


def load_course_model(course_path: Path | None, lang: str | None) -> Model:
    """Just course.yml's model (what ``trace`` needs), failing cleanly."""
    path = find_course(course_path)
    try:
        return load_model(path, _display(path))
    except CourseError as err:
        fail(err.problems, lang or "en")


def load_whole_course(course_path: Path | None, lang: str | None) -> Course:
    """course.yml and every exercise, failing cleanly with all problems at once."""
    path = find_course(course_path)
    try:
        return load_course(path, _display(path))
    except CourseError as err:
        fail(err.problems, lang or "en")


def _display(path: Path) -> str:
    """The path as the teacher would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
