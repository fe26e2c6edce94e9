"""A team's page: its members, the round drawn on the graph, every link's verdict, and the
team's gradient and step.

Only the team's numbers are shown (see :mod:`.team_values`); the reference's gradient or step
appears only beside a team value that already matches it, elsewhere just "not correct".
Names come from the roster and submissions and are escaped everywhere.
"""

from __future__ import annotations

import hashlib
import re
from html import escape

from cli.html import team_graph
from cli.html.assets import number, page, table
from cli.html.graph import REFERENCE
from cli.html.team_values import Shown, grad_key, shown
from grader.scoring.diagnose import close
from grader.teams.result import LINK_WORDS, Link, TeamResult
from reference.course.model import Model
from reference.i18n import Text, pick, same, t
from reference.statuses import STATUS

#: A link's status → (symbol, words, the CSS class that only adds colour).
#: The words are the teams' own (``LINK_WORDS``: a code that is also a question's status is
#: worded as the status is).
LINK_STATUS: dict[str, tuple[str, Text, str]] = {
    "right": ("\u2713", LINK_WORDS["right"], "s-passed"),
    "carried": ("\u2713", LINK_WORDS["carried"], "s-passed"),
    "wrong": ("\u2717", LINK_WORDS["wrong"], "s-failed"),
    **{
        code: (STATUS[code][0], LINK_WORDS[code], f"s-{code}")
        for code in ("error", "timeout", "missing")
    },
    "reference": ("\u25c7", LINK_WORDS["reference"], "s-missing"),
}
RIGHT = t("pages.correct")
NOT_RIGHT = t("pages.not_correct")


