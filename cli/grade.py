"""``grade``: grade one submission or a whole class; tables, JSON Lines, CSV, Gradescope."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

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
    shared,
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
    "--canvas",
    "canvas_path",
    type=click.Path(path_type=Path),
    help="Canvas's gradebook import CSV (the students from --roster's columns: name, "
    "canvas_id, sis_user_id, sis_login_id, section).",
)
@click.option(
    "--moodle",
    "moodle_path",
    type=click.Path(path_type=Path),
    help="Moodle's grade import CSV, keyed on --roster's email, username or idnumber column.",
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
    canvas_path: Path | None,
    moodle_path: Path | None,
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
    opts = Options(
        paths, json_path, csv_path, gradescope_path, html_dir, details, workers, scheduler,
        roster_path, teams_path, as_student, isolation, canvas_path, moodle_path,
    )  # fmt: skip
    _check_usage(opts, language(lang, [FALLBACK]))

    def found_by(course: Course) -> list[Path]:
        return list(dict.fromkeys(discover(paths, {e.id for e in course.exercises})))

    course, course_file = load_course_to_grade(course_path, paths, lang, found_by)
    g = Grading(opts, course, course_file, language(lang, course.model.languages))
    intake = g.intake(found_by(course))
    todo, kept = g.resume(intake)
    new, failed = g.grade(intake, todo)
    graded = sorted([*kept, *new], key=lambda o: o["submission"])
    graded, new, team_lines, results = g.play_teams(intake, graded, new)
    g.write(intake, graded, [*new, *team_lines], failed, results)
    g.show(graded, results)
    g.summarise(intake)
    if failed:
        g.err.print(reports.safe(reports.say("infrastructure", g.lang).format(n=len(failed))))
        sys.exit(1)


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    paths: tuple[Path, ...]
    json_path: Path | None
    csv_path: Path | None
    gradescope_path: Path | None
    html_dir: Path | None
    details: bool | None
    workers: int | None
    scheduler: str | None
    roster_path: Path | None
    teams_path: Path | None
    as_student: str | None
    isolation: str
    canvas_path: Path | None = None
    moodle_path: Path | None = None


def _check_usage(opts: Options, lang: str) -> None:
    """Bad paths and options: exit 2 before the course is even loaded."""
    for path in opts.paths:
        if not path.exists():
            usage(
                "grade",
                t(f"{path}: no such file or folder", f"{path}: нет такого файла или папки"),
                lang,
            )
    outputs = [
        (opts.json_path, "--json"),
        (opts.csv_path, "--csv"),
        (opts.gradescope_path, "--gradescope"),
        (opts.canvas_path, "--canvas"),
        (opts.moodle_path, "--moodle"),
    ]
    for out_path, option in outputs:
        problem = out_path and output_problem(out_path, option)
        if problem:
            usage("grade", problem, lang)
    if opts.html_dir is not None:
        from cli.html.folder import html_problem  # the HTML pages (and sympy): only for --html

        problem = html_problem(opts.html_dir)
        if problem:
            usage("grade", problem, lang)
    if opts.workers is not None and opts.workers < 1:
        usage("grade", t("--workers: at least 1", "--workers: не меньше 1"), lang)
    if opts.scheduler is not None:
        _check_scheduler(opts.scheduler, opts.workers, lang)


@dataclass
class Intake:
    """Whose submissions are graded, read once before any grading: what flows on."""

    found: list[Path]
    ids: dict[str, Identity]  # str(path) → the id and where it came from
    ledger: Ledger | None
    teams: Any = None  # the --teams roster
    settings: Any = None  # course.yml's gradescope:, for --gradescope


class Grading:
    """One ``grade`` run, step by step: intake, resume, grade, teams, outputs, the table."""

    def __init__(self, opts: Options, course: Course, course_file: Path, lang: str) -> None:
        from rich.console import Console

        self.opts, self.course, self.course_file, self.lang = opts, course, course_file, lang
        self.console = Console(highlight=False, emoji=False)  # student text shown as written
        self.err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # uncut
        self.err.print(reports.safe(reports.say("course", lang).format(path=_shown(course_file))))
        if opts.isolation == "namespaces":  # before any file is opened
            _require_namespaces(self.err, lang)
        self.digest = ""  # what resuming compares: a --json file and a cluster's workers need it

    def _refuse(self, bad: Any) -> NoReturn:
        self.err.print(bad.render(self.lang), markup=False)
        sys.exit(2)

    def intake(self, found: list[Path]) -> Intake:
        """The rosters, the submissions and whose each is: usage problems exit 2 here."""
        opts, course, lang = self.opts, self.course, self.lang
        try:
            roster = load_roster(opts.roster_path) if opts.roster_path else None
        except RosterError as bad:
            self._refuse(bad)
        teams = None
        if opts.teams_path is not None:  # the volunteers' round, and its code, only then
            from grader.teams import TeamError, check_students
            from grader.teams import grading as team_mode

            try:
                teams = team_mode.load(opts.teams_path, course)
            except TeamError as bad:
                self._refuse(bad)
        if not found:
            usage("grade", same(reports.say("nothing", lang)), lang)
        if opts.gradescope_path and len(found) != 1:
            usage("grade", same(reports.say("gradescope_one", lang)), lang)
        settings = (
            _gradescope_settings(course, self.course_file, lang) if opts.gradescope_path else None
        )
        try:
            ledger = Ledger(opts.json_path) if opts.json_path else None
        except LedgerError as e:
            usage("grade", e.problems[0].text, lang)
        if opts.as_student is not None:
            ids = {str(p): Identity(clean_id(opts.as_student), "platform") for p in found}
        else:
            ids = identify_all(found, roster, opts.paths)
        for ident in ids.values():  # whose work it is, when in doubt: before any grading
            for note in ident.notes:
                self.err.print(f"{ident.student}: {pick(note, lang)}", markup=False, style="yellow")
        if teams is not None:
            try:
                check_students(teams, (i.student for i in ids.values()))
            except TeamError as bad:
                self._refuse(bad)
        return Intake(found, ids, ledger, teams, settings)

    def resume(self, intake: Intake) -> tuple[list[Path], list[dict[str, Any]]]:
        """The submissions to grade, and the earlier reports still valid (--json)."""
        opts = self.opts
        if intake.ledger is not None or opts.scheduler:
            self.digest = fingerprint(self.course, self.course_file)
            if opts.teams_path is not None:  # a share follows the roster: a new one regrades
                from grader.teams import grading as team_mode

                self.digest = team_mode.digest(self.digest, opts.teams_path)
        previous = intake.ledger.previous() if intake.ledger else {}
        if opts.html_dir is not None:  # a page's graph comes from grading: regrade without one
            previous = {k: v for k, v in previous.items() if "graph" in v}
        modules = {e.id for e in self.course.exercises}
        todo, kept = unchanged(intake.found, previous, modules, self.digest, intake.ids)
        if kept:
            self.err.print(reports.say("resumed", self.lang).format(n=len(kept)))
        return todo, kept

    def grade(self, intake: Intake, todo: list[Path]) -> tuple[list[dict], list[Report]]:
        """Each submission's report as it comes (saved at once with --json), and the
        submissions the grader itself failed on."""
        opts, course, lang, err = self.opts, self.course, self.lang, self.err
        new: list[dict] = []
        failed: list[Report] = []
        if len(todo) > 1:  # a class: long work, the garbage collector on again
            collect_again()
        pages = opts.html_dir is not None
        client = _connect(opts.scheduler, err, lang) if opts.scheduler and todo else None
        if client is not None:
            from grader.distributed import grade_on_cluster

            runs = grade_on_cluster(
                course, self.course_file, todo, client, intake.ids, self.digest, pages
            )
        else:
            runs = grade_many(course, todo, opts.workers, intake.ids, pages)
        own: Callable[[dict, Any], dict] | None = None  # a volunteer's share, with --teams
        if intake.teams is not None:
            from grader.teams import grading as team_mode  # once, not per report

            own = team_mode.own
        shown_isolation = False
        with _progress(err, len(todo)) as progress:
            task = progress.add_task(reports.say("grading", lang), total=len(todo))
            for report in runs:
                progress.advance(task)
                if not shown_isolation:
                    _say_isolation(err, report.isolation, report.warning, lang)
                    shown_isolation = bool(report.isolation)
                if opts.isolation == "namespaces" and report.isolation not in ("", "namespaces"):
                    report.failure = reports.say("weaker", lang).format(isolation=report.isolation)
                if report.failure:  # the grader's failure: no grade, nothing saved
                    failed.append(report)
                    said = reports.say("not_graded", lang).format(
                        submission=path_text(report.submission), why=report.failure
                    )
                    err.print(reports.safe(said))
                    continue
                obj = {**report.as_json(lang), "course_digest": self.digest}
                if own is not None:
                    obj = own(obj, intake.teams)
                new.append(obj)
                if intake.ledger:
                    intake.ledger.append(obj)
        if client is not None:
            client.close()
        return new, failed

    def play_teams(
        self, intake: Intake, graded: list[dict], new: list[dict]
    ) -> tuple[list[dict], list[dict], list[dict], list[Any]]:
        """With --teams, each team's round, from what each member's grade was given from:
        (every line with its team's verdicts, the lines to save, the teams' lines, results)."""
        if intake.teams is None:
            return graded, new, [], []
        from grader.teams import grading as team_mode

        try:
            routes = {o["submission"]: o.get("routes", {}) for o in graded}
            results = team_mode.play_all(
                self.course, intake.teams, intake.found, intake.ids, routes
            )
        except SandboxError as e:
            self.err.print(reports.safe(reports.say("teams_failed", self.lang).format(why=e)))
            sys.exit(1)
        graded = team_mode.with_team_links(graded, results, self.lang)
        lines = [r.as_json(self.lang) for r in results]
        return graded, list(graded), lines, results  # every line carries its team's verdicts

    def write(
        self,
        intake: Intake,
        graded: list[dict],
        lines: list[dict],
        failed: list[Report],
        results: list[Any],
    ) -> None:
        """The files, before the table: a crash in drawing it must never lose them."""
        opts, course, lang = self.opts, self.course, self.lang
        try:
            if intake.ledger:
                intake.ledger.finish(lines, {path_text(r.submission) for r in failed})
            if opts.csv_path:
                reports.csv_gradebook(opts.csv_path, course, graded)
            if opts.gradescope_path and graded:
                reports.gradescope(opts.gradescope_path, graded[0], intake.settings)
            if opts.html_dir:
                from cli import html

                html.write(opts.html_dir, course, graded, lang, results)
            self._exports(graded)
        except OSError as e:
            self.err.print(reports.safe(reports.say("unwritten", lang).format(why=e)))
            sys.exit(1)

    def summarise(self, intake: Intake) -> None:
        """What concerns the run as a whole, said once: each student id that several
        submissions carry, with all of them (each report names only a few)."""
        for student, keys in shared(intake.ids).items():
            listed = ", ".join(path_text(k) for k in keys)
            said = reports.say("shared_id", self.lang).format(
                student=student, n=len(keys), submissions=listed
            )
            self.err.print(reports.safe(said), style="yellow")

    def _exports(self, graded: list[dict]) -> None:
        """The learning platforms' gradebook files; the students the roster does not list
        are written by their id and named here."""
        opts = self.opts
        if not (opts.canvas_path or opts.moodle_path):
            return
        from cli import exports

        roster = exports.roster_details(opts.roster_path)
        name, total = self.course.assignment, self.course.points.auto
        missing: list[str] = []
        if opts.canvas_path:
            missing += exports.canvas(opts.canvas_path, graded, name, total, roster)
        if opts.moodle_path:
            missing += exports.moodle(opts.moodle_path, graded, name, roster)
        if missing:
            listed = ", ".join(dict.fromkeys(missing))
            said = reports.say("not_in_roster", self.lang).format(students=listed)
            self.err.print(reports.safe(said), style="yellow")

    def show(self, graded: list[dict], results: list[Any]) -> None:
        """The terminal's table (per question for one student), and each team's chain."""
        details = self.opts.details
        show = details if details is not None else len(graded) == 1
        if graded:
            reports.terminal(self.console, self.course, graded, self.lang, show)
        for result in results:
            reports.team_chain(self.console, result, self.lang, self.course.model)


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
