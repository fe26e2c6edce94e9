"""``grade``: grade one submission or a whole class; tables, JSON Lines, CSV, Gradescope."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from cli import reports
from cli.common import (
    collect_again,
    course_option,
    lang_option,
    load_course_to_grade,
    run,
    usage,
)
from cli.ledger import Ledger, LedgerError
from cli.outputs import OUTPUTS, Output, Run
from cli.outputs.jsonl import JsonLines
from cli.stream import Spool
from grader.grading import Done, Report, Workers, fingerprint, path_text, unchanged
from grader.intake.identity import Identity, clean_id, identify_all, shared
from grader.intake.roster import RosterError, load_roster
from grader.intake.submissions import discover
from grader.sandbox import SandboxError
from reference.i18n import FALLBACK, language, pick, say, t

if TYPE_CHECKING:  # rich and the course's code load after one student's sandbox has started
    from rich.console import Console

    from grader.course.questions import Course
    from grader.teams.grading import Rounds


def command(outputs: tuple[type[Output], ...] = OUTPUTS) -> click.Command:
    """``grade`` with an option for each of ``outputs`` (:data:`cli.outputs.OUTPUTS`)."""

    def main(
        paths: tuple[Path, ...],
        details: bool | None,
        workers: int | None,
        scheduler: str | None,
        roster_path: Path | None,
        teams_path: Path | None,
        as_student: str | None,
        isolation: str,
        course_path: Path | None,
        lang: str | None,
        **given: Path | None,
    ) -> None:
        """Grade PATH… (a folder of stubs or notebooks, a .zip, or a folder holding many of
        them: a class, nbgrader's submitted/ or its course root).

        Exit 0: graded (student errors included); 1: the grader failed on some submission
        (none of those saved); 2: a bad path or option, found before grading."""
        chosen = {o: path for o in outputs if (path := given.get(o.dest())) is not None}
        settings = {
            o: {s.dest(): v for s in o.options if (v := given.get(s.dest())) is not None}
            for o in outputs
        }
        opts = Options(
            paths, chosen, details, workers, scheduler, roster_path, teams_path, as_student,
            isolation, settings,
        )  # fmt: skip
        grade(opts, course_path, lang)

    for option in reversed(_OPTIONS):
        main = option(main)
    for output in reversed(outputs):  # the outputs' options first, in the registry's order
        for setting in reversed(output.options):  # each after its output's own
            main = click.option(setting.flag, setting.dest(), type=setting.type, help=setting.help)(
                main
            )
        main = click.option(
            output.flag, output.dest(), type=click.Path(path_type=Path), help=output.help
        )(main)
    main = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))(main)
    return click.command("grade", context_settings={"help_option_names": ["-h", "--help"]})(main)


_OPTIONS = (
    click.option(
        "--details/--no-details",
        default=None,
        help="Per-question table for every submission (default: when grading one).",
    ),
    click.option(
        "--roster",
        "roster_path",
        type=click.Path(path_type=Path),
        help="CSV with the header submission,student: a folder or zip name → the student's "
        "id (else student.txt, nbgrader's <student>/<assignment>, the name).",
    ),
    click.option(
        "--teams",
        "teams_path",
        type=click.Path(path_type=Path),
        help="CSV with the header team,student,node: the volunteers' round. Each student is "
        "graded on the questions of what they own; each team's chain runs through its "
        "members' code.",
    ),
    click.option(
        "--as-student",
        "as_student",
        default=None,
        hidden=True,  # Gradescope's run_autograder: the platform's user, decided before grading
        help="Grade every PATH as this student id, whatever its names or student.txt say.",
    ),
    click.option(
        "--isolation",
        type=click.Choice(["auto", "namespaces"]),
        default="auto",
        help="namespaces: refuse to grade (exit 1, nothing saved) unless student code runs in "
        "Linux namespaces; auto (default): the strongest this machine has, a weaker one said "
        "loudly.",
    ),
    click.option("--workers", type=int, default=None, help="Parallel workers (default: cores)."),
    click.option(
        "--scheduler",
        metavar="ADDR",
        default=None,
        help="Grade on the Dask distributed cluster whose scheduler is at ADDR "
        "(tcp://host:8786); needs the extra [dask] here and the package and course on every "
        "worker.",
    ),
    course_option,
    lang_option,
)


def grade(opts: Options, course_path: Path | None, lang: str | None) -> None:
    """One run: usage, the course, intake, resume, grading, teams, outputs, the table."""
    _check_usage(opts, language(lang, [FALLBACK]))

    def found_by(course: Course) -> list[Path]:
        return list(dict.fromkeys(discover(opts.paths, {e.id for e in course.exercises})))

    course, course_file = load_course_to_grade(course_path, opts.paths, lang, found_by)
    g = Grading(opts, course, course_file, language(lang, course.model.languages))
    intake = g.intake(found_by(course))
    try:
        todo = g.resume(intake)
        failed = g.grade(intake, todo)
        g.play_teams(intake)
        g.write(intake, failed)
        g.show(intake, failed)
    finally:
        intake.spool.close()  # a --json file's lock, held to the end
    g.summarise(intake)
    if failed:
        g.err.print(
            reports.safe(
                say("terminal.submission_not_graded_because_grader", g.lang, n=len(failed))
            )
        )
        sys.exit(1)


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    paths: tuple[Path, ...]
    outputs: dict[type[Output], Path]  # each output asked for → its file or folder
    details: bool | None
    workers: int | None
    scheduler: str | None
    roster_path: Path | None
    teams_path: Path | None
    as_student: str | None
    isolation: str
    settings: dict[type[Output], dict[str, Any]] = field(default_factory=dict)  # given

    @property
    def json_path(self) -> Path | None:
        """The --json file: also the run's stream and what a run resumes from."""
        return self.outputs.get(JsonLines)


def _check_usage(opts: Options, lang: str) -> None:
    """Bad paths and options: exit 2 before the course is even loaded."""
    for path in opts.paths:
        if not path.exists():
            usage(
                "grade",
                t("terminal.no_such_file_folder", path=path),
                lang,
            )
    for output, out_path in opts.outputs.items():
        problem = output.problem(out_path, -1)
        if problem:
            usage("grade", problem, lang)
    for output, given in opts.settings.items():
        if given and output not in opts.outputs:  # a setting of an output not asked for
            flag = next(s.flag for s in output.options if s.dest() in given)
            usage("grade", t("terminal.option_goes_with", option=flag, output=output.flag), lang)
    if opts.workers is not None and opts.workers < 1:
        usage("grade", t("terminal.workers_at_least_1"), lang)
    if opts.scheduler is not None:
        _check_scheduler(opts.scheduler, opts.workers, lang)


@dataclass
class Intake:
    """Whose submissions are graded, read once before any grading, and where their reports
    go: what flows on."""

    found: list[Path]
    ids: dict[str, Identity]  # str(path) → the id and where it came from
    spool: Spool  # the run's stream: the --json ledger, or a temporary file
    outputs: list[Output]
    teams: Any = None  # the --teams roster


class Grading:
    """One ``grade`` run, step by step: intake, resume, grade, teams, outputs, the table."""

    def __init__(self, opts: Options, course: Course, course_file: Path, lang: str) -> None:
        from rich.console import Console

        self.opts, self.course, self.course_file, self.lang = opts, course, course_file, lang
        self.console = Console(highlight=False, emoji=False)  # student text shown as written
        self.err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # uncut
        self.err.print(reports.safe(say("terminal.course", lang, path=_shown(course_file))))
        if opts.isolation == "namespaces":  # before any file is opened
            _require_namespaces(self.err, lang)
        self.digest = ""  # what resuming compares (the roster's bytes in it, with --teams)
        self.fingerprint = ""  # the course's and the grader's: what a cluster's workers match
        self.run = Run(course, course_file, lang, self._warn)
        self.change: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # team verdicts
        self.rounds: Rounds | None = None  # with --teams, graded here: the rounds as they go
        self.shown_isolation = False  # the sandbox that grades, said once
        self.table = reports.ClassTable(course, lang)

    def _warn(self, text: str) -> None:
        self.err.print(reports.safe(text), style="yellow")

    def _refuse(self, bad: Any) -> NoReturn:
        self.err.print(bad.render(self.lang), markup=False)
        sys.exit(2)

    def intake(self, found: list[Path]) -> Intake:
        """The rosters, the submissions and whose each is, the outputs: usage problems exit
        2 here."""
        opts, course, lang = self.opts, self.course, self.lang
        try:
            roster = load_roster(opts.roster_path) if opts.roster_path else None
        except RosterError as bad:
            self._refuse(bad)
        self.run.roster = roster.details if roster else {}
        teams = None
        if opts.teams_path is not None:  # the volunteers' round, and its code, only then
            from grader.teams import TeamError, check_students
            from grader.teams import grading as team_mode

            try:
                teams = team_mode.load(opts.teams_path, course)
            except TeamError as bad:
                self._refuse(bad)
        if not found:
            usage("grade", t("terminal.no_submission_found_there"), lang)
        for output, out_path in opts.outputs.items():
            problem = output.problem(out_path, len(found))
            if problem:
                usage("grade", problem, lang)
        for output, out_path in opts.outputs.items():  # before any is made: what they share
            self.run.settings.update(opts.settings.get(output, {}))
            if (link := output.linked(out_path)) is not None:
                self.run.links.append(link)
        outputs = [output(out_path, self.run) for output, out_path in opts.outputs.items()]
        try:
            spool = Ledger(opts.json_path) if opts.json_path else Spool()
        except LedgerError as e:
            usage("grade", e.problems[0].text, lang)
        self.run.ledger = spool if isinstance(spool, Ledger) else None
        if opts.as_student is not None:
            ids = {str(p): Identity(clean_id(opts.as_student), "platform") for p in found}
        else:
            ids = identify_all(found, roster.ids if roster else None, opts.paths)
        for ident in ids.values():  # whose work it is, when in doubt: before any grading
            for note in ident.notes:
                self.err.print(f"{ident.student}: {pick(note, lang)}", markup=False, style="yellow")
        if teams is not None:
            try:
                check_students(teams, (i.student for i in ids.values()))
            except TeamError as bad:
                self._refuse(bad)
        return Intake(found, ids, spool, outputs, teams)

    @property
    def pages(self) -> bool:
        """Whether an output draws the graph grading collects (``--html``)."""
        return any(o.needs_graph for o in self.opts.outputs)

    def resume(self, intake: Intake) -> list[Path]:
        """The submissions to grade; the earlier reports still valid (--json) join the run."""
        opts = self.opts
        if opts.json_path is not None or opts.scheduler:
            self.digest = self.fingerprint = fingerprint(self.course, self.course_file)
            if opts.teams_path is not None:  # a share follows the roster: a new one regrades
                from grader.teams import grading as team_mode

                self.digest = team_mode.digest(self.digest, opts.teams_path)
        ledger = self.run.ledger
        # a page's graph comes from grading: without one, a submission is graded again
        previous = ledger.previous(with_graph=self.pages) if ledger else {}
        modules = {e.id for e in self.course.exercises}
        todo, kept = unchanged(intake.found, previous, modules, self.digest, intake.ids)
        for key in kept:
            intake.spool.keep(key)
        if kept:
            self.err.print(
                say("terminal.unchanged_submission_kept_from_earlier", self.lang, n=len(kept))
            )
        return todo

    def grade(self, intake: Intake, todo: list[Path]) -> list[Report]:
        """Each submission's report onto the stream as it comes (on disk at once: with
        --json a run resumes from it), and with --teams each team's round given to the
        grading workers as soon as its members are graded; the submissions the grader itself
        failed on."""
        opts, err = self.opts, self.err
        if len(todo) > 1:  # a class: long work, the garbage collector on again
            collect_again()
        client = _connect(opts.scheduler, err, self.lang) if opts.scheduler and todo else None
        runs = self._runs(intake, todo, client)
        failed: list[Report] = []
        with _progress(err, len(todo)) as progress:
            task = progress.add_task(say("terminal.grading", self.lang), total=len(todo))
            for item in runs:
                if isinstance(item, Done):  # a team's round, played
                    assert self.rounds is not None
                    self.rounds.finished(item)
                    continue
                progress.advance(task)
                line = self._take(item, intake, failed)
                if self.rounds is not None and isinstance(runs, Workers):
                    from grader.teams.grading import give

                    give(runs, self.rounds.settle(path_text(item.submission), line))
        if client is not None:
            client.close()
        return failed

    def _runs(self, intake: Intake, todo: list[Path], client: Any) -> Iterable[Report | Done]:
        """Where the reports come from: the cluster, or grading workers here that also play
        each team's round the moment its members are graded (:attr:`rounds`), their teams'
        members graded together, the roster's first teams first."""
        opts, course = self.opts, self.course
        if client is not None:
            # No overlap on a cluster: its workers take batches of submissions shipped as data
            # and nothing else, so the teams' rounds wait for the class and are played on this
            # machine's grading workers then (play_teams), as before.
            from grader.distributed import grade_on_cluster

            return grade_on_cluster(
                course, self.course_file, todo, client, intake.ids, self.fingerprint, self.pages
            )
        if intake.teams is None:
            return Workers(course, todo, opts.workers, intake.ids, self.pages)
        from grader.teams import grading as team_mode

        todo = team_mode.by_team(todo, intake.ids, intake.teams)
        grading = (path_text(p) for p in todo)
        self.rounds = team_mode.Rounds(course, intake.teams, intake.found, intake.ids, grading)
        teams = len(intake.teams.teams)
        runs = Workers(course, todo, opts.workers, intake.ids, self.pages, teams)
        team_mode.give(runs, self.rounds.start(_this_run(intake.spool)))
        return runs

    def _take(self, report: Report, intake: Intake, failed: list[Report]) -> dict[str, Any] | None:
        """One report onto the stream, as its line (a volunteer's cut to their share); None
        for one the grader failed on (said, added to ``failed``, never saved)."""
        opts, lang = self.opts, self.lang
        if not self.shown_isolation:
            _say_isolation(self.err, report.isolation, report.warning, lang)
            self.shown_isolation = bool(report.isolation)
        if opts.isolation == "namespaces" and report.isolation not in ("", "namespaces"):
            report.failure = say(
                "terminal.graded_weaker_sandbox_refused_by",
                lang,
                isolation=report.isolation,
            )
        if report.failure:  # the grader's failure: no grade, nothing saved
            failed.append(report)
            said = say(
                "terminal.not_graded_grader_failed",
                lang,
                submission=path_text(report.submission),
                why=report.failure,
            )
            self.err.print(reports.safe(said))
            return None
        obj = {**report.as_json(lang), "course_digest": self.digest}
        if intake.teams is not None:  # a volunteer's share (the module came with the roster)
            from grader.teams.grading import own

            obj = own(obj, intake.teams)
        intake.spool.append(obj)
        for output in intake.outputs:  # an output's work per submission starts now
            output.graded(obj)
        return obj

    def play_teams(self, intake: Intake) -> None:
        """With --teams, each team's result (played while grading; on a cluster, now, from
        what each member's grade was given from): the teams' lines join the stream, in the
        roster's order, and each member's line gets its team's verdicts."""
        if intake.teams is None:
            return
        from grader.teams import grading as team_mode

        spool = intake.spool
        try:
            if self.rounds is None:  # graded on a cluster: every round now, in workers here
                rounds = team_mode.Rounds(self.course, intake.teams, intake.found, intake.ids)
                jobs = rounds.start(_this_run(spool))
                results = team_mode.play_all(rounds, jobs, self.opts.workers)
            else:
                results = self.rounds.results()
        except SandboxError as e:
            self.err.print(
                reports.safe(say("terminal.teams_rounds_could_not_run", self.lang, why=e))
            )
            sys.exit(1)
        self.run.teams = results
        for result in results:
            spool.append(result.as_json(self.lang))
        self.change = team_mode.linking(results, self.lang)

    def write(self, intake: Intake, failed: list[Report]) -> None:
        """Every output from one pass over the stream, before the table: a crash in drawing
        it must never lose them.  The table's compact rows are taken on the way."""
        forget = {path_text(r.submission) for r in failed}
        outputs = intake.outputs
        try:
            for line, mine in intake.spool.lines(forget, self.change):
                if mine and "submission" in line:
                    self.table.add(line)
                for output in outputs:
                    if mine or output.every_line:
                        output.add(line, mine)
            for output in outputs:
                output.finish()
        except OSError as e:
            for output in outputs:
                output.discard()
            self.err.print(
                reports.safe(say("terminal.grade_output_file_could_not", self.lang, why=e))
            )
            sys.exit(1)

    def summarise(self, intake: Intake) -> None:
        """What concerns the run as a whole, said once: each student id that several
        submissions carry, with all of them (each report names only a few)."""
        for student, keys in shared(intake.ids).items():
            listed = ", ".join(path_text(k) for k in keys)
            said = say(
                "terminal.student_id_carried_by_submissions",
                self.lang,
                student=student,
                n=len(keys),
                submissions=listed,
            )
            self.err.print(reports.safe(said), style="yellow")

    def show(self, intake: Intake, failed: list[Report]) -> None:
        """The terminal's table (per question for one student: read again from the
        stream), and each team's chain."""
        table, console, lang = self.table, self.console, self.lang
        n = len(table.rows)
        details = self.opts.details if self.opts.details is not None else n == 1
        if n:
            if details:
                forget = {path_text(r.submission) for r in failed}
                for line, mine in intake.spool.lines(forget, self.change):
                    if mine and "submission" in line:
                        reports.one(console, line, lang)
            if n > 1 or not details:
                table.show(console)
            reports.manual_note(console, self.course, lang)
        for result in self.run.teams:
            reports.team_chain(console, result, lang, self.course.model)


def _this_run(spool: Spool) -> Callable[[str], dict[str, Any] | None]:
    """A submission's line of this run (graded or kept); None for one the grader failed on,
    whatever an earlier run said of it."""
    return lambda key: spool.get(key) if key in spool.current else None


def _require_namespaces(err: Console, lang: str) -> None:
    """``--isolation namespaces`` on a machine without them: exit 1 before any grading."""
    from grader.sandbox import Sandbox

    try:
        with Sandbox(isolation="namespaces"):
            return
    except SandboxError as why:
        err.print(
            reports.safe(say("terminal.grade_isolation_namespaces_student_code", lang, why=why))
        )
        sys.exit(1)


def _say_isolation(err: Console, isolation: str, warning: str, lang: str) -> None:
    """The sandbox that grades, once: a line when it is namespaces, a banner when weaker."""
    if not isolation:
        return
    if not warning:
        err.print(say("terminal.sandbox", lang, isolation=isolation), style="dim")
        return
    insist = say("terminal.refuse_grading_without_namespaces_grade", lang)
    for line in (f"!! {warning}", f"!! {insist}"):
        err.print(reports.safe(line), style="bold yellow")


def _check_scheduler(address: str, workers: int | None, lang: str) -> None:
    """--scheduler's usage problems, before the course is even loaded."""
    if workers is not None:
        usage(
            "grade",
            t("terminal.workers_scheduler_choose_one_cluster"),
            lang,
        )
    if not address.strip():
        usage("grade", t("terminal.scheduler_address_needed"), lang)
    try:
        import grader.distributed  # noqa: F401
    except ImportError:
        usage(
            "grade",
            t("terminal.scheduler_needs_dask_distributed_pip"),
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
        why = t("terminal.grade_cluster_cannot_grade_nothing", e=e)
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


main = command()


if __name__ == "__main__":  # python -m cli.grade, the same command as the console script
    entry()
