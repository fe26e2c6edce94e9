"""The class dashboard, answering "what did the class miss": the lesson's graph coloured by
the class's pass rate on each node and link, the score histogram, the questions grouped by
exercise (sortable by pass rate) with their most frequent mistakes, and the students ×
questions heat map linking to each student's page.

Written as the reports stream by: a student's row is rendered when their report passes and
kept in a temporary file (:class:`Rows`), the statistics are an aggregate, so the page of a
class of any size costs the same memory.  The tables sort with a small script the page names
by hash; without it they are still there, in course and submission order.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from html import escape
from itertools import pairwise
from pathlib import Path, PurePath
from typing import IO, Any
from urllib.parse import quote

from cli.html.assets import STATUS, page, table
from cli.html.graph import BOX_H, BOX_W, layout
from cli.html.stats import percent
from cli.html.team_page import first_broken_text, student_link, team_page_name, verdict
from cli.reports import num as points
from grader.course.questions import Course
from grader.teams.result import TeamResult
from reference.course.model import Model
from reference.i18n import Text, pick, t

SORT = """document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th button").forEach(function (button, col) {
    button.addEventListener("click", function () {
      var th = button.parentNode, up = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-sort"), y = b.cells[col].getAttribute("data-sort");
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
        return up ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});"""


def histogram(stats: dict[str, Any], lang: str) -> str:
    bins = stats["histogram"]
    top = max([b["count"] for b in bins] + [1])
    bar_w, h, pad, axis = 48, 160, 28, 20
    width = len(bins) * bar_w + 2 * pad
    label = pick(t("pages.students_by_score_percent"), lang)
    caption = pick(
        t("pages.score_maximum_each_bar_from"),
        lang,
    )
    height = h + 2 * pad + axis
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="hist-title">'
        f'<title id="hist-title">{escape(label)}</title>'
        f'<text class="axis" x="{width / 2}" y="{pad + h + 16 + axis}" text-anchor="middle">'
        f"{escape(caption)}</text>"
    ]
    for i, b in enumerate(bins):
        bh = h * b["count"] / top
        x, y = pad + i * bar_w, pad + h - bh
        parts.append(
            f'<g data-bin="{b["from"]}"><rect x="{x + 4}" y="{y:.1f}" width="{bar_w - 8}" '
            f'height="{bh:.1f}"><title>{b["from"]}\u2013{b["to"]} %: {b["count"]}</title></rect>'
            f'<text x="{x + bar_w / 2}" y="{y - 4:.1f}" text-anchor="middle">{b["count"]}</text>'
            f'<text x="{x + bar_w / 2}" y="{pad + h + 16}" text-anchor="middle">'
            f"{b['from']} %</text></g>"
        )
    parts.append("</svg>")
    return f'<figure class="histogram">{"".join(parts)}</figure>'


def _rate_colour(rate: float | None) -> str:
    """A pass rate as a fill: red at 0 %, amber at 50 %, green at 100 %; grey for none."""
    if rate is None:
        return "#e6e6e6"
    stops = ((0.0, (0xF4, 0xA5, 0xA5)), (0.5, (0xF6, 0xD3, 0x8A)), (1.0, (0xA8, 0xDB, 0xB0)))
    for (x0, c0), (x1, c1) in pairwise(stops):
        if rate <= x1:
            f = (rate - x0) / (x1 - x0)
            mixed = (round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True))
            return "#" + "".join(f"{c:02x}" for c in mixed)
    return "#a8dbb0"


def _rate(by_id: dict[str, dict[str, Any]], qids: Iterable[str]) -> float | None:
    """The pass rate over ``qids``' answers (all students, all those questions)."""
    passed = n = 0
    for q in qids:
        if q in by_id:
            passed += by_id[q]["passed"]
            n += by_id[q]["submissions"]
    return passed / n if n else None


