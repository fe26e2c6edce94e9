"""Grades as the teacher's terminal shows them: one student's table, a class's (from compact
rows), the teams' chains; and the small helpers every output shares (safe text, CSV cells)."""

from __future__ import annotations

import math
import re
from array import array
from typing import TYPE_CHECKING, Any

from grader.grading import clean
from reference.i18n import pick, same, say
from reference.statuses import word

if TYPE_CHECKING:  # rich and the course: imported when used, after one student's sandbox starts
    from rich.console import Console

    from grader.course.questions import Course
    from reference.course.model import Model

LINK_COLOURS = {
    "right": "green",
    "carried": "cyan",
    "wrong": "red",
    "error": "magenta",
    "timeout": "magenta",
    "missing": "bright_black",
    "reference": "blue",
}
COLOURS = {
    "passed": "green",
    "partial": "yellow",
    "failed": "red",
    "error": "magenta",
    "timeout": "magenta",
    "missing": "bright_black",
    "manual": "blue",
}


def num(x: float) -> str:
    """A score as people write it: 2, 1.5, 1.67."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def one_line(text: str) -> str:
    return " ".join(text.split())


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: Any) -> str:
    """Student text (or any text) as data for the terminal: valid Unicode, no control
    characters (an escape sequence would drive the teacher's terminal), rich markup escaped."""
    from rich.markup import escape  # rich loads once output starts, after the prestart

    return escape(_CONTROL.sub("\ufffd", clean(str(text))))


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one starting like a formula (``=`` ``+`` ``-``
    ``@``) gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str):
        value = clean(value)
        return "'" + value if value.startswith(_FORMULA) else value
    return value


class ClassTable:
    """The terminal's table of a class, from each report's compact row (per exercise: the
    points got and possible, in an array of floats), printed in chunks so no table of the
    whole class is ever built: memory is the rows' few numbers."""

    CHUNK = 200  # rows a printed table holds: the header repeats, as on a printed list

    def __init__(self, course: Course, lang: str) -> None:
        self.course, self.lang = course, lang
        self.exercises = [e.id for e in course.exercises]
        self.rows: list[tuple[str, array[float]]] = []  # got, possible … then the total
        self.named: list[str] = []  # the first ids taken from a folder's or zip's name
        self.n_named = 0

    def add(self, obj: dict[str, Any]) -> None:
        by_ex: dict[str, list[float]] = {}
        for q in obj["questions"]:
            got = by_ex.setdefault(q["id"].split(".")[0], [0.0, 0.0])
            got[0] += q.get("score", 0.0)  # free text has no score
            got[1] += q.get("max_score", 0.0)
        cells = array("d")
        for e in self.exercises:
            if e not in by_ex and "team" in obj:  # a volunteer is not graded on it
                cells.extend((math.nan, math.nan))
            else:
                cells.extend(by_ex.get(e, (0.0, 0.0)))
        cells.append(float(obj["score"]))
        self.rows.append((str(obj["student"]), cells))
        if obj.get("id_source") == "name":
            self.n_named += 1
            if len(self.named) < 5:
                self.named.append(str(obj["student"]))

    def show(self, console: Console) -> None:
        for start in range(0, max(len(self.rows), 1), self.CHUNK):
            console.print(self._table(self.rows[start : start + self.CHUNK]))
        lang, named = self.lang, self.named
        if named:  # one student's own problems are listed under their table
            shown = ", ".join(safe(n) for n in named) + (", …" if self.n_named > 5 else "")
            said = say("terminal.ids_taken_from_folder_zip", lang, n=self.n_named, ids=shown)
            console.print(f"[yellow]{said}")

    def _table(self, rows: list[tuple[str, array[float]]]) -> Any:
        from rich.table import Table

        course, lang = self.course, self.lang
        table = Table(title_justify="left")
        # Each cell is the score alone; the header holds the maximum, so a class fits 80 columns.
        table.add_column(say("terminal.student", lang), no_wrap=True)
        for e in course.exercises:
            table.add_column(f"{e.id}\n/{num(e.points.auto)}", justify="right", no_wrap=True)
        total = course.points.auto
        table.add_column(
            f"{say('terminal.total', lang)}\n/{num(total)}", justify="right", no_wrap=True
        )
        for student, cells in rows:
            shown = []
            for k in range(len(self.exercises)):
                s, m = cells[2 * k], cells[2 * k + 1]
                if math.isnan(s):
                    shown.append("[bright_black]—[/bright_black]")
                    continue
                colour = "green" if s == m else "yellow" if s > 0 else "red"
                shown.append(f"[{colour}]{num(s)}[/{colour}]")
            table.add_row(safe(student), *shown, f"[bold]{num(cells[-1])}[/bold]")
        return table


