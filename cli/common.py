"""What the command-line tools share: finding the course, the language, clean failures.

A teacher never sees a traceback for a mistake in the course files or on the command line:
problems in the course print as ``file:line: message`` and the command exits 1; a bad path or
option is one line and exit 2 (:func:`usage`), found before any work starts.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from grader import speed
from reference.course.locate import courses_upward, find_course, inside
from reference.course.source import CourseError
from reference.i18n import FALLBACK, LANGUAGES, Problem, Text, language, pick, t

if TYPE_CHECKING:  # the course's code (numpy…): loaded with the course, after grade's prestart
    from grader.course.questions import Course
    from reference.course.model import Model

USAGE = 2  # exit status of a bad path or option

lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
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


def run(command: click.Command, name: str) -> NoReturn:
    """Run a console command with the cyclic garbage collector off, and end its process
    without tearing the interpreter down.

    Loading numpy, pytest, rich… makes hundreds of thousands of objects, and the collector
    walked them again and again (~140 collections, one of them full): 25–50 ms of one student's
    ``grade``.  A command is short, or turns the collector back on for long work
    (:func:`collect_again`: ``grade`` on a class).  Freeing those modules one by one at exit
    took ~50 ms more, and nobody waits for it.  What must happen at exit still does: every
    file is written and closed by then (the ledger flushes each line), the atexit handlers
    run (the sandbox server stops), the output is flushed.  A bug (an exception, not
    SystemExit) leaves the usual way, with its traceback.
    """
    gc.disable()
    try:
        command.main(prog_name=name)
        code: object = 0
    except SystemExit as done:
        code = done.code
    import atexit

    atexit._run_exitfuncs()
    speed.say()
    if code is not None and not isinstance(code, int):  # sys.exit("text"), as Python does it
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (grade … | head): nothing more to say
            code = code or 1
    os._exit(code or 0)


def collect_again() -> None:
    """The collector back on, for long work (a class) after a short start (:func:`run`): what
    the start made is frozen first, so that no collection walks it again and forked workers
    share it untouched."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def fail(problems: list[Problem], lang: str) -> NoReturn:
    """Every problem as ``file:line: message``, then how many there were; exit 1."""
    for p in problems:
        click.echo(p.render(lang), err=True)
    click.echo(pick(t("terminal.problems_in_course_files", n=len(problems)), lang), err=True)
    sys.exit(1)


def load_course_model(course_path: Path | None, lang: str | None) -> Model:
    """Just course.yml's model (what ``trace`` needs), failing cleanly."""
    from reference.course.model import load_model

    path = find_course(course_path)
    try:
        return load_model(path, _display(path))
    except CourseError as err:
        fail(err.problems, language(lang, err.languages or [FALLBACK]))


def load_whole_course(course_path: Path | None, lang: str | None) -> Course:
    """course.yml and every exercise, failing cleanly with all problems at once."""
    from cli import course_cache

    path = find_course(course_path)
    try:
        return course_cache.load(path, _display(path))
    except CourseError as err:
        fail(err.problems, language(lang, err.languages or [FALLBACK]))


def usage(command: str, text: Text, lang: str) -> NoReturn:
    """A bad path or option: one line on stderr, exit 2."""
    click.echo(f"{command}: {pick(text, lang)}", err=True)
    sys.exit(USAGE)


def load_course_to_grade(
    course_path: Path | None,
    paths: Iterable[Path],
    lang: str | None,
    submissions: Callable[[Course], Iterable[Path]],
) -> tuple[Course, Path]:
    """The teacher's course for grading ``paths``: ``--course``, else the nearest course.yml
    from the current folder up, but never one inside a submission being graded (a student's
    own course.yml and hidden tests are the student's text, not the teacher's).

    ``submissions(course)`` lists the submissions a course would find under ``paths``.
    """
    lang_now = language(lang, [FALLBACK])
    paths = list(paths)
    if len(paths) == 1 and _one_submission(paths[0]):
        from grader import grading  # not for `course`: it never grades

        grading.prestart()  # its server starts on another core while the course loads
    from cli import course_cache  # the course's code, numpy first: after the prestart

    if course_path is not None:
        path = find_course(course_path)
        if not path.is_file():
            usage(
                "grade",
                t("terminal.course_no_course_yml_there", course_path=course_path),
                lang_now,
            )
        course = load_whole_course(path, lang)
        if inside(course.root, submissions(course)):
            usage(
                "grade",
                t("terminal.course_inside_submission_being_graded", course_path=course_path),
                lang_now,
            )
        return course, path
    for path in courses_upward():
        if not inside(path.parent, paths):
            return load_whole_course(path, lang), path
        try:  # a course root may hold its submissions (nbgrader's submitted/): not inside one
            found: Course | None = course_cache.load(path, _display(path))
        except CourseError:
            found = None
        if found is not None and not inside(found.root, submissions(found)):
            return found, path
        click.echo(
            pick(
                t("terminal.grade_ignored_inside_submission_being", display=_display(path)),
                lang_now,
            ),
            err=True,
        )
    usage(
        "grade",
        t("terminal.no_course_yml_found_this"),
        lang_now,
    )


def _one_submission(path: Path) -> bool:
    """Whether ``path`` looks like one student's work (a zip, or a folder with answer files at
    its top), not a class: a guess that only decides whether to start the sandbox early."""
    try:
        if path.is_file():
            return path.suffix == ".zip"
        return any(f.suffix in (".py", ".ipynb") for f in path.iterdir())
    except OSError:
        return False


def _display(path: Path) -> str:
    """The path as the teacher would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