def link_questions(model: Model, qids: Iterable[str]) -> dict[tuple[str, str], list[str]]:
    """(argument, node) → the questions on that link's local derivative (value and formula),
    the ids the student page's graph uses (``N.dN_da``)."""
    qids = list(qids)
    return {
        (a, node.name): [
            q
            for q in qids
            if q.startswith(f"{node.name}.d{node.name}_d{a}")
            and q.split(".")[1] in (f"d{node.name}_d{a}", f"d{node.name}_d{a}_formula")
        ]
        for node in model.nodes
        for a in node.args
    }


def class_graph(course: Course, stats: dict[str, Any], lang: str) -> str:
    """The lesson's graph, each node and link filled by the class's pass rate on its
    questions (a node: its exercise's other questions) and labelled with it in numbers, so
    colour is never the only sign."""
    model = course.model
    by_id = {q["id"]: q for q in stats["questions"]}
    links = link_questions(model, by_id)
    on_links = {q for qs in links.values() for q in qs}
    pos, width, height = layout(model)
    title = pick(t("pages.where_class_breaks"), lang)
    desc = pick(
        t("pages.each_function_each_arrow_local"),
        lang,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="class-title '
        f'class-desc"><title id="class-title">{escape(title)}</title>'
        f'<desc id="class-desc">{escape(desc)}</desc>'
    ]
    for node in model.nodes:
        x2, y2 = pos[node.name]
        for a in node.args:
            x1, y1 = pos[a]
            sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
            rate = _rate(by_id, links[(a, node.name)])
            shown = "" if rate is None else f"{rate * 100:.0f} %"
            lx, ly = sx + (ex - sx) * 0.5, sy + (ey - sy) * 0.5 - 5
            parts.append(
                f'<g class="edge" data-edge="{escape(a)}-{escape(node.name)}" '
                f'data-rate="{"" if rate is None else f"{rate:.4f}"}">'
                f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                f'style="stroke:{_rate_colour(rate)}"/>'
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" paint-order="stroke" '
                f'stroke="#ffffff" stroke-width="4">{escape(shown)}</text></g>'
            )
    for name, (x, y) in pos.items():
        leaf = name in model.leaves
        mine = [q for q in by_id if q.split(".", 1)[0] == name and q not in on_links]
        rate = None if leaf else _rate(by_id, mine)
        shown = "" if rate is None else f"{rate * 100:.0f} %"
        parts.append(
            f'<g class="node{" leaf" if leaf else ""}" data-node="{escape(name)}" '
            f'data-rate="{"" if rate is None else f"{rate:.4f}"}">'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'style="fill:{_rate_colour(rate) if not leaf else "#f2f2f2"}"/>'
            f'<text class="name" x="{x + BOX_W / 2:.1f}" y="{y + 18:.1f}" '
            f'text-anchor="middle">{escape(name)}</text>'
            f'<text x="{x + BOX_W / 2:.1f}" y="{y + 37:.1f}" text-anchor="middle">'
            f"{escape(shown)}</text></g>"
        )
    parts.append("</svg>")
    return f'<figure class="graph class-graph">{"".join(parts)}</figure>'


