"""``grade``'s outputs: each one module that declares its option and takes the run's reports
a line at a time (:mod:`cli.stream`).  Adding an output is a module with an
:class:`~cli.outputs.base.Output` and its line in :data:`OUTPUTS` (tests/test_outputs.py adds
one); ``grade``'s options are made from this list, in its order."""

from __future__ import annotations

from cli.outputs.base import Output, Run
from cli.outputs.canvas import Canvas
from cli.outputs.gradebook import Gradebook
from cli.outputs.gradescope import Gradescope
from cli.outputs.jsonl import JsonLines
from cli.outputs.moodle import Moodle
from cli.outputs.pages import Pages
from cli.outputs.similarity import Similarity

OUTPUTS: tuple[type[Output], ...] = (
    JsonLines,
    Gradebook,
    Gradescope,
    Canvas,
    Moodle,
    Pages,
    Similarity,
)

__all__ = ["OUTPUTS", "Output", "Run"]
