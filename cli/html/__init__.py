"""``grade --html DIR``: static feedback pages, one per student, and the class dashboard.

DIR/index.html (the dashboard), DIR/stats.csv and DIR/stats.json (its numbers), and one page
per submission.  The pages open from file:// with nothing to fetch: the stylesheet is inlined
and each page's Content-Security-Policy allows no request at all.

Modules: :mod:`.trace` (the student's values at one point, from the sandbox), :mod:`.graph`
(the SVG), :mod:`.pages` (a student's page), :mod:`.stats` and :mod:`.dashboard` (the class),
:mod:`.assets` (the frame and the stylesheet).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from cli.html import stats as class_stats
from cli.html.dashboard import dashboard
from cli.html.pages import student_page
from cli.html.trace import Trace, trace
from grader.intake.identity import Identity
from grader.sandbox import Sandbox
from reference.course.exercises import Course
from reference.i18n import pick, t

__all__ = ["page_name", "write"]


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
    ids: dict[str, Identity] | None = None,
) -> None:
    """Every page into ``folder`` (made if needed).  The student's values for the graphs are
    fetched here, in a sandbox of its own; a submission gone since grading has no graph."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {str(r.get("submission")): page_name(r) for r in reports}
    sandbox = Sandbox()
    try:
        for r in reports:
            sub = str(r.get("submission"))
            tr: Trace | None = None
            if Path(sub).exists():
                tr = trace(course, sandbox, sub, (ids or {}).get(sub))
            html = student_page(course, r, tr, lang)
            (folder / pages[sub]).write_text(html, encoding="utf-8")
    finally:
        sandbox.close()
    stats = class_stats.compute(reports)
    class_stats.write(folder, stats)
    title = (
        pick(course.model.title, lang) if course.model.title else pick(t("Class", "Группа"), lang)
    )
    (folder / "index.html").write_text(
        dashboard(title, stats, reports, pages, lang), encoding="utf-8"
    )