def _items(course: Course, stats: dict[str, Any], lang: str) -> str:
    """The questions, grouped by exercise (course order) and sortable by pass rate."""
    by_id = {q["id"]: q for q in stats["questions"]}
    rows = []
    shown: set[str] = set()
    for i, qid in enumerate(q.qid for q in course.questions):
        q = by_id.get(qid)
        if q is None:  # free text (the teacher's), or a question no report carried
            continue
        group = qid.split(".", 1)[0]
        title = pick(course.exercise(group).title, lang) if "." in qid else ""
        named = escape(title) if group not in shown else ""  # the group's first row says it
        shown.add(group)
        found = "".join(
            f"<li>{escape(d['feedback'])} <strong>\u00d7{d['count']}</strong></li>"
            for d in q["diagnoses"]
        )
        rows.append(
            f'<tr data-question="{escape(q["id"])}">'
            f'<td data-sort="{i:05d}" title="{escape(title)}">{named}</td>'
            f'<td data-sort="{escape(q["id"])}"><code>{escape(q["id"])}</code></td>'
            f'<td class="num" data-sort="{q["pass_rate"]:.4f}">{q["pass_rate"] * 100:.0f} % '
            f"({q['passed']}/{q['submissions']})</td>"
            f'<td class="num" data-sort="{q["mean_score"] / (q["max_score"] or 1):.4f}">'
            f"{points(q['mean_score'])} / {points(q['max_score'])}</td>"
            f"<td>{f'<ul class=diagnoses>{found}</ul>' if found else ''}</td></tr>"
        )
    head = headings(
        lang,
        t("pages.exercise"),
        t("pages.question"),
        (t("pages.passed"), "num"),
        (t("pages.mean_points"), "num"),
        (t("pages.most_frequent_mistakes"), "plain"),
    )
    return table("sortable items", head, rows)


def headings(lang: str, *columns: Text | tuple[Text, str]) -> str:
    """A sortable table's header cells: each a button the page's script sorts by, but those
    marked "plain"; those marked "num" right-aligned.  The buttons come first: the script
    sorts by a button's position."""
    cells = []
    for column in columns:
        text, how = column if isinstance(column, tuple) else (column, "")
        said = escape(pick(text, lang))
        inner = said if how == "plain" else f'<button type="button">{said}</button>'
        cls = " class=num" if how == "num" else ""
        cells.append(f'<th scope="col"{cls}>{inner}</th>')
    return "".join(cells)


#: A heat map cell's symbol and class for each status (the symbol, not colour alone)
_HEAT = {code: symbol for code, (symbol, _) in STATUS.items()}
NOT_ASKED = "\u2014"


class Rows:
    """The students × questions heat map's rows, rendered as each report streams by and
    kept in a temporary file until the page is written."""

    def __init__(self, course: Course) -> None:
        self.qids = [q.qid for q in course.questions]
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.n = 0

    def add(self, r: dict[str, Any], page_name: str) -> None:
        student, sub = str(r.get("student") or ""), str(r.get("submission") or "")
        pct, score = percent(r), float(r.get("score") or 0)
        statuses = {str(q.get("id")): str(q.get("status")) for q in r.get("questions", [])}
        cells = "".join(
            f'<td class="h h-{escape(statuses[q])}">{_HEAT.get(statuses[q], "?")}</td>'
            if q in statuses
            else f'<td class="h h-none">{NOT_ASKED}</td>'
            for q in self.qids
        )
        self.file.write(
            f'<tr><td data-sort="{escape(student)}"><a href="{escape(page_name)}">'
            f"{escape(student)}</a></td>"
            f'<td data-sort="{escape(sub)}"><code>{escape(PurePath(sub).name)}</code></td>'
            f'<td class="num" data-sort="{score}">{points(score)} / '
            f"{points(float(r.get('max_score') or 0))}</td>"
            f'<td class="num" data-sort="{pct:.4f}">{pct:.0f} %</td>{cells}</tr>\n'
        )
        self.n += 1

    def head(self, lang: str) -> str:
        named = headings(
            lang,
            t("pages.student"),
            t("pages.submission"),
            (t("pages.points"), "num"),
            (t("pages.share"), "num"),
        )
        return named + "".join(
            f'<th scope="col" class="q" data-question="{escape(q)}"><span>{escape(q)}</span></th>'
            for q in self.qids
        )

    def copy_to(self, out: IO[str]) -> None:
        self.file.seek(0)
        while chunk := self.file.read(1 << 16):
            out.write(chunk)
        self.file.close()


def legend(lang: str) -> str:
    """What each heat map symbol says."""
    items = "".join(
        f'<li><span class="h h-{code}">{symbol}</span> {escape(pick(words, lang))}</li>'
        for code, (symbol, words) in STATUS.items()
    )
    not_asked = t("pages.not_asked_another_volunteer_node")
    return (
        f'<ul class="legend">{items}<li><span class="h h-none">{NOT_ASKED}</span> '
        f"{escape(pick(not_asked, lang))}</li></ul>"
    )