def manual_note(console: Console, course: Course, lang: str) -> None:
    """The free-text questions' points, which the teacher grades."""
    if course.points.manual:
        note = say(
            "terminal.free_text_questions_points_are", lang, points=num(course.points.manual)
        )
        console.print(f"[bright_black]{note}[/bright_black]")


def one(console: Console, obj: dict[str, Any], lang: str) -> None:
    from rich.table import Table

    table = Table(
        title=f"{safe(obj['student'])}: {num(obj['score'])} / {num(obj['max_score'])}",
        title_justify="left",
    )
    table.add_column(say("terminal.question", lang))
    table.add_column(say("terminal.score", lang), justify="right")
    table.add_column(say("terminal.status", lang))
    table.add_column(say("terminal.feedback", lang), overflow="fold")
    for q in obj["questions"]:
        colour = COLOURS.get(q["status"], "default")
        status = word(q["status"], lang)
        table.add_row(
            safe(q["id"]),
            f"{num(q['score'])}/{num(q['max_score'])}" if "score" in q else "—",
            f"[{colour}]{safe(status)}[/{colour}]",
            safe(one_line(q["feedback"])),
        )
    table.add_section()
    table.add_row(
        f"[bold]{say('terminal.total', lang)}[/bold]",
        f"[bold]{num(obj['score'])}/{num(obj['max_score'])}[/bold]",
        "",
        "",
    )
    console.print(table)
    for p in obj.get("problems", ()):
        console.print(f"[yellow]{safe(p)}[/yellow]")


def _numbers(values: dict[str, Any] | None, hidden: set[str], lang: str) -> str:
    """``k=v, …``; a value in ``hidden`` (or all of them, for None) as "(hidden)"."""
    from cli.html.team_graph import HIDDEN  # cli.html imports this module

    word = f"({pick(HIDDEN, lang)})"
    if values is None:
        return word
    return ", ".join(
        f"{k}={word if k in hidden else '—' if v is None else format(v, '.6g')}"
        for k, v in values.items()
    )


def team_chain(console: Console, result: Any, lang: str, model: Model) -> None:
    """The team's chain as the class walked it: forward, then backward, each link's volunteer,
    what they received and handed on (at the first point), and the verdict.  A value that
    would show the answer to a link a volunteer got wrong (a co-owner's right number, the
    reference standing in) is "(hidden)", by the HTML report's rule (cli/html/team_values)."""
    from rich.table import Table

    from cli.html.team_values import shown  # cli.html imports this module
    from grader.teams.result import LINK_WORDS  # the teams' package: loaded for teams only

    seen = shown(model, result)
    title = say(
        "terminal.team",
        lang,
        team=safe(result.team),
        score=num(result.score),
        max=num(result.max_score),
    )
    table = Table(title=title, title_justify="left")
    for col in (
        say("terminal.link", lang),
        say("terminal.volunteer", lang),
        say("terminal.received", lang),
        say("terminal.handed_on", lang),
        say("terminal.status", lang),
    ):
        table.add_column(col, overflow="fold")
    for link in result.links:
        arrow = "→" if link.direction == "forward" else "←"
        colour = LINK_COLOURS.get(link.status, "default")
        status = pick(LINK_WORDS.get(link.status, same(link.status)), lang)
        who = say("terminal.reference", lang) if link.student is None else safe(link.student)
        table.add_row(
            f"{arrow} {safe(link.node)}",
            who,
            safe(_numbers(link.received, seen.hidden, lang)),
            safe(_numbers(seen.handed(link), set(), lang)),
            f"[{colour}]{safe(status)}[/{colour}]",
        )
    console.print(table)
    first = result.first_broken
    named = f"{first.node} ({first.direction})" if first else ""
    if result.gradient_correct and result.step_correct and first is None:
        console.print(f"[green]{say('terminal.team_gradient_step_are_right', lang)}[/green]")
    elif not result.gradient_correct:
        said = say("terminal.team_gradient_off_first_broken", lang, link=named or "—")
        console.print(f"[red]{safe(said)}[/red]")
    else:
        said = say("terminal.first_broken_link_gradient_came", lang, link=named)
        console.print(f"[yellow]{safe(said)}[/yellow]")
