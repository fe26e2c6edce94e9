"""``grade --html DIR``: static feedback pages, one per student, and the class dashboard.

DIR/index.html (the dashboard), DIR/stats.csv and DIR/stats.json (its numbers), and one page
per submission.  The pages open from file:// with nothing to fetch: the stylesheet is inlined
and each page's Content-Security-Policy allows no request at all.

Modules: :mod:`.graph` (the SVG of the trace grading collected, :mod:`grader.scoring.trace`),
:mod:`.pages` (a student's page), :mod:`.stats` and :mod:`.dashboard` (the class),
:mod:`.assets` (the frame and the stylesheet).  With ``--teams``, one page per team
(:mod:`.team_page`, :mod:`.team_graph`, :mod:`.team_values`), linked from the dashboard and
from each member's page, whose graph then carries every node's owner.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from cli.html import stats as class_stats
from cli.html.dashboard import dashboard
from cli.html.pages import TeamView, student_page
from cli.html.team_page import team_page, team_page_name
from grader.scoring.trace import Trace
from grader.teams.result import TeamResult
from reference.course.exercises import Course
from reference.i18n import pick, t

__all__ = ["page_name", "team_page_name", "write"]


def page_name(report: dict[str, Any]) -> str:
    """A file name for a submission's page: its student id made safe, and a hash of the
    submission so two submissions of one id never share a page."""
    student = str(report.get("student") or "submission")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", student).strip("._")[:40] or "student"
    tag = hashlib.sha256(str(report.get("submission")).encode("utf-8", "replace")).hexdigest()[:8]
    return f"{slug}-{tag}.html"


def write(
    folder: Path,
    course: Course,
    reports: list[dict[str, Any]],
    lang: str,
    teams: list[TeamResult] | None = None,
) -> None:
    """Every page into ``folder`` (made if needed), each student's graph from the trace their
    grading collected (a report's ``graph``).  ``teams``: the rounds of ``--teams``, one page
    each."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {str(r.get("submission")): page_name(r) for r in reports}
    by_student: dict[str, str] = {}
    for r in reports:
        by_student.setdefault(str(r.get("student")), pages[str(r.get("submission"))])
    team_of = {s: r for r in teams or [] for owners in r.members.values() for s in owners}
    for result in teams or []:
        html = team_page(course.model, result, by_student, lang)
        (folder / team_page_name(result.team)).write_text(html, encoding="utf-8")
    for r in reports:
        mine = team_of.get(str(r.get("student")))
        view = TeamView(mine, team_page_name(mine.team)) if mine else None
        html = student_page(course, r, Trace.of(r.get("graph")), lang, view)
        (folder / pages[str(r.get("submission"))]).write_text(html, encoding="utf-8")
    stats = class_stats.compute(reports)
    class_stats.write(folder, stats)
    title = (
        pick(course.model.title, lang) if course.model.title else pick(t("Class", "Группа"), lang)
    )
    (folder / "index.html").write_text(
        dashboard(title, stats, reports, pages, lang, teams), encoding="utf-8"
    )
