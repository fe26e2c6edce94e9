"""``--html DIR``: the feedback pages (one a student, each team's) and the class dashboard,
written as the reports stream by (:class:`cli.html.Site`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli.outputs.base import Output
from reference.i18n import Text


class Pages(Output):
    flag = "--html"
    help = (
        "A folder for feedback pages: index.html (the class dashboard, with stats.csv and "
        "stats.json) and one page per student. Static, opens offline."
    )
    #: a page draws the graph grading collected at the student's values
    needs_graph = True
    _site: Any = None

    @classmethod
    def problem(cls, path: Path, found: int) -> Text | None:
        if found >= 0:
            return None
        from cli.html.folder import html_problem

        return html_problem(path)

    def _pages(self) -> Any:
        if self._site is None:  # the pages (and sympy) load only once there is one to write
            from cli.html import Site

            run = self.run
            self._site = Site(self.path, run.course, run.lang, run.teams, run.links)
        return self._site

    def add(self, line: dict[str, Any], mine: bool) -> None:
        if "submission" in line:
            self._pages().add(line)

    def finish(self) -> None:
        self._pages().finish()
