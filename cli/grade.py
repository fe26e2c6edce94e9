"""``grade``: grade one submission or a whole class; tables, JSON Lines, CSV, Gradescope."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli import reports
from cli.common import (
    collect_again,
    course_option,
    fail,
    lang_option,
    load_course_to_grade,
    run,
    usage,
)
from cli.ledger import Ledger, LedgerError
from grader.grading import Report, fingerprint, grade_many, path_text, unchanged
from grader.intake.identity import (
    Identity,
    RosterError,
    clean_id,
    identify_all,
    load_roster,
)
from grader.intake.submissions import discover
from grader.sandbox import SandboxError
from publish.output_files import problem as output_problem
from reference.course.source import CourseError
from reference.i18n import FALLBACK, language, pick, same, t

if TYPE_CHECKING:  # rich and the course's code load after one student's sandbox has started
    from rich.console import Console

    from reference.course.exercises import Course


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path),
    help="JSON Lines: one object a submission. An existing file resumes the run: a "
    "submission whose files, course and grader are unchanged is not graded again; lines of "
    "other submissions are kept. One run a file (locked).",
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
    "--html",
    "html_dir",
    type=click.Path(path_type=Path),
    help="A folder for feedback pages: index.html (the class dashboard, with stats.csv and "
    "stats.json) and one page per student. Static, opens offline.",
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
@click.option(
    "--teams",
    "teams_path",
    type=click.Path(path_type=Path),
    help="CSV with the header team,student,node: the volunteers' round. Each student is graded "
    "on the questions of what they own; each team's chain runs through its members' code.",
)
@click.option(
    "--as-student",
    "as_student",
    default=None,
    hidden=True,  # Gradescope's run_autograder: the platform's user, decided before grading
    help="Grade every PATH as this student id, whatever its names or student.txt say.",
)
@click.option(
    "--isolation",
    type=click.Choice(["auto", "namespaces"]),
    default="auto",
    help="namespaces: refuse to grade (exit 1, nothing saved) unless student code runs in "
    "Linux namespaces; auto (default): the strongest this machine has, a weaker one said "
    "loudly.",
)
@click.option("--workers", type=int, default=None, help="Parallel workers (default: cores).")
@click.option(
    "--scheduler",
    metavar="ADDR",
    default=None,
    help="Grade on the Dask distributed cluster whose scheduler is at ADDR "
    "(tcp://host:8786); needs the extra [dask] here and the package and course on every worker.",
)
@course_option
@lang_option
def main(
    paths: tuple[Path, ...],
    json_path: Path | None,
    csv_path: Path | None,
    gradescope_path: Path | None,
    html_dir: Path | None,
    details: bool | None,
    workers: int | None,
    scheduler: str | None,
    roster_path: Path | None,
    teams_path: Path | None,
    as_student: str | None,
    isolation: str,
    course_path: Path | None,
    lang: str | None,
) -> None:
    """Grade PATH… (a folder of stubs or notebooks, a .zip, or a folder holding many of them:
    a class, nbgrader's submitted/ or its course root).

    Exit 0: graded (student errors included); 1: the grader failed on some submission (none
    of those saved); 2: a bad path or option, found before grading."""
    early = language(lang, [FALLBACK])
    for path in paths:
        if not path.exists():
            usage(
                "grade",
                t(f"{path}: no such file or folder", f"{path}: нет такого файла или папки"),
                early,
            )
    outputs = [(json_path, "--json"), (csv_path, "--csv"), (gradescope_path, "--gradescope")]
    for out_path, option in outputs:
        problem = out_path and output_problem(out_path, option)
        if problem:
            usage("grade", problem, early)
    if html_dir is not None:
        from cli.html.folder import html_problem  # the HTML pages (and sympy): only for --html

        problem = html_problem(html_dir)
        if problem:
            usage("grade", problem, early)
    if workers is not None and workers < 1:
        usage("grade", t("--workers: at least 1", "--workers: не меньше 1"), early)
    if scheduler is not None:
        _check_scheduler(scheduler, workers, early)

    def found_by(course: Course) -> list[Path]:
        return list(dict.fromkeys(discover(paths, {e.id for e in course.exercises})))

    course, course_file = load_course_to_grade(course_path, paths, lang, found_by)
    lang = language(lang, course.model.languages)
    from rich.console import Console

    if teams_path is not None:  # the volunteers' round, and its code, only with --teams
        from grader.teams import TeamError, check_students
        from grader.teams import grading as team_mode

    console = Console(highlight=False, emoji=False)  # student text shown as written
    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # never cut
    err.print(reports.safe(reports.say("course", lang).format(path=_shown(course_file))))
    if isolation == "namespaces":  # before any file is opened
        _require_namespaces(err, lang)
    modules = {e.id for e in course.exercises}
    try:
        roster = load_roster(roster_path) if roster_path else None
    except RosterError as bad:
        err.print(bad.render(lang), markup=False)
        sys.exit(2)
    try:
        roster_of_teams = team_mode.load(teams_path, course) if teams_path else None
    except TeamError as bad:
        err.print(bad.render(lang), markup=False)
        sys.exit(2)
    found = found_by(course)
    if not found:
        usage("grade", same(reports.say("nothing", lang)), lang)
    if gradescope_path and len(found) != 1:
        usage("grade", same(reports.say("gradescope_one", lang)), lang)
    settings = _gradescope_settings(course, course_file, lang) if gradescope_path else None
    try:
        ledger = Ledger(json_path) if json_path else None
    except LedgerError as e:
        usage("grade", e.problems[0].text, lang)
    if as_student is not None:
        ids = {str(p): Identity(clean_id(as_student), "platform") for p in found}
    else:
        ids = identify_all(found, roster, paths)
    for ident in ids.values():  # whose work it is, when in doubt: before any grading
        for note in ident.notes:
            err.print(f"{ident.student}: {pick(note, lang)}", markup=False, style="yellow")
    if roster_of_teams is not None:
        try:
            check_students(roster_of_teams, (i.student for i in ids.values()))
        except TeamError as bad:
            err.print(bad.render(lang), markup=False)
            sys.exit(2)
    digest = ""  # what resuming compares: only a --json file (and a cluster's workers) need it
    if ledger is not None or scheduler:
        digest = fingerprint(course, course_file)
        if teams_path is not None:  # a student's share follows the roster: a new one regrades
            digest = team_mode.digest(digest, teams_path)
    previous = ledger.previous() if ledger else {}
    pages = html_dir is not None
    if pages:  # a page's graph comes from grading: a report without one regrades
        previous = {k: v for k, v in previous.items() if "graph" in v}
    todo, kept = unchanged(found, previous, modules, digest, ids)
    if kept:
        err.print(reports.say("resumed", lang).format(n=len(kept)))
    graded = list(kept)
    new: list[dict] = []
    failed: list[Report] = []
    if len(todo) > 1:  # a class: long work, the garbage collector on again
        collect_again()
    progress = _progress(err, len(todo))
    shown_isolation = False
    client = _connect(scheduler, err, lang) if scheduler and todo else None
    if client is not None:
        from grader.distributed import grade_on_cluster

        runs = grade_on_cluster(
            course, course_file, todo, client, ids, digest, html_dir is not None
        )
    else:
        runs = grade_many(course, todo, workers, ids, html_dir is not None)
    with progress:
        task = progress.add_task(reports.say("grading", lang), total=len(todo))
        for report in runs:
            progress.advance(task)
            if not shown_isolation:
                _say_isolation(err, report.isolation, report.warning, lang)
                shown_isolation = bool(report.isolation)
            if isolation == "namespaces" and report.isolation not in ("", "namespaces"):
                report.failure = reports.say("weaker", lang).format(isolation=report.isolation)
            if report.failure:  # the grader's failure: no grade, nothing saved
                failed.append(report)
                err.print(
                    reports.safe(
                        reports.say("not_graded", lang).format(
                            submission=path_text(report.submission), why=report.failure
                        )
                    )
                )
                continue
            obj = {**report.as_json(lang), "course_digest": digest}
            if roster_of_teams is not None:
                obj = team_mode.own(obj, roster_of_teams)
            new.append(obj)
            if ledger:
                ledger.append(obj)
    if client is not None:
        client.close()
    graded += new
    graded.sort(key=lambda o: o["submission"])
    team_lines: list[dict] = []
    results = []
    if roster_of_teams is not None:
        try:
            routes = {o["submission"]: o.get("routes", {}) for o in graded}
            results = team_mode.play_all(course, roster_of_teams, found, ids, routes)
        except SandboxError as e:
            err.print(reports.safe(reports.say("teams_failed", lang).format(why=e)))
            sys.exit(1)
        graded = team_mode.with_team_links(graded, results, lang)
        new = list(graded)  # every line now carries its team's verdicts
        team_lines = [r.as_json(lang) for r in results]
    try:  # the files first: a crash in drawing the table must never lose them
        if ledger:
            ledger.finish([*new, *team_lines], {path_text(r.submission) for r in failed})
        if csv_path:
            reports.csv_gradebook(csv_path, course, graded)
        if gradescope_path and graded:
            reports.gradescope(gradescope_path, graded[0], settings)
        if html_dir:
            from cli import html

            html.write(html_dir, course, graded, lang, results)
    except OSError as e:
        err.print(reports.safe(reports.say("unwritten", lang).format(why=e)))
        sys.exit(1)
    show = details if details is not None else len(graded) == 1
    if graded:
        reports.terminal(console, course, graded, lang, show)
    for result in results:
        reports.team_chain(console, result, lang, course.model)
    if failed:
        err.print(reports.safe(reports.say("infrastructure", lang).format(n=len(failed))))
        sys.exit(1)


def _require_namespaces(err: Console, lang: str) -> None:
    """``--isolation namespaces`` on a machine without them: exit 1 before any grading."""
    from grader.sandbox import Sandbox

    try:
        with Sandbox(isolation="namespaces"):
            return
    except SandboxError as why:
        err.print(reports.safe(reports.say("no_namespaces", lang).format(why=why)))
        sys.exit(1)


def _say_isolation(err: Console, isolation: str, warning: str, lang: str) -> None:
    """The sandbox that grades, once: a line when it is namespaces, a banner when weaker."""
    if not isolation:
        return
    if not warning:
        err.print(reports.say("isolation", lang).format(isolation=isolation), style="dim")
        return
    for line in (f"!! {warning}", f"!! {reports.say('insist', lang)}"):
        err.print(reports.safe(line), style="bold yellow")


def _gradescope_settings(course: Course, course_file: Path, lang: str) -> Any:
    """course.yml's ``gradescope:`` (visibility): a mistake there is the course's, exit 1."""
    from publish.gradescope.settings import load

    try:
        return load(course_file, {q.qid for q in course.questions})
    except CourseError as e:
        fail(list(e.problems), lang)


def _check_scheduler(address: str, workers: int | None, lang: str) -> None:
    """--scheduler's usage problems, before the course is even loaded."""
    if workers is not None:
        usage(
            "grade",
            t(
                "--workers and --scheduler: choose one (the cluster has its own workers)",
                "--workers и --scheduler: выберите одно (у кластера свои исполнители)",
            ),
            lang,
        )
    if not address.strip():
        usage("grade", t("--scheduler: an address is needed", "--scheduler: нужен адрес"), lang)
    try:
        import grader.distributed  # noqa: F401
    except ImportError:
        usage(
            "grade",
            t(
                "--scheduler needs Dask distributed: pip install 'backprop-course[dask]'",
                "для --scheduler нужен Dask distributed: pip install 'backprop-course[dask]'",
            ),
            lang,
        )


class _NoProgress:
    """What grading one submission (or output to no terminal) needs of a progress bar."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def add_task(self, description: str, total: int) -> int:
        return 0

    def advance(self, task: int) -> None:
        pass


def _progress(err: Console, n: int) -> Any:
    """A progress bar on `err` for a class on a terminal; rich's Progress is imported only then."""
    if n < 2 or not err.is_terminal:
        return _NoProgress()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def _connect(address: str, err: Console, lang: str) -> Any:
    """A client of the cluster, or exit 1: a cluster out of reach is the grader's failure."""
    from grader.distributed import ClusterError, connect

    try:
        return connect(address)
    except ClusterError as e:
        why = t(
            f"grade: the cluster cannot grade, nothing was graded: {e}",
            f"grade: кластер не может проверять, ничего не проверено: {e}",
        )
        err.print(reports.safe(pick(why, lang)))
        sys.exit(1)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def entry() -> None:
    """The console script: ``main``, and a quick exit (:func:`cli.common.run`)."""
    run(main, "grade")


if __name__ == "__main__":  # python -m cli.grade, the same command as the console script
    entry()
