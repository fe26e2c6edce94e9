"""What every output of ``grade`` is: an option, and a consumer of the report stream.

An output is made before grading (its file's problems are usage errors, found first), then
given each line of the run (:mod:`cli.stream`: submissions in order, then teams) one at a
time, then finished: it writes its file then.  It keeps what it needs of a line, never the
line, so a class of any size costs the same memory.  An output with work to do for each
submission may also start it as each is graded (:meth:`Output.graded`), while the rest of the
class is still being graded; an output may have settings of its own (more options), and a
page the dashboard links to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from publish.output_files import problem as file_problem
from reference.i18n import Text

if TYPE_CHECKING:
    from cli.ledger import Ledger
    from grader.course.questions import Course


@dataclass(frozen=True)
class Setting:
    """One more option of an output (``--similarity-threshold``): its ``type`` is click's."""

    flag: str
    type: Any
    help: str

    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass
class Run:
    """What an output may know of the run besides the lines."""

    course: Course
    course_file: Path
    lang: str
    warn: Callable[[str], None]  # a note for the teacher's terminal (text, not markup)
    roster: dict[str, dict[str, str]] = field(default_factory=dict)  # --roster's columns
    ledger: Ledger | None = None  # the --json file, which is also the stream's store
    teams: list[Any] = field(default_factory=list)  # the --teams rounds, once played
    settings: dict[str, Any] = field(default_factory=dict)  # the outputs' settings given
    links: list[tuple[Text, Path]] = field(default_factory=list)  # the outputs' own pages


class Output:
    """One output: ``flag`` and ``help`` make its option; ``add`` takes each line."""

    flag: ClassVar[str]  # "--csv"
    help: ClassVar[str]
    needs_graph: ClassVar[bool] = False  # its lines carry the graph grading collected
    #: also given the earlier lines a --json file holds of submissions outside this run
    every_line: ClassVar[bool] = False
    #: more options of its own (their values: :attr:`Run.settings`), shown after its flag
    options: ClassVar[tuple[Setting, ...]] = ()

    def __init__(self, path: Path, run: Run) -> None:
        self.path, self.run = path, run

    @classmethod
    def dest(cls) -> str:
        """The option's parameter name: ``--csv`` → ``csv``."""
        return cls.flag.lstrip("-").replace("-", "_")

    @classmethod
    def problem(cls, path: Path, found: int) -> Text | None:
        """Why the option cannot be honoured, before the course is loaded (``found``: the
        submissions found, -1 while not yet known): exit 2."""
        return file_problem(path, cls.flag) if found < 0 else None

    @classmethod
    def linked(cls, path: Path) -> tuple[Text, Path] | None:
        """A page of its own (its title, its file) that the --html dashboard links to."""
        return None

    def graded(self, line: dict[str, Any]) -> None:
        """A submission's line the moment it is graded (resumed ones never come here): work
        done for each submission may start while the class is still being graded.  The line
        still comes to :meth:`add` with the others."""

    def add(self, line: dict[str, Any], mine: bool) -> None:
        """One line: a submission's report or a team's (``kind: team``); ``mine``: this run
        graded or kept it (only :attr:`every_line` outputs see others)."""

    def finish(self) -> None:
        """Write the file; an OSError is the run's "could not be written"."""

    def discard(self) -> None:
        """The run failed before :meth:`finish`: leave nothing half-written."""
