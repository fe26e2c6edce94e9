"""Which of a student's files is graded, and which answers were never touched.

An answer left exactly as released (the stub's snippet in a ``.py``, the answer cell of a
notebook, nbgrader's released cell included) is *not attempted*: status ``missing``, whatever
the blank stub does when run (NotImplementedError, None, an empty formula).  The blank texts
are the ones the course would release (:mod:`grader.kinds.snippets`: the .py stubs', the
notebooks' and nbgrader's cells), in every language of the course, compared per question,
line by line, ignoring trailing spaces and empty lines.

An exercise may come as a ``.py`` and as a notebook (the release has both).  The one the
student worked on is graded; if both were worked on, both are graded, the better kept, and a
note says so.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable

from grader.course.questions import Course
from grader.intake.cells import Cell
from grader.intake.notebooks import role_id
from grader.intake.submissions import Route, Submission
from grader.kinds.base import NOT_ATTEMPTED
from grader.scoring.result import Result
from reference.i18n import t


def _norm(text: str) -> str:
    """Lines without trailing spaces, empty lines left out (editors and nbgrader differ)."""
    lines = (line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def blanks(course: Course) -> dict[str, frozenset[str]]:
    """qid → the normalised blank answers the course releases for it (every language; the
    .py stubs, the release's notebooks and nbgrader's released cells).  Computed once a
    course, and kept in its ``derived`` (so in the course cache: one student's ``grade``
    never renders them)."""
    cached = course.derived.get("blanks")
    if cached is not None:
        return cached
    from grader.kinds.snippets import for_notebooks, notebook_snippet, snippet

    found: dict[str, set[str]] = {}
    for exercise in course.exercises:
        in_notebooks = {q.qid: q for q in for_notebooks(exercise).questions}
        for q in exercise.questions:
            if not q.auto:
                continue
            texts = found.setdefault(q.qid, set())
            for lang in course.model.languages:
                texts.add(_norm(snippet(q, lang)))  # the .py stub
                texts.add(_norm(snippet(q, lang, prompt=False)))  # the release's notebook
                texts.add(_norm(notebook_snippet(in_notebooks.get(q.qid, q), lang)))
    result = {qid: frozenset(texts) for qid, texts in found.items()}
    course.derived["blanks"] = result
    return result


# A top-level definition: ``def name``/``async def name``, or ``name = …``/``name: T = …``.
_DEFINITION = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)|^(\w+)[ \t]*(?::[^=\n]*)?=(?!=)", re.M)


@functools.lru_cache(maxsize=64)
def _definitions(text: str) -> Counter[str]:
    """How many times ``text`` defines each name at its top level (one scan a text: a stub
    has a dozen questions, each asked about)."""
    return Counter(a or b for a, b in _DEFINITION.findall(text))


def untouched(course: Course, module: str, route: Route) -> set[str]:
    """The qids of exercise ``module`` whose answer in ``route`` is exactly as released."""
    exercise = next((e for e in course.exercises if e.id == module), None)
    if exercise is None:
        return set()
    known = blanks(course)
    found = set()
    if not route.notebook:
        if route.source is None:
            return set()
        text = "\n" + _norm(route.source) + "\n"
        for q in exercise.questions:
            if (
                q.qid in known
                and _definitions(route.source)[q.name] <= 1
                and any(f"\n{b}\n" in text for b in known[q.qid])
            ):
                found.add(q.qid)
        return found
    # The cells indexed once (a notebook has ~30 cells, an exercise ~15 questions): by the
    # grade_id or question they answer, and the code cells by the names they define.
    cells = [c for c in route.cells if isinstance(c, Cell)] if isinstance(route.cells, list) else []
    answering: dict[str, list[int]] = {}
    defining: dict[str, list[int]] = {}
    for k, c in enumerate(cells):
        if c.is_test:
            continue
        if c.grade_id is not None:
            answering.setdefault(c.grade_id, []).append(k)
        if c.question is not None and c.question != c.grade_id:
            answering.setdefault(c.question, []).append(k)
        if c.cell_type == "code":
            for name in c.names:
                defining.setdefault(name, []).append(k)
    for q in exercise.questions:
        if q.qid not in known:
            continue
        mine = {*answering.get(role_id(q.qid, "answer"), ()), *answering.get(q.qid, ())}
        if len(mine) != 1:
            continue
        (only,) = mine
        if (
            all(k == only for k in defining.get(q.name, ()))
            and _cell_norm(cells[only].source) in known[q.qid]
        ):
            found.add(q.qid)
    return found


def _cell_norm(source: str) -> str:
    """An answer cell's text normalised: kept for the short ones, which a class repeats (the
    blanks, the same right answer), and never for a long one (memory stays flat)."""
    return _short_norm(source) if len(source) <= 4096 else _norm(source)


@functools.lru_cache(maxsize=1024)
def _short_norm(source: str) -> str:
    return _norm(source)


def _worked(course: Course, module: str, route: Route, blank: set[str]) -> bool:
    """Whether the student changed any answer of ``route`` (an unreadable file: unknown, so
    counted as worked on: its problem is the student's to see); ``blank``: its untouched."""
    if route.source is None:
        return route.cells is not None
    exercise = next((e for e in course.exercises if e.id == module), None)
    auto = {q.qid for q in exercise.questions if q.auto} if exercise else set()
    return bool(auto - blank)


def choose(course: Course, sub: Submission) -> tuple[dict[str, Route], dict[str, Route]]:
    """Grade each exercise from the route the student worked on (``sub`` is left using it):
    the routes chosen, and the second worked-on route of an exercise that has two."""
    chosen, rivals, _ = _choose(course, sub)
    return chosen, rivals


def _choose(
    course: Course, sub: Submission
) -> tuple[dict[str, Route], dict[str, Route], Callable[[str, Route], set[str]]]:
    """:func:`choose`, and the untouched answers of each route, each found once."""
    found: dict[int, set[str]] = {}  # by route (its id(): every route is held by ``sub``)

    def blank(module: str, route: Route) -> set[str]:
        if id(route) not in found:
            found[id(route)] = untouched(course, module, route)
        return found[id(route)]

    chosen: dict[str, Route] = {}
    rivals: dict[str, Route] = {}
    for module, options in sub.routes.items():
        worked = [r for r in options if _worked(course, module, r, blank(module, r))]
        readable = [r for r in options if r.source is not None]
        chosen[module] = (worked or readable or options)[0]
        if len(worked) > 1 and worked[1].source is not None and worked[0].source is not None:
            rivals[module] = worked[1]
    for module, route in chosen.items():
        sub.use(module, route)
    return chosen, rivals, blank


def grade(
    course: Course, sub: Submission, run: Callable[[dict[str, str]], list[Result]]
) -> list[Result]:
    """``run(files)`` (the sandbox and the scoring) on the routes the student worked on;
    untouched answers become ``missing``; ``sub`` is left graded from the routes kept."""
    chosen, rivals, untouched_in = _choose(course, sub)
    results = run(dict(sub.files))
    if rivals:
        other = run({**sub.files, **{m: r.source for m, r in rivals.items() if r.source}})
        results = _better(course, sub, chosen, rivals, results, other)
    blank: set[str] = set()
    for module, route in chosen.items():
        blank |= untouched_in(module, route)
    return [_missing(r) if r.qid in blank else r for r in results]


def _missing(r: Result) -> Result:
    return Result(r.qid, 0.0, r.max_score, "missing", NOT_ATTEMPTED)


def _better(
    course: Course,
    sub: Submission,
    chosen: dict[str, Route],
    rivals: dict[str, Route],
    first: list[Result],
    second: list[Result],
) -> list[Result]:
    """Per exercise, the results of whichever of its two routes scored more; a note says so."""
    by_qid = {r.qid: r for r in second}
    out = {r.qid: r for r in first}
    for module, rival in rivals.items():
        qids = [q.qid for e in course.exercises if e.id == module for q in e.questions if q.auto]
        score = sum(out[q].score for q in qids if q in out)
        other = sum(by_qid[q].score for q in qids if q in by_qid)
        kept, dropped = (rival, chosen[module]) if other > score else (chosen[module], rival)
        if other > score:
            for q in qids:
                if q in by_qid:
                    out[q] = by_qid[q]
            chosen[module] = rival
            sub.use(module, rival)
        sub.problems.append(
            t(
                "intake.both_were_filled_both_were",
                label=dropped.label,
                label_2=kept.label,
                max=max(score, other),
                min=min(score, other),
            )
        )
    return [out[r.qid] for r in first]
