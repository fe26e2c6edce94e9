"""``grade``: grade one submission or a whole class; tables, JSON Lines, CSV, Gradescope."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cli import reports
from cli.common import course_option, lang_option, load_whole_course
from grader.grading import grade_many, previous, unchanged
from grader.intake.identity import RosterError, identify_all, load_roster
from grader.intake.submissions import discover
from reference.i18n import language


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path),
    help="JSON Lines: one object a submission. An existing file resumes the run: "
    "unchanged submissions are not graded again.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path),
    help="Gradebook: one row a student, one column a question.",
)
@click.option(
    "--gradescope",
    "gradescope_path",
    type=click.Path(path_type=Path),
    help="Gradescope results.json (one submission).",
)
@click.option(
    "--details/--no-details",
    default=None,
    help="Per-question table for every submission (default: when grading one).",
)
@click.option(
    "--roster",
    "roster_path",
    type=click.Path(path_type=Path),
    help="CSV with the header submission,student: a folder or zip name → the student's id "
    "(else student.txt, nbgrader's <student>/<assignment>, the name).",
)
@click.option("--workers", type=int, default=None, help="Parallel workers (default: cores).")
@course_option
@lang_option
def main(
    paths: tuple[Path, ...],
    json_path: Path | None,
    csv_path: Path | None,
    gradescope_path: Path | None,
    details: bool | None,
    workers: int | None,
    roster_path: Path | None,
    course_path: Path | None,
    lang: str | None,
) -> None:
    """Grade PATH… (a folder of stubs or notebooks, a .zip, or a folder holding many of them:
    a class, nbgrader's submitted/ or its course root)."""
    course = load_whole_course(course_path, lang)
    lang = language(lang, course.model.languages)
    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    modules = {e.id for e in course.exercises}
    try:
        roster = load_roster(roster_path) if roster_path else None
    except RosterError as bad:
        err.print(bad.render(lang), markup=False)
        sys.exit(2)
    found = list(dict.fromkeys(discover(paths, modules)))
    if not found:
        err.print(reports.say("nothing", lang))
        sys.exit(1)
    if gradescope_path and len(found) != 1:
        err.print(reports.say("gradescope_one", lang))
        sys.exit(1)
    ids = identify_all(found, roster, paths)
    for ident in ids.values():  # whose work it is, when in doubt: before any grading
        for note in ident.notes:
            err.print(f"{ident.student}: {note[lang]}", markup=False, style="yellow")
    todo, kept = unchanged(found, previous(json_path), modules, ids)
    if kept:
        err.print(reports.say("resumed", lang).format(n=len(kept)))
    out = json_path.open("a", encoding="utf-8") if json_path else None
    graded = list(kept)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=len(todo) < 2 or not err.is_terminal,
    )
    warned = False
    with progress:
        task = progress.add_task(reports.say("grading", lang), total=len(todo))
        for report in grade_many(course, todo, workers, ids):
            obj = report.as_json(lang)
            graded.append(obj)
            if out:
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
                out.flush()
            if report.warning and not warned:
                err.print(f"[yellow]{report.warning}[/yellow]")
                warned = True
            progress.advance(task)
    if out and json_path:
        out.close()
        reports.rewrite_jsonl(json_path, graded)
    graded.sort(key=lambda o: o["submission"])
    show = details if details is not None else len(graded) == 1
    reports.terminal(console, course, graded, lang, show)
    if csv_path:
        reports.csv_gradebook(csv_path, course, graded)
    if gradescope_path:
        reports.gradescope(gradescope_path, graded[0])


if __name__ == "__main__":  # python -m cli.grade, the same command as the console script
    main(prog_name="grade")