def team_page_name(team: str) -> str:
    """``team-NAME.html``; a name that is not already safe is made so, with a hash of it so
    two teams never share a page."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", team).strip("._")[:40] or "team"
    if slug == team:
        return f"team-{slug}.html"
    tag = hashlib.sha256(team.encode("utf-8", "replace")).hexdigest()[:8]
    return f"team-{slug}-{tag}.html"


def verdict(ok: bool, lang: str) -> str:
    """Right or not, as a symbol and words."""
    symbol, words, cls = ("\u2713", RIGHT, "s-passed") if ok else ("\u2717", NOT_RIGHT, "s-failed")
    return (
        f'<span class="status {cls}"><span aria-hidden="true">{symbol}</span> '
        f"{escape(pick(words, lang))}</span>"
    )


def link_status(code: str, lang: str) -> str:
    symbol, words, cls = LINK_STATUS.get(code, ("?", same(code), ""))
    return (
        f'<span class="status {cls}"><span aria-hidden="true">{symbol}</span> '
        f"{escape(pick(words, lang))}</span>"
    )


def student_link(student: str | None, pages: dict[str, str], lang: str) -> str:
    if student is None:
        return f'<span class="muted">{escape(pick(REFERENCE, lang))}</span>'
    if student in pages:
        return f'<a href="{escape(pages[student])}">{escape(student)}</a>'
    return escape(student)


def _numbers(values: dict[str, float | None] | None, hidden: set[str], lang: str) -> str:
    if values is None:
        return f'<span class="muted">({escape(pick(team_graph.HIDDEN, lang))})</span>'
    return ", ".join(
        f"{escape(k)} = {team_graph.shown_number(v, k in hidden, lang)}" for k, v in values.items()
    )


def links_table(
    result: TeamResult, seen: Shown, pages: dict[str, str], lang: str, only: str | None = None
) -> str:
    """Every link of the round (``only``: just that student's), with what was received and
    handed on as the page may show it (a student's own page shows all they handed on)."""
    first = result.first_broken
    rows = []
    for link in result.links if only is None else result.links_of(only):
        arrow = "\u2192" if link.direction == "forward" else "\u2190"
        is_first = link is first
        flag = (
            f" <strong>\u2717 {escape(pick(team_graph.FIRST, lang))}</strong>" if is_first else ""
        )
        rows.append(
            f'<tr data-link="{escape(link.node)}.{link.direction}"'
            f"{' class=first-broken' if is_first else ''}>"
            f"<td>{arrow} <code>{escape(link.node)}</code>{flag}</td>"
            f"<td>{student_link(link.student, pages, lang)}</td>"
            f"<td>{_numbers(seen.received(link), seen.hidden, lang)}</td>"
            f"<td>{_numbers(link.handed if only else seen.handed(link), set(), lang)}</td>"
            f"<td>{link_status(link.status, lang)}</td>"
            f'<td class="num">{link.score:g} / {link.max_score:g}</td>'
            f'<td class="feedback">{escape(pick(link.feedback, lang))}</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{escape(pick(h, lang))}</th>'
        for h in (
            t("pages.link"),
            t("pages.volunteer"),
            t("pages.received"),
            t("pages.handed_on"),
            t("pages.status"),
            t("pages.points"),
            t("pages.feedback"),
        )
    )
    return table("links", head, rows)


def _compared(
    model: Model,
    values: dict[str, dict[str, float | None]],
    seen: Shown,
    what: Text,
    lang: str,
) -> str:
    """Per parameter: the team's value and, only where it matches, the reference's."""
    rows = []
    for p, pair in values.items():
        mine, ref = pair.get("team"), pair.get("reference")
        ok = mine is not None and ref is not None and close(mine, ref, model.tolerance)
        hidden = grad_key(model, p) in seen.hidden
        rows.append(
            f'<tr data-parameter="{escape(p)}"><td><code>{escape(p)}</code></td>'
            f'<td class="num">{escape(team_graph.shown_number(mine, hidden, lang))}</td>'
            f'<td class="num">{escape(number(ref)) if ok else ""}</td>'
            f"<td>{verdict(ok, lang)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{escape(pick(h, lang))}</th>'
        for h in (
            t("pages.parameter"),
            what,
            t("pages.reference_where_team_right"),
            t("pages.verdict"),
        )
    )
    return table("compared", head, rows)


def _members(result: TeamResult, pages: dict[str, str], lang: str) -> str:
    rows = []
    names = [*result.nodes, *(k for k in result.members if k not in result.nodes)]
    for node in names:
        owners = result.members.get(node, [])
        who = (
            ", ".join(student_link(s, pages, lang) for s in owners)
            if owners
            else student_link(None, pages, lang)
        )
        rows.append(f'<tr data-member="{escape(node)}"><td><code>{escape(node)}</code></td>'
                    f"<td>{who}</td></tr>")  # fmt: skip
    head = "".join(
        f'<th scope="col">{escape(pick(h, lang))}</th>'
        for h in (t("pages.node_exercise"), t("pages.volunteer_2"))
    )
    return table("members", head, rows)


def first_broken_text(result: TeamResult, lang: str) -> str:
    """The first broken link in words (plain text): "S (backward)", or "none"."""
    first: Link | None = result.first_broken
    if first is None:
        return pick(t("pages.none"), lang)
    return f"{first.node} ({pick(team_graph.DIRECTION[first.direction], lang)})"


def team_page(model: Model, result: TeamResult, pages: dict[str, str], lang: str) -> str:
    """The whole page of one team; ``pages``: student → their page's file name."""
    seen = shown(model, result)
    name = result.team
    first = result.first_broken
    leaves = ", ".join(
        f"{escape(k)} = {escape(number(v))}" for k, v in seen.values.items() if k in model.leaves
    )
    parts = [
        f'<nav><a href="index.html">{escape(pick(t("pages.class_2"), lang))}</a></nav>',
        f"<h1>{escape(pick(t('pages.team'), lang))} {escape(name)}</h1>",
        f'<p class="score">{escape(pick(t("pages.score"), lang))}: '
        f"{result.score:g} / {result.max_score:g}</p>",
        "<ul class=summary>"
        f"<li>{escape(pick(t('pages.gradient'), lang))}: "
        f"{verdict(result.gradient_correct, lang)}</li>"
        f"<li>{escape(pick(t('pages.step'), lang))}: {verdict(result.step_correct, lang)}</li>"
        f'<li data-first-broken="{escape(first.node if first else "")}">'
        f"{escape(pick(t('pages.first_broken_link'), lang))}: "
        f"{escape(first_broken_text(result, lang))}</li></ul>",
        f"<h2>{escape(pick(t('pages.members'), lang))}</h2>",
        _members(result, pages, lang),
        f"<h2>{escape(pick(t('pages.round'), lang))}</h2>",
        f"<p>{escape(pick(t('pages.at_first_point'), lang))}: {leaves}. "
        + escape(
            pick(
                t("pages.value_marked_hidden_would_show"),
                lang,
            )
        )
        + "</p>",
        f'<figure class="graph">{team_graph.svg(model, result, seen, lang)}</figure>',
        f"<h2>{escape(pick(t('pages.links'), lang))}</h2>",
        links_table(result, seen, pages, lang),
        f"<h2>{escape(pick(t('pages.gradient_step'), lang))}</h2>",
        _compared(model, result.gradient, seen, t("pages.team_dl_dp"), lang),
        _compared(model, result.step, seen, t("pages.team_new_value"), lang),
    ]
    title = pick(t("pages.team_2", name=name), lang)
    return page(lang, title, "\n".join(parts))
