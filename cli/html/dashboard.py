"""The class dashboard: score histogram, item analysis per question, students linking to
their pages.  The student table is sortable by a small script the page names by hash; without
it the table is still there, in the order of the students' ids."""

from __future__ import annotations

from html import escape
from typing import Any

from cli.html.assets import page, table
from cli.html.stats import percent
from cli.html.team_page import first_broken_text, student_link, team_page_name, verdict
from cli.reports import num as points
from grader.teams.result import TeamResult
from reference.i18n import pick, t

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
    label = pick(t("Students by score, in percent", "Студенты по баллам, в процентах"), lang)
    caption = pick(
        t(
            "score, % of the maximum (each bar from the % under it); above a bar: students",
            "балл, % от максимума (столбец — от % под ним); над столбцом — число студентов",
        ),
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


def _items(stats: dict[str, Any], lang: str) -> str:
    rows = []
    for q in stats["questions"]:
        found = "".join(
            f"<li>{escape(d['feedback'])} <strong>\u00d7{d['count']}</strong></li>"
            for d in q["diagnoses"]
        )
        rows.append(
            f'<tr data-question="{escape(q["id"])}"><td><code>{escape(q["id"])}</code></td>'
            f'<td class="num">{q["pass_rate"] * 100:.0f} % ({q["passed"]}/{q["submissions"]})</td>'
            f'<td class="num">{points(q["mean_score"])} / {points(q["max_score"])}</td>'
            f"<td>{f'<ul class=diagnoses>{found}</ul>' if found else ''}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{escape(pick(h, lang))}</th>'
        for h in (
            t("Question", "Вопрос"),
            t("Passed", "Решили"),
            t("Mean points", "Средний балл"),
            t("Most frequent mistakes", "Частые ошибки"),
        )
    )
    return table("items", head, rows)


def _students(reports: list[dict[str, Any]], pages: dict[str, str], lang: str) -> str:
    rows = []
    for r in sorted(reports, key=lambda r: str(r.get("student"))):
        student, sub = str(r.get("student") or ""), str(r.get("submission") or "")
        pct, score = percent(r), float(r.get("score") or 0)
        link = f'<a href="{escape(pages[sub])}">{escape(student)}</a>'
        rows.append(
            f'<tr><td data-sort="{escape(student)}">{link}</td>'
            f'<td data-sort="{escape(sub)}"><code>{escape(sub)}</code></td>'
            f'<td class="num" data-sort="{score}">{points(score)} / '
            f"{points(float(r.get('max_score') or 0))}</td>"
            f'<td class="num" data-sort="{pct:.4f}">{pct:.0f} %</td></tr>'
        )
    head = "".join(
        f'<th scope="col"{" class=num" if i > 1 else ""}>'
        f'<button type="button">{escape(pick(h, lang))}</button></th>'
        for i, h in enumerate(
            (
                t("Student", "Студент"),
                t("Submission", "Работа"),
                t("Points", "Баллы"),
                t("Share", "Доля"),
            )
        )
    )
    return table("sortable students", head, rows)


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
    head = "".join(
        f'<th scope="col"{" class=num" if i == 4 else ""}>'
        f'<button type="button">{escape(pick(h, lang))}</button></th>'
        for i, h in enumerate(
            (
                t("Team", "Команда"),
                t("Members", "Участники"),
                t("Gradient", "Градиент"),
                t("First broken link", "Первое сломанное звено"),
                t("Points", "Баллы"),
            )
        )
    )
    return table("sortable teams", head, rows)


def dashboard(
    title: str,
    stats: dict[str, Any],
    reports: list[dict[str, Any]],
    pages: dict[str, str],
    lang: str,
    teams: list[TeamResult] | None = None,
) -> str:
    """The class page; ``pages``: submission → its page's file name; ``teams``: the
    volunteers' rounds (``--teams``), each linking to its page."""
    mean = f"{points(stats['mean_score'])} / {points(stats['max_score'])}"
    drawn = histogram(stats, lang)
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(pick(t('Submissions', 'Работ'), lang))}: {stats['submissions']}; "
        f"{escape(pick(t('mean score', 'средний балл'), lang))}: {escape(mean)}. "
        f'<a href="stats.csv">stats.csv</a>, <a href="stats.json">stats.json</a></p>',
        f"<h2>{escape(pick(t('Score distribution', 'Распределение баллов'), lang))}</h2>",
        drawn,
        f"<h2>{escape(pick(t('Questions', 'Вопросы'), lang))}</h2>",
        _items(stats, lang),
        f"<h2>{escape(pick(t('Students', 'Студенты'), lang))}</h2>",
        _students(reports, pages, lang),
    ]
    if teams:
        by_student: dict[str, str] = {}
        for r in reports:
            by_student.setdefault(str(r.get("student")), pages[str(r.get("submission"))])
        body += [
            f"<h2>{escape(pick(t('Teams', 'Команды'), lang))}</h2>",
            _teams(teams, by_student, lang),
        ]
    return page(lang, title, "\n".join(body), SORT)