def _teams(teams: list[TeamResult], by_student: dict[str, str], lang: str) -> str:
    rows = []
    for r in teams:
        members = "; ".join(
            f"{escape(node)}: {', '.join(student_link(s, by_student, lang) for s in owners)}"
            for node, owners in r.members.items()
        )
        first = r.first_broken
        rows.append(
            f'<tr data-team="{escape(r.team)}"><td data-sort="{escape(r.team)}">'
            f'<a href="{escape(team_page_name(r.team))}">{escape(r.team)}</a></td>'
            f'<td data-sort="{len(r.members)}">{members}</td>'
            f'<td data-sort="{int(r.gradient_correct)}">{verdict(r.gradient_correct, lang)}</td>'
            f'<td data-sort="{escape(first.node if first else "")}">'
            f"{escape(first_broken_text(r, lang))}</td>"
            f'<td class="num" data-sort="{r.score}">{points(r.score)} / {points(r.max_score)}</td>'
            "</tr>"
        )
    head = headings(
        lang,
        t("pages.team"),
        t("pages.members"),
        t("pages.gradient"),
        t("pages.first_broken_link"),
        (t("pages.points"), "num"),
    )
    return table("sortable teams", head, rows)


_ROWS = "\x00rows\x00"  # where the streamed rows go in the page


def _link(folder: Path, title: Text, file: Path, lang: str) -> str:
    """A paragraph linking to another output's page, relative to the dashboard's folder."""
    href = os.path.relpath(os.path.abspath(file), os.path.abspath(folder))
    href = quote(href.replace(os.sep, "/"))
    return f'<p><a href="{escape(href)}">{escape(pick(title, lang))}</a></p>'


def write(
    path: Path,
    course: Course,
    title: str,
    stats: dict[str, Any],
    rows: Rows,
    lang: str,
    teams: list[TeamResult] | None = None,
    by_student: dict[str, str] | None = None,
    links: list[tuple[Text, Path]] | None = None,
) -> None:
    """The class page into ``path``, the rows copied in from their file; ``teams``: the
    volunteers' rounds (``--teams``), each linking to its page and its members' pages
    (``by_student``: student → their page); ``links``: other outputs' pages (title, file)."""
    mean = f"{points(stats['mean_score'])} / {points(stats['max_score'])}"
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(pick(t('pages.submissions'), lang))}: {stats['submissions']}; "
        f"{escape(pick(t('pages.mean_score'), lang))}: {escape(mean)}. "
        f'<a href="stats.csv">stats.csv</a>, <a href="stats.json">stats.json</a></p>',
        *(_link(path.parent, name, file, lang) for name, file in links or ()),
        f"<h2>{escape(pick(t('pages.where_class_breaks'), lang))}</h2>",
        class_graph(course, stats, lang),
        f"<h2>{escape(pick(t('pages.score_distribution'), lang))}</h2>",
        histogram(stats, lang),
        f"<h2>{escape(pick(t('pages.questions'), lang))}</h2>",
        _items(course, stats, lang),
    ]
    if teams:
        body += [
            f"<h2>{escape(pick(t('pages.teams'), lang))}</h2>",
            _teams(teams, by_student or {}, lang),
        ]
    body += [
        f"<h2>{escape(pick(t('pages.students'), lang))}</h2>",
        legend(lang),
        f'<div class="heat-wrap"><table class="sortable students heat"><thead><tr>'
        f"{rows.head(lang)}</tr></thead><tbody>{_ROWS}</tbody></table></div>",
    ]
    before, after = page(lang, title, "\n".join(body), SORT).split(_ROWS)
    with path.open("w", encoding="utf-8") as out:
        out.write(before)
        rows.copy_to(out)
        out.write(after)
