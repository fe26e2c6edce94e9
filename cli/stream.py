"""The run's reports as a stream: each report one JSON line in a file the moment it is
graded, then read back one at a time, in submission order, for every output.

A class costs the file, not memory: the run keeps only where each line starts (an offset
and a length per submission), whatever the class's size or its reports' length.  With
``--json`` the file is the ledger itself (:mod:`cli.ledger`); without it, a temporary file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from grader.grading import clean

#: Where a line is in the file: (offset, length in bytes).
Place = tuple[int, int]


def encode(obj: dict[str, Any]) -> bytes:
    """One report as the line written: valid UTF-8 whatever a student's text held."""
    return (json.dumps(clean(obj), ensure_ascii=False) + "\n").encode("utf-8")


class Spool:
    """An append-only file of report lines, indexed: the latest line of each submission and
    of each team, which of them this run wrote, and which carry a page's graph."""

    def __init__(self, file: IO[bytes] | None = None) -> None:
        self._file: IO[bytes] = file if file is not None else tempfile.TemporaryFile("w+b")  # noqa: SIM115
        self.index: dict[str, Place] = {}  # submission → its latest line
        self.teams: dict[str, Place] = {}  # team → its latest line, in the order first written
        self.graphs: set[str] = set()  # submissions whose latest line has a page's graph
        self.current: set[str] = set()  # submissions this run graded or kept
        self.current_teams: set[str] = set()  # teams this run played

    def note(self, obj: dict[str, Any], place: Place) -> None:
        """Index a line found at ``place``."""
        if obj.get("kind") == "team":
            team = str(obj.get("team"))
            self.teams.pop(team, None)  # a replayed team goes last, as it was written
            self.teams[team] = place
            return
        key = obj["submission"]
        self.index[key] = place
        if "graph" in obj:
            self.graphs.add(key)
        else:
            self.graphs.discard(key)

    def append(self, obj: dict[str, Any]) -> None:
        """One line, on disk at once (flushed): a run interrupted after it keeps it."""
        data = encode(obj)
        self._file.seek(0, os.SEEK_END)
        offset = self._file.tell()
        self._file.write(data)
        self._file.flush()
        self.note(obj, (offset, len(data)))
        if obj.get("kind") == "team":
            self.current_teams.add(str(obj.get("team")))
        else:
            self.current.add(obj["submission"])

    def keep(self, key: str) -> None:
        """An earlier line counts as this run's (a resumed submission)."""
        self.current.add(key)

    def read(self, place: Place) -> dict[str, Any]:
        offset, n = place
        self._file.seek(offset)
        return json.loads(self._file.read(n).decode("utf-8", "surrogateescape"))

    def get(self, key: str) -> dict[str, Any] | None:
        """The latest line of a submission, or None."""
        place = self.index.get(key)
        return None if place is None else self.read(place)

    def lines(
        self,
        forget: set[str] = frozenset(),  # type: ignore[assignment]
        change: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> Iterator[tuple[dict[str, Any], bool]]:
        """Every latest line, (line, this run's?): submissions sorted, then teams; the lines
        of ``forget`` (the grader failed on them this run) left out; ``change`` applied to
        this run's submission lines."""
        for key in sorted(self.index):
            if key in forget:
                continue
            obj, mine = self.read(self.index[key]), key in self.current
            yield (change(obj) if change and mine else obj), mine
        for team, place in list(self.teams.items()):
            yield self.read(place), team in self.current_teams

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
