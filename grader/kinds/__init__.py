"""Question kinds: one module each, holding everything a kind means (see ``base.Kind``).

The registry :data:`KINDS` is what the course loader, the grader and the publisher dispatch
through.  To add a kind: write its module here, register it below, and add its name to the
``kind`` enum of ``grader/course/exercise.schema.json``.
"""

from __future__ import annotations

from grader.course.questions import Question
from grader.kinds.base import Kind
from grader.kinds.choice import Choice
from grader.kinds.formula import Formula
from grader.kinds.function import Function
from grader.kinds.mapping import Mapping
from grader.kinds.multi import Multi
from grader.kinds.number import Number
from grader.kinds.text import Text

KINDS: dict[str, Kind] = {
    k.name: k for k in (Function(), Formula(), Number(), Choice(), Multi(), Mapping(), Text())
}


def kind_of(q: Question) -> Kind:
    return KINDS[q.kind]


__all__ = ["KINDS", "Kind", "kind_of"]
