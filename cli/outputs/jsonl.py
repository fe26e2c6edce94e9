"""``--json FILE``: JSON Lines, one report a submission, then the teams' lines.

The file is also the run's stream (:class:`cli.ledger.Ledger`): each report is appended the
moment it is graded, so an interrupted run resumes; this output rewrites it at the end, a line
at a time, in submission order, keeping the earlier lines of submissions outside the run.
"""

from __future__ import annotations

from typing import Any

from cli.outputs.base import Output
from cli.stream import encode
from publish.output_files import Replacing


class JsonLines(Output):
    flag = "--json"
    help = (
        "JSON Lines: one object a submission. An existing file resumes the run: a "
        "submission whose files, course and grader are unchanged is not graded again; lines "
        "of other submissions are kept. One run a file (locked)."
    )
    every_line = True
    _out: Replacing | None = None

    def _file(self) -> Replacing:
        if self._out is None:
            ledger = self.run.ledger
            self._out = Replacing(ledger.path if ledger else self.path, binary=True)
        return self._out

    def add(self, line: dict[str, Any], mine: bool) -> None:
        self._file().file.write(encode(line))

    def finish(self) -> None:
        self._file().commit()

    def discard(self) -> None:
        if self._out is not None:
            self._out.discard()
