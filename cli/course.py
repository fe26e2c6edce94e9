"""``course``: the teacher's tool for checking, tracing and releasing the course."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml

from cli.common import (
    USAGE,
    course_option,
    fail,
    find_course,
    lang_option,
    load_course_model,
    load_whole_course,
    run,
    usage,
)
from cli.serve.command import serve
from grader.course.questions import Course
from grader.course.warnings import course_warnings
from publish.gradescope.settings import load as gradescope_settings
from reference.course.answers import PointError, answer_key, parse_point
from reference.course.grow import Added
from reference.course.model import Model
from reference.course.scaffold import chain_exercise, chain_questions, node_exercise
from reference.course.source import CourseError
from reference.course.targets import Grad
from reference.i18n import LANGUAGES, did_you_mean, language, pick, t


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Author, check and release the backpropagation course."""


@main.command()
@click.option("--strict", is_flag=True, help="Warnings are errors (exit 1).")
@course_option
@lang_option
def validate(strict: bool, course_path: Path | None, lang: str | None) -> None:
    """Check course.yml and exercises/*.yml; every problem as file:line: message, then
    every warning (stale prose, a node or parameter without its question, a known mistake
    that is no longer one) as file:line: warning: message."""
    course = load_whole_course(course_path, lang)
    model = course.model
    lang = language(lang, model.languages)
    try:  # the gradescope: key, checked here too so a typo shows before the bundle is built
        qids = {q.qid for q in course.questions}
        gradescope_settings(find_course(course_path), qids, model.source.name)
    except CourseError as err:
        fail(list(err.problems), lang)
    found = course_warnings(course)
    if found and strict:
        fail(found, lang)
    for w in found:
        click.echo(w.render(lang), err=True)
    nodes = ", ".join(f"{n.name}({', '.join(n.args)})" for n in model.nodes)
    questions = course.questions
    most = course.points
    n_ex, n_q = len(course.exercises), len(questions)
    click.echo(
        pick(
            t("terminal.ok_nodes", name=model.source.name, nodes=nodes),
            lang,
        )
    )
    click.echo(
        pick(
            t(
                "terminal.exercises_questions_points_graded_automatically",
                n_ex=n_ex,
                n_q=n_q,
                total=most.total,
                auto=most.auto,
                manual=most.manual,
            ),
            lang,
        )
    )


@main.command()
@click.option(
    "--at",
    "at",
    required=True,
    metavar='"x1=1,x2=2,…"',
    help="The point: every input, parameter and data value, as name=value pairs.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: values, local, grad, update.")
