"""Grades as the teacher's terminal shows them: one student's table, a class's (from compact
rows), the teams' chains; and the small helpers every output shares (safe text, CSV cells)."""

from __future__ import annotations

import math
import re
from array import array
from typing import TYPE_CHECKING, Any

from grader.grading import clean
from reference.i18n import pick
from reference.statuses import word

if TYPE_CHECKING:  # rich and the course: imported when used, after one student's sandbox starts
    from rich.console import Console

    from grader.course.questions import Course
    from reference.course.model import Model

WORDS = {
    "nothing": {"en": "No submission found there.", "ru": "Там не найдено ни одной работы."},
    "gradescope_one": {
        "en": "--gradescope writes the results of exactly one submission.",
        "ru": "--gradescope записывает результат ровно одной работы.",
    },
    "resumed": {
        "en": "{n} unchanged submission(s) kept from the earlier run.",
        "ru": "Работ без изменений с прошлого запуска: {n} (не проверяются заново).",
    },
    "grading": {"en": "Grading", "ru": "Проверка"},
    "isolation": {"en": "sandbox: {isolation}", "ru": "песочница: {isolation}"},
    "insist": {
        "en": "To refuse grading without namespaces: grade --isolation namespaces",
        "ru": "Чтобы не проверять без пространств имён: grade --isolation namespaces",
    },
    "weaker": {
        "en": "graded in the weaker {isolation} sandbox, refused by --isolation namespaces",
        "ru": "проверено в более слабой песочнице {isolation}, а --isolation namespaces это "
        "запрещает",
    },
    "no_namespaces": {
        "en": "grade --isolation namespaces: student code cannot run in Linux namespaces on "
        "this machine ({why}); nothing was graded",
        "ru": "grade --isolation namespaces: на этой машине код студентов нельзя запустить в "
        "пространствах имён Linux ({why}); ничего не проверено",
    },
    "not_in_roster": {
        "en": "not in --roster, exported by the id graded (check them on the platform): {students}",
        "ru": "нет в --roster, выгружены по id, с которым проверены (проверьте их на "
        "платформе): {students}",
    },
    "shared_id": {
        "en": "student id {student!r} is carried by {n} submissions: {submissions}",
        "ru": "id студента {student!r} указан в {n} работах: {submissions}",
    },
    "ids_from_names": {
        "en": "ids taken from a folder's or zip's name (no student.txt, no --roster), {n}: {ids}",
        "ru": "id взяты из имени папки или zip (нет student.txt и --roster), {n}: {ids}",
    },
    "course": {"en": "course: {path}", "ru": "курс: {path}"},
    "not_graded": {
        "en": "{submission}: not graded, the grader failed: {why}",
        "ru": "{submission}: не проверено, сбой проверяющей системы: {why}",
    },
    "infrastructure": {
        "en": "{n} submission(s) not graded because the grader failed (nothing saved for "
        "them); fix the cause and run grade again to grade them.",
        "ru": "Не проверено работ из-за сбоя проверяющей системы: {n} (для них ничего не "
        "сохранено); устраните причину и запустите grade снова.",
    },
    "unwritten": {
        "en": "grade: an output file could not be written: {why}",
        "ru": "grade: не удалось записать файл результатов: {why}",
    },
    "teams_failed": {
        "en": "The teams' rounds could not run, the grader failed (team lines not saved): {why}",
        "ru": "Цепочки команд не удалось проверить, сбой проверяющей системы (строки команд не "
        "сохранены): {why}",
    },
    "team": {"en": "team {team}: {score} / {max}", "ru": "команда {team}: {score} / {max}"},
    "link": {"en": "link", "ru": "звено"},
    "owner": {"en": "volunteer", "ru": "участник"},
    "received": {"en": "received", "ru": "получил(а)"},
    "handed": {"en": "handed on", "ru": "передал(а)"},
    "by_reference": {"en": "(reference)", "ru": "(эталон)"},
    "gradient_ok": {
        "en": "the team's gradient and step are right",
        "ru": "градиент и шаг команды верны",
    },
    "gradient_bad": {
        "en": "the team's gradient is off; first broken link: {link}",
        "ru": "градиент команды неверен; первое сломанное звено: {link}",
    },
    "first_broken": {
        "en": "first broken link: {link} (the gradient came out right all the same)",
        "ru": "первое сломанное звено: {link} (градиент всё же верен)",
    },
    "right": {"en": "right", "ru": "верно"},
    "carried": {"en": "right for what it got", "ru": "верно для полученного"},
    "wrong": {"en": "wrong", "ru": "неверно"},
    "reference": {"en": "reference", "ru": "эталон"},
    "question": {"en": "question", "ru": "вопрос"},
    "score": {"en": "score", "ru": "баллы"},
    "status": {"en": "status", "ru": "статус"},
    "feedback": {"en": "feedback", "ru": "комментарий"},
    "student": {"en": "student", "ru": "студент"},
    "total": {"en": "total", "ru": "итого"},
    "manual_note": {
        "en": "Free-text questions ({points} points) are graded by the teacher (nbgrader) and "
        "not counted here.",
        "ru": "Вопросы со свободным ответом ({points} б.) проверяет учитель (nbgrader); здесь они "
        "не считаются.",
    },
}
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


def say(key: str, lang: str) -> str:
    return WORDS[key][lang]


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
            said = say("ids_from_names", lang).format(n=self.n_named, ids=shown)
            console.print(f"[yellow]{said}")

    def _table(self, rows: list[tuple[str, array[float]]]) -> Any:
        from rich.table import Table

        course, lang = self.course, self.lang
        table = Table(title_justify="left")
        # Each cell is the score alone; the header holds the maximum, so a class fits 80 columns.
        table.add_column(say("student", lang), no_wrap=True)
        for e in course.exercises:
            table.add_column(f"{e.id}\n/{num(e.points.auto)}", justify="right", no_wrap=True)
        total = course.points.auto
        table.add_column(f"{say('total', lang)}\n/{num(total)}", justify="right", no_wrap=True)
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
        note = say("manual_note", lang).format(points=num(course.points.manual))
        console.print(f"[bright_black]{note}[/bright_black]")


def one(console: Console, obj: dict[str, Any], lang: str) -> None:
    from rich.table import Table

    table = Table(
        title=f"{safe(obj['student'])}: {num(obj['score'])} / {num(obj['max_score'])}",
        title_justify="left",
    )
    table.add_column(say("question", lang))
    table.add_column(say("score", lang), justify="right")
    table.add_column(say("status", lang))
    table.add_column(say("feedback", lang), overflow="fold")
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
        f"[bold]{say('total', lang)}[/bold]",
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

    seen = shown(model, result)
    title = say("team", lang).format(
        team=safe(result.team), score=num(result.score), max=num(result.max_score)
    )
    table = Table(title=title, title_justify="left")
    for col in ("link", "owner", "received", "handed", "status"):
        table.add_column(say(col, lang), overflow="fold")
    for link in result.links:
        arrow = "→" if link.direction == "forward" else "←"
        colour = LINK_COLOURS.get(link.status, "default")
        status = say(link.status, lang) if link.status in WORDS else word(link.status, lang)
        who = say("by_reference", lang) if link.student is None else safe(link.student)
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
        console.print(f"[green]{say('gradient_ok', lang)}[/green]")
    elif not result.gradient_correct:
        console.print(f"[red]{safe(say('gradient_bad', lang).format(link=named or '—'))}[/red]")
    else:
        console.print(f"[yellow]{safe(say('first_broken', lang).format(link=named))}[/yellow]")
