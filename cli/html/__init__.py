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

from cli.html import dashboard
from cli.html import stats as class_stats
from cli.html.dashboard import Rows
from cli.html.pages import TeamView, student_page
from cli.html.team_page import team_page, team_page_name
from grader.course.questions import Course
from grader.scoring.trace import Trace
from grader.teams.result import TeamResult
from reference.i18n import Text, pick, t

__all__ = ["Site", "page_name", "team_page_name"]


def page_name(report: dict[str, Any]) -> str:
    """A file name for a submission's page: its student id made safe, and a hash of the
    submission so two submissions of one id never share a page."""
    student = str(report.get("student") or "submission")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", student).strip("._")[:40] or "student"
    tag = hashlib.sha256(str(report.get("submission")).encode("utf-8", "replace")).hexdigest()[:8]
    return f"{slug}-{tag}.html"


class Site:
    """The pages of a run, written as the reports stream by: each student's page at once,
    the class's statistics as an aggregate and its rows in a file, the dashboard and the
    teams' pages at the end.  ``teams``: the rounds of ``--teams``, one page each."""

    def __init__(
        self,
        folder: Path,
        course: Course,
        lang: str,
        teams: list[TeamResult] | None = None,
        links: list[tuple[Text, Path]] | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.course, self.lang, self.teams = folder, course, lang, teams or []
        self.links = links or []  # other outputs' pages (--similarity's), linked from the top
        self.team_of = {s: r for r in self.teams for owners in r.members.values() for s in owners}
        self.by_student: dict[str, str] = {}  # a team member → their page (the team's links)
        self.stats = class_stats.Aggregate()
        self.rows = Rows(course)

    def add(self, r: dict[str, Any]) -> None:
        """One submission's page, and its share of the dashboard."""
        name, student = page_name(r), str(r.get("student"))
        mine = self.team_of.get(student)
        view = TeamView(mine, team_page_name(mine.team)) if mine else None
        html = student_page(self.course, r, Trace.of(r.get("graph")), self.lang, view)
        (self.folder / name).write_text(html, encoding="utf-8")
        if mine is not None:
            self.by_student.setdefault(student, name)
        self.stats.add(r)
        self.rows.add(r, name)

    def finish(self) -> None:
        """The teams' pages, stats.csv and stats.json, and the dashboard."""
        for result in self.teams:
            html = team_page(self.course.model, result, self.by_student, self.lang)
            (self.folder / team_page_name(result.team)).write_text(html, encoding="utf-8")
        stats = self.stats.result()
        class_stats.write(self.folder, stats)
        model = self.course.model
        title = pick(model.title or t("pages.class"), self.lang)
        dashboard.write(
            self.folder / "index.html", self.course, title, stats, self.rows, self.lang,
            self.teams, self.by_student, self.links,
        )  # fmt: skip