@click.option(
    "--team",
    "team_path",
    type=click.Path(path_type=Path),
    default=None,
    metavar="ROSTER",
    help="The volunteers' round (CSV team,student,node): what each volunteer receives and "
    "hands on, forward then backward, by name.",
)
@course_option
@lang_option
def trace(
    at: str, as_json: bool, team_path: Path | None, course_path: Path | None, lang: str | None
) -> None:
    """The answer key at one point: every value, local derivative and dL/d(every name)."""
    model = load_course_model(course_path, lang)
    lang = language(lang, model.languages)
    try:
        point = parse_point(at, model)
    except PointError as err:
        click.echo(f"--at: {err.message(lang)}", err=True)
        sys.exit(1)
    if team_path is not None:
        _team_board(model, point, team_path, as_json, lang)
        return
    key = answer_key(model, point)
    if as_json:
        click.echo(json.dumps(key, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        from cli.trace_view import render_trace

        render_trace(model, key, lang)


def _team_board(
    model: Model, point: dict[str, float], path: Path, as_json: bool, lang: str
) -> None:
    """``trace --team``: the board for the live round; a bad roster is file:line, exit 2."""
    from grader.teams import TeamError, board, load_team_roster

    listed = model.raw.get("exercises") if isinstance(model.raw, dict) else None
    try:
        roster = load_team_roster(path, model, list(listed) if isinstance(listed, dict) else [])
    except TeamError as bad:
        click.echo(bad.render(lang), err=True)
        sys.exit(USAGE)
    shown = board(model, point, roster)
    if as_json:
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        from cli.trace_view import render_board

        render_board(model, shown, lang)


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the release to (created if missing; must be empty).",
)
@click.option(
    "--solutions",
    is_flag=True,
    help="Fill every stub from the reference: a teacher's key that scores full marks.",
)
@click.option(
    "--student",
    default=None,
    metavar="ID",
    help="With --solutions: whose own values the hand-computed numbers are for.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty DIR, overwriting only the release's own files.",
)
@course_option
@lang_option
def release(
    out: Path,
    solutions: bool,
    student: str | None,
    force: bool,
    course_path: Path | None,
    lang: str | None,
) -> None:
    """The student release: stubs, notebooks, check.py, public examples and a README."""
    from publish.release import OutputError, ReleaseError, build, summary, write
    from publish.stubs import SOLUTION_STUDENT

    course = load_whole_course(course_path, lang)
    lang = language(lang, course.model.languages)
    if student is not None and not solutions:
        raise click.UsageError(
            pick(
                t("terminal.student_only_applies_with_solutions"),
                lang,
            )
        )
    try:
        files = build(course, lang, solutions, student or SOLUTION_STUDENT)
        write(files, out, force)
    except ReleaseError as err:
        click.echo(f"course release: {err.message(lang)}", err=True)
        sys.exit(USAGE if isinstance(err, OutputError) else 1)
    click.echo(summary(files, out, lang, solutions))


@main.command("nbgrader")
@click.option(
    "--out",
    "out",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    help="The nbgrader course root to write (created if missing; must be empty).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty DIR, overwriting only this command's own files.",
)
@course_option
@lang_option
def nbgrader_(out: Path, force: bool, course_path: Path | None, lang: str | None) -> None:
    """An nbgrader course root: nbgrader_config.py and source/<assignment>/<exercise>.ipynb."""
    from cli.common import find_course
    from publish.nbgrader.build import build, summary, write
    from publish.release import OutputError, ReleaseError

    course = load_whole_course(course_path, lang)
    lang = language(lang, course.model.languages)
    try:
        write(build(course, lang, find_course(course_path)), out, force)
    except ReleaseError as err:  # NbgraderBuildError included
        click.echo(f"course nbgrader: {err.message(lang)}", err=True)
        sys.exit(USAGE if isinstance(err, OutputError) else 1)
    click.echo(summary(course, out, lang))


@main.command("gradescope")
@click.option(
    "--out",
    "out",
    required=True,
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The bundle to write (autograder.zip), replaced if it exists.",
)
@click.option(
    "--wheel",
    "wheel",
    default=None,
    metavar="WHEEL",
    type=click.Path(path_type=Path, dir_okay=False),
    help="This package's wheel to put in the bundle (default: built from this checkout).",
)
@course_option
@lang_option
def gradescope(out: Path, wheel: Path | None, course_path: Path | None, lang: str | None) -> None:
    """A Gradescope autograder bundle: setup.sh, run_autograder, the package, the course."""
    from cli.common import fail, find_course
    from publish.gradescope.bundle import BundleError, write
    from publish.gradescope.settings import load
    from reference.course.source import CourseError

    course = load_whole_course(course_path, lang)
    course_file = find_course(course_path)
    shown = language(lang, course.model.languages)
    try:
        load(course_file, {q.qid for q in course.questions})
    except CourseError as err:
        fail(list(err.problems), shown)
    try:
        names = write(out, course, course_file, wheel, lang)
    except BundleError as err:
        click.echo(f"course gradescope: {err.render(shown)}", err=True)
        sys.exit(USAGE if err.usage else 1)
    wheels = [n for n in names if n.startswith("wheels/")]
    click.echo(
        pick(
            t(
                "terminal.files_setup_sh_run_autograder",
                out=out,
                n_names=len(names),
                wheels=", ".join(wheels),
            ),
            shown,
        )
    )


@main.command("new-exercise")
@click.argument("node", required=False)
@click.option(
    "--chain",
    is_flag=True,
    help="Add the chain question dL/dNAME for every parameter and input that has none.",
)
@click.option(
    "--lang",
    "text_lang",
    type=click.Choice([*LANGUAGES, "both"]),
    default="both",
    help="Languages to write the prompts in (and to speak in); any other is marked TODO "
    "(default: both).",
)
@course_option
def new_exercise(node: str | None, chain: bool, text_lang: str, course_path: Path | None) -> None:
    """Scaffold exercises/NODE.yml for a node of the model (forward, local derivatives as
    values and formulas, changes, backward), listed in course.yml; with --chain, the chain
    questions every parameter and input lacks.  Never overwrites a file."""
    lang: str | None = None if text_lang == "both" else text_lang
    want = LANGUAGES if text_lang == "both" else (text_lang,)
    grown = _grow(course_path, want)
    course = load_whole_course(course_path, lang)
    model = course.model
    lang = language(lang, model.languages)
    folder = course.root / "exercises"
    if node is None and not chain:
        usage("new-exercise", t("terminal.name_node_give_chain"), lang)
    written: list[Path] = []
    if node is not None:
        written.append(_node_exercise(course, node, folder, want, lang))
    if chain:
        written += _chain_exercise(course, folder, want, lang)
    load_whole_course(course_path, lang)  # what was written validates, or says why not
    for added in grown:
        click.echo(
            pick(
                t("terminal.added", file=added.file, line=added.line, what=added.what),
                lang,
            )
        )
    for path in written:
        click.echo(pick(t("terminal.wrote", path=path), lang))


def _node_exercise(
    course: Course, node: str, folder: Path, want: tuple[str, ...], lang: str
) -> Path:
    """exercises/NODE.yml written and listed in course.yml (never over a file)."""
    model = course.model
    names = [n.name for n in model.nodes]
    if node not in names:
        hint = did_you_mean(node, names)
        usage(
            "new-exercise",
            t("terminal.not_node_model", node=node, names=", ".join(names), hint=hint),
            lang,
        )
    path = folder / f"{node}.yml"
    if path.exists():
        usage(
            "new-exercise",
            t("terminal.exists_never_overwritten_move_away", path=path),
            lang,
        )
    folder.mkdir(exist_ok=True)
    path.write_text(node_exercise(model, model.node(node), want), encoding="utf-8")
    _list_exercise(course, node)
    return path


def _chain_exercise(course: Course, folder: Path, want: tuple[str, ...], lang: str) -> list[Path]:
    """The chain questions every parameter and input lacks, added to exercises/chain.yml
    (made and listed if need be); what was written."""
    model = course.model
    written: list[Path] = []
    asked = {q.target.wrt for q in course.questions if isinstance(q.target, Grad)}
    missing = [n for n in (*model.parameters, *model.inputs) if n not in asked]
    path = folder / "chain.yml"
    listed = any(e.id == "chain" for e in course.exercises)
    if not missing:
        click.echo(
            pick(
                t("terminal.every_parameter_input_has_chain"),
                lang,
            )
        )
    elif listed and path.is_file():
        text = path.read_text(encoding="utf-8")
        if list(yaml.safe_load(text))[-1] != "questions":
            usage(
                "new-exercise",
                t("terminal.questions_not_last_key_so", path=path),
                lang,
            )
        sep = "" if text.endswith("\n") else "\n"
        path.write_text(text + sep + "\n" + chain_questions(model, missing, want), "utf-8")
        written.append(path)
    elif path.exists():
        usage(
            "new-exercise",
            t("terminal.exists_but_not_listed_course", path=path),
            lang,
        )
    else:
        path.write_text(chain_exercise(model, missing, want), encoding="utf-8")
        _list_exercise(course, "chain")
        written.append(path)
    return written


def _grow(course_path: Path | None, want: tuple[str, ...]) -> list[Added]:
    """What the model asks of the exercises already written and they lack (a node's new
    argument's derivatives, a new node among options that list every node), added first so
    that the course loads; nothing when course.yml itself is wrong (loading says why)."""
    from cli.common import find_course
    from reference.course.grow import grow
    from reference.course.model import load_model
    from reference.course.source import read_yaml

    path = find_course(course_path)
    try:
        model = load_model(path)
        listed = read_yaml(path).data.get("exercises")
    except (CourseError, OSError, AttributeError):
        return []
    return grow(path.parent, model, [str(e) for e in listed or ()], want)


def _list_exercise(course: Course, exercise: str) -> None:
    """Add ``exercise: 1`` to course.yml's exercises where students meet it, keeping the
    teacher's comments: a node's after the exercise of the nearest node before it in the
    model's order (D(x4, w4) after C, not after L), or before the first node exercise; the
    chain after the last node exercise."""
    src = course.model.source
    path = course.root / "course.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if any(e.id == exercise for e in course.exercises):
        return
    of_node = {e.node: e.id for e in course.exercises if e.node is not None}
    order = [n.name for n in course.model.nodes]
    earlier = order[: order.index(exercise)] if exercise in order else order
    before = [of_node[n] for n in earlier if n in of_node]
    if not course.exercises:
        lines.append(f"exercises:\n  {exercise}: 1\n")
    elif before or not of_node:  # after the nearest node exercise before it (or the last one)
        at = src.line("exercises", before[-1] if before else course.exercises[-1].id)
        lines.insert(at, _entry(lines[at - 1], exercise))
    else:  # the model's first node: before the first node exercise
        at = src.line("exercises", next(of_node[n] for n in order if n in of_node))
        lines.insert(at - 1, _entry(lines[at - 1], exercise))
    path.write_text("".join(lines), encoding="utf-8")


def _entry(beside: str, exercise: str) -> str:
    """``exercise: 1`` indented like the listed line ``beside``."""
    return f"{beside[: len(beside) - len(beside.lstrip())]}{exercise}: 1\n"


main.add_command(serve)


def entry() -> None:
    """The console script: ``main``, and a quick exit (:func:`cli.common.run`)."""
    run(main, "course")


if __name__ == "__main__":  # python -m cli.course, the same command as the console script
    entry()
