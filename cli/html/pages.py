"""One student's page: score, every question's status and feedback, their formulas and the
table's rows as math, and the computation graph with their own values.

Everything that came from a submission (names, paths, feedback quoting the student's code,
formulas) is escaped; formulas are drawn from the whitelist parser's tree, never from text.
The page shows the student's values and the public table only: never an expected value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import PurePath
from typing import Any

import sympy  # type: ignore[import-untyped]

from cli.html import graph
from cli.html.assets import number, page, status, table
from cli.html.team_page import links_table
from cli.html.team_values import shown
from grader.course.questions import Course
from grader.kinds import formula
from grader.scoring.trace import Trace
from grader.teams.result import TeamResult
from reference import expr as ex
from reference.expr.mathml import mathml
from reference.i18n import Text, pick, t
from reference.table import ENTRIES, FUNCTIONS
from reference.table.symbolic import SYMBOLIC


@dataclass(frozen=True)
class TeamView:
    """A student's team in team mode: the round, and its page's file name."""

    result: TeamResult
    page: str


def at_point(student: str) -> Text:
    """Whose values the graph is drawn at: the id's own, as check.py prints them."""
    return t("pages.your_functions_chained_at_values", student=student)


def _score(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return f"{value:.4g}" if isinstance(value, (int, float)) else "\u2014"


def _questions(report: dict[str, Any], lang: str) -> str:
    head = [t("pages.question"), t("pages.status"), t("pages.points")]
    head.append(t("pages.feedback"))
    rows = []
    for q in report.get("questions", []):
        feedback = str(q.get("feedback") or "")
        if q.get("status") == "manual" and q.get("answer"):
            feedback = str(q["answer"])
        points = (
            "\u2014"
            if q.get("status") == "manual"
            else f"{_score(q, 'score')} / {_score(q, 'max_score')}"
        )
        rows.append(
            f'<tr data-question="{escape(str(q.get("id")))}"><td><code>{escape(str(q.get("id")))}'
            f"</code></td><td>{status(str(q.get('status')), lang)}</td>"
            f'<td class="num">{escape(points)}</td>'
            f'<td class="feedback">{escape(feedback)}</td></tr>'
        )
    cols = "".join(f'<th scope="col">{escape(pick(h, lang))}</th>' for h in head)
    return table("questions", cols, rows)


def formula_markup(course: Course, qid: str, text: str | None, lang: str) -> str:
    """The student's formula as MathML, read exactly as the grader reads it; unreadable text
    is shown as escaped code."""
    if text is None:
        return '<span class="muted">\u2014</span>'
    q = course.by_qid.get(qid)
    try:
        if q is None:
            raise ex.ExprError(t("pages.unknown_question"), 0)
        tree, _ = formula.read(q, text)
    except ex.ExprError:
        note = pick(t("pages.could_not_read_as_formula"), lang)
        return f'<code>{escape(text)}</code> <span class="muted">({escape(note)})</span>'
    return mathml(tree)


def _formulas(course: Course, report: dict[str, Any], tr: Trace, lang: str) -> str:
    statuses = {q.get("id"): str(q.get("status")) for q in report.get("questions", [])}
    rows = [
        f'<tr data-formula="{escape(qid)}"><td><code>{escape(qid)}</code></td>'
        f"<td>{status(statuses.get(qid, ''), lang)}</td>"
        f"<td>{formula_markup(course, qid, text, lang)}</td></tr>"
        for qid, text in tr.formulas.items()
    ]
    if not rows:
        return ""
    head = "".join(
        f'<th scope="col">{escape(pick(h, lang))}</th>'
        for h in (t("pages.question"), t("pages.status"), t("pages.your_formula"))
    )
    return f"<h2>{escape(pick(t('pages.your_formulas'), lang))}</h2>" + table(
        "formulas", head, rows
    )


@cache
def _table_rows(
    used: frozenset[str],
) -> tuple[tuple[dict[str, str], str, tuple[tuple[str, str], ...]], ...]:
    """The lesson's rows of the derivative table (and the rows the model uses), as MathML."""
    out = []
    for e in ENTRIES:
        if not (e.lesson or e.name in used):
            continue
        syms = [sympy.Symbol(a, real=True) for a in e.args]

        def math(value: Any, names: tuple[str, ...] = e.args) -> str:
            return mathml(ex.parse(str(value), names=names, functions=FUNCTIONS))

        forward = math(e.forward(SYMBOLIC, *syms))
        partials = tuple((a, math(p(SYMBOLIC, *syms))) for a, p in zip(e.args, e.partials))
        out.append((e.title, forward, partials))
    return tuple(out)


def _used(course: Course) -> frozenset[str]:
    found: set[str] = set()

    def walk(tree: ex.Expr) -> None:
        if isinstance(tree, ex.Call):
            found.add(tree.fn)
            for a in tree.args:
                walk(a)

    for node in course.model.nodes:
        walk(node.tree)
    return frozenset(found)


def _table(course: Course, lang: str) -> str:
    rows = []
    for title, forward, partials in _table_rows(_used(course)):
        derivs = "<br>".join(f"\u2202/\u2202{escape(a)}: {m}" for a, m in partials)
        rows.append(
            f"<tr><td>{escape(pick(title, lang))}</td><td>{forward}</td><td>{derivs}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{escape(pick(h, lang))}</th>'
        for h in (t("pages.row"), t("pages.function"), t("pages.derivatives"))
    )
    return f"<h2>{escape(pick(t('pages.table_derivatives'), lang))}</h2>" + table(
        "table-rows", head, rows
    )


def _point(tr: Trace) -> str:
    return ", ".join(f"{escape(k)} = {escape(number(v))}" for k, v in tr.point.items())


def _team(course: Course, team: TeamView, student: str, lang: str) -> str:
    owned = [n for n, owners in team.result.members.items() if student in owners]
    seen = shown(course.model, team.result)
    mine = (
        links_table(team.result, seen, {}, lang, student) if team.result.links_of(student) else ""
    )
    return (
        f"<h2>{escape(pick(t('pages.your_team'), lang))}</h2>"
        f'<p data-team="{escape(team.result.team)}">'
        f'<a href="{escape(team.page)}">{escape(team.result.team)}</a>; '
        f"{escape(pick(t('pages.you_own'), lang))}: "
        f"{escape(', '.join(owned))}.</p>{mine}"
    )


def student_page(
    course: Course,
    report: dict[str, Any],
    tr: Trace | None,
    lang: str,
    team: TeamView | None = None,
) -> str:
    """The whole page of one submission; ``team``: its student's team, in team mode (the
    graph then shows every node's owner, and the page links to the team's)."""
    student = str(report.get("student") or "")
    statuses = {str(q.get("id")): str(q.get("status")) for q in report.get("questions", [])}
    score = f"{_score(report, 'score')} / {_score(report, 'max_score')}"
    parts = [
        f'<nav><a href="index.html">{escape(pick(t("pages.class_2"), lang))}</a></nav>',
        f"<h1>{escape(student)}</h1>",
        # the folder's name, not where it lies on the grading machine: the page goes to students
        f'<p class="muted"><code>{escape(PurePath(str(report.get("submission") or "")).name)}'
        "</code></p>",
        f'<p class="score">{escape(pick(t("pages.score"), lang))}: {escape(score)}</p>',
    ]
    if team is not None:
        parts.append(_team(course, team, student, lang))
    problems = report.get("problems") or []
    if problems:
        items = "".join(f"<li>{escape(str(p))}</li>" for p in problems)
        parts.append(f"<h2>{escape(pick(t('pages.notes'), lang))}</h2><ul>{items}</ul>")
    if tr is not None:
        owners = team.result.members if team is not None else None
        drawn = graph.svg(course.model, tr, statuses, lang, owners, student)
        parts.append(
            f"<h2>{escape(pick(t('pages.your_computation_graph'), lang))}</h2>"
            f"<p>{escape(pick(at_point(tr.student or student), lang))} "
            f"{_point(tr)}.</p>"
            f'<figure class="graph">{drawn}</figure>'
        )
    parts.append(f"<h2>{escape(pick(t('pages.questions'), lang))}</h2>")
    parts.append(_questions(report, lang))
    if tr is not None:
        parts.append(_formulas(course, report, tr, lang))
    parts.append(_table(course, lang))
    title = pick(t("pages.feedback_2", student=student), lang)
    return page(lang, title, "\n".join(parts))
