"""Code evidence: what each student wrote beyond the release, compared by winnowing
fingerprints (copydetect) over its tokens.

A submission's code is read as text, the way intake reads it (never run, never imported),
from the files its grade came from (a ``.py``, or a notebook's code cells).  Only the
student's own lines are kept: a line the release holds as it is (any language, the ``.py``
stubs, the release's notebooks, nbgrader's released cells) is boilerplate, left out before
anything is fingerprinted; so is an answer written as a literal (a hand-computed number, which
the numbers evidence compares by value; a formula or a choice, strings the filtered code cannot
tell apart).  Each run of kept lines is preceded by a comment naming where it is (``# A.py:34
backward``): comments are not fingerprinted, and the teacher reads the place.

copydetect filters the code (names become V, strings S, comments and spaces go) and hashes
every k-gram of it (:data:`NOISE` characters).  Hashes a large part of the class shares are
dropped (MOSS's ``-m``): in a lesson whose functions are one line long, the way everybody
writes ``w1*x1`` is no evidence against anyone.  Pairs are found from an inverted index of the
remaining hashes (numpy, no loop over all pairs); a pair's score is the mean of the shares of
each one's remaining hashes found in the other's, and copydetect compares the pairs shown to
find the matching slices.
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from grader.course.questions import Course
from grader.grading import clean
from grader.intake.identity import Identity
from grader.intake.submissions import read
from reference.i18n import pick, t

#: copydetect's noise threshold (its default): the shortest match, in characters of the
#: filtered code, that counts.
NOISE = 25
#: What copydetect chooses its lexer by: Python's.
LEXED_AS = "code.py"
#: A hash in more than this share of the class's submissions (and in more than
#: :data:`COMMON_AT_LEAST`), or in more than :data:`COMMON_AT_MOST`, is how the class writes
#: it: dropped, as MOSS drops them (the last bound keeps a large class's pairs few).
COMMON_SHARE = 0.1
COMMON_AT_LEAST = 3
COMMON_AT_MOST = 50
#: A run of code shorter than this (filtered characters: ``returnV`` is 7) is not
#: fingerprinted: it says nothing about who wrote it.
SHORTEST_RUN = 10
_NONE = np.array([], np.int64)
#: The kept code of one submission, at most (characters): a huge file costs its first part.
MAX_CODE = 200_000
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")
_TIGHT = re.compile(r"[ \t]*([-+*/%=<>!&|^~@,:;()\[\]{}.])[ \t]*")
_ASSIGNED = re.compile(r"([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)(.*)")
_SHOWN = {c: f"\\x{c:02x}" for c in [*range(9), *range(11, 32), 127]}  # tabs and lines kept
_LABEL = {c: f"\\x{c:02x}" for c in [*range(32), 127]}  # a file's name: on one line


def install_hint() -> str | None:
    """The pip command that installs the fingerprinting library, when it is missing."""
    import importlib.util

    try:
        found = importlib.util.find_spec("copydetect") is not None
    except (ImportError, ValueError):
        found = False
    return None if found else "pip install 'backprop-course[similarity]'"


# --- what a student wrote ---------------------------------------------------------------------


def release_lines(course: Course, nbgrader: bool = False) -> frozenset[str]:
    """Every line the release holds, stripped: the ``.py`` stubs and the release's notebooks
    in every language of the course, and with ``nbgrader`` its released code cells (the
    helper cell's public checks included, the solution regions left out)."""
    from publish.notebooks import notebook
    from publish.stubs import stubs

    texts: list[str] = []
    for lang in course.model.languages:
        texts += [text for _, text in stubs(course, lang)]
        for i, exercise in enumerate(course.exercises):
            texts += _code_cells(notebook(exercise, lang, table=i == 0))
            if nbgrader:
                from publish.nbgrader.build import source_notebook

                cells = _code_cells(source_notebook(exercise, lang, table=i == 0))
                texts += [_released(text) for text in cells]
    return frozenset(s for text in texts for line in text.splitlines() if (s := line.strip()))


def _code_cells(nb: dict[str, Any]) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _released(cell: str) -> str:
    """nbgrader's answer cell as released: its solution region removed."""
    from publish.nbgrader.build import BEGIN_SOLUTION, END_SOLUTION

    return re.sub(rf"(?ms)^\s*{BEGIN_SOLUTION}$.*?^\s*{END_SOLUTION}$", "", cell)


class Reader:
    """A submission's own code, from its report line (the files it was graded from), with the
    release's lines left out."""

    def __init__(self, course: Course, lang: str) -> None:
        self.course, self.lang = course, lang
        self.modules = [e.id for e in course.exercises]
        self.release = release_lines(course)
        self.nbgrader = False  # the nbgrader release's lines joined (once one is read)
        self.answers: dict[str, set[str]] = {}  # exercise → the names its answers are given
        for q in course.questions:
            self.answers.setdefault(q.exercise, set()).add(q.name)

    def code(self, line: dict[str, Any]) -> list[str]:
        """The student's own lines of every exercise graded, in runs (lines one after the
        other in a file or a cell: a function's body, say), each under a comment naming its
        place."""
        who = Identity(str(line.get("student", "")), str(line.get("id_source", "")))
        sub = read(Path(str(line["submission"])), set(self.modules), who)
        sub.follow(line.get("routes") or {})
        parts: list[str] = []
        for m in self.modules:
            cells = sub.notebooks.get(m)
            label = sub.graded_from.get(m, f"{m}.py").translate(_LABEL)
            if isinstance(cells, list):
                if not self.nbgrader and any(c.grade_id for c in cells):
                    self.release |= release_lines(self.course, nbgrader=True)
                    self.nbgrader = True
                for cell in cells:
                    if cell.is_code:
                        where = t("similarity.cell", label=label, cell=cell.number)
                        parts += self._kept(cell.source, pick(where, self.lang), m)
            elif m in sub.files:
                parts += self._kept(sub.files[m], label, m)
        runs, size = [], 0
        for run in parts:
            size += len(run)
            if size > MAX_CODE:  # a huge submission: its first part
                break
            runs.append(clean(run).translate(_SHOWN))
        return runs

    def _kept(self, text: str, where: str, module: str) -> Iterator[str]:
        names = self.answers.get(module, set())
        run: list[str] = []
        function = ""
        for n, raw in enumerate(text.splitlines(), 1):
            found = _DEF.match(raw)
            if found or (raw[:1].strip() and raw[0] != "#"):  # a def, or out of one
                function = found.group(1) if found else ""
            s = raw.strip()
            if not s:
                continue
            if s in self.release or _literal_answer(s, names):
                if run:
                    yield "".join(run)
                run = []
                continue
            if not run:
                run.append(f"# {where}:{n} {function}".rstrip() + "\n")
            run.append(raw.rstrip() + "\n")
        if run:
            yield "".join(run)


def _literal_answer(line: str, names: set[str]) -> bool:
    """``name = <a literal>`` for one of the exercise's answers: a number (compared by value,
    in the numbers evidence), a formula or a choice (strings, which the filtered code does
    not tell apart anyway)."""
    found = _ASSIGNED.match(line)
    if found is None or found.group(1) not in names:
        return False
    value = found.group(2)
    for text in (value, value.split("#", 1)[0]):
        try:
            ast.literal_eval(text.strip())
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        return True
    return False


# --- fingerprints -----------------------------------------------------------------------------


class Filter:
    """copydetect's filter (names as V, strings as S, no comments or spaces), a line at a
    time and each distinct line once: in a class most lines are someone else's too, and
    lexing is most of the cost.  A submission's new lines are lexed together, split at a line
    holding a NUL (which a text here never holds: control characters are shown escaped)."""

    def __init__(self) -> None:
        self.lines: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """One text's filtered code."""
        return self.each([text])[0]

    def each(self, texts: list[str]) -> list[str]:
        """Each text's filtered code, their new lines lexed at once."""
        from copydetect.utils import filter_code

        lines = [
            [s for line in text.splitlines() if (s := line.strip()) and s[0] != "#"]
            for text in texts
        ]
        new = [s for s in dict.fromkeys(s for found in lines for s in found) if s not in self.lines]
        if new:  # spaces beside an operator or a bracket are dropped by the filter anyway
            tight = [_TIGHT.sub(r"\1", line) for line in new]
            parts = filter_code("\n\0\n".join(tight), LEXED_AS, "python")[0].split("\0")
            if len(parts) != len(new):  # a string left open ran over the separators
                parts = [filter_code(line, LEXED_AS, "python")[0] for line in tight]
            self.lines.update(zip(new, parts))
        return ["".join(self.lines[s] for s in found) for found in lines]


def hashes(filtered: str, k: int = NOISE) -> np.ndarray:
    """Every k-gram hash of filtered code, sorted and unique: copydetect's hashing with its
    default window (noise and guarantee thresholds equal: every k-gram is a fingerprint, so
    which are kept never depends on the hashes' values)."""
    from copydetect.utils import hashed_kgrams

    return np.unique(np.asarray(hashed_kgrams(filtered, k), np.int64))


def fingerprint(text: str, common: set[int]) -> Any:
    """copydetect's fingerprint of ``text`` for the side-by-side view (where each hash is),
    the class's common hashes left out."""
    from copydetect import CodeFingerprint
    from copydetect.utils import get_token_coverage

    fp = CodeFingerprint(LEXED_AS, NOISE, 1, language="python", fp=io.StringIO(text))
    fp.hashes = {h for h in fp.hashes if int(h) not in common}
    fp.hash_idx = {h: i for h, i in fp.hash_idx.items() if h in fp.hashes}
    fp.token_coverage = get_token_coverage(fp.hash_idx, NOISE, len(fp.filtered_code))
    return fp


class Index:
    """Every submission's hashes (what is kept of it: a sorted array), then the pairs that
    share the most of what the class does not share."""

    def __init__(self) -> None:
        self.filter = Filter()
        self.hashes: list[np.ndarray] = []

    def add(self, runs: list[str]) -> int:
        """A submission's runs of code; its number in the index.  Each run is hashed on its
        own (no k-gram spans two), so functions in another order keep their fingerprints; a
        run shorter than a k-gram is one fingerprint, whole, if it is not too short."""
        found = []
        for filtered in self.filter.each(runs):
            if len(filtered) >= SHORTEST_RUN:
                found.append(hashes(filtered, min(NOISE, len(filtered))))
        self.hashes.append(np.unique(np.concatenate(found)) if found else _NONE)
        return len(self.hashes) - 1

    def common(self) -> np.ndarray:
        """The hashes a large part of the class has (sorted)."""
        n = len(self.hashes)
        if not n:
            return _NONE
        values, counts = np.unique(np.concatenate(self.hashes), return_counts=True)
        return values[counts > min(max(COMMON_AT_LEAST, COMMON_SHARE * n), COMMON_AT_MOST)]

    def between(self, i: int, j: int, common: np.ndarray) -> tuple[int, int, int]:
        """(hashes shared, i's hashes, j's hashes) of one pair, the common ones left out."""
        a, b = (np.setdiff1d(self.hashes[k], common, assume_unique=True) for k in (i, j))
        return len(np.intersect1d(a, b, assume_unique=True)), len(a), len(b)

    def shared(self, common: np.ndarray) -> Iterator[tuple[int, int, int, int, int]]:
        """(i, j, hashes shared, i's hashes, j's hashes) for every pair i < j sharing any
        hash the class does not have in common."""
        kept = [h[~np.isin(h, common, assume_unique=True)] for h in self.hashes]
        sizes = np.array([len(h) for h in kept])
        if not sizes.sum():
            return
        owner = np.repeat(np.arange(len(kept)), sizes)
        values = np.concatenate(kept)
        order = np.argsort(values, kind="stable")
        values, owner = values[order], owner[order]
        starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        lengths = np.diff(np.r_[starts, len(values)])
        n = len(kept)
        codes: list[np.ndarray] = []
        for g in np.unique(lengths[lengths > 1]):
            groups = owner[starts[lengths == g][:, None] + np.arange(g)]  # (m, g), i's sorted
            for a, b in _columns(int(g)):
                codes.append(groups[:, a] * n + groups[:, b])
        if not codes:
            return
        pairs, counts = np.unique(np.concatenate(codes), return_counts=True)
        for code, c in zip(pairs.tolist(), counts.tolist()):
            i, j = divmod(code, n)
            yield i, j, c, int(sizes[i]), int(sizes[j])


def _columns(g: int) -> Iterable[tuple[int, int]]:
    return ((a, b) for a in range(g) for b in range(a + 1, g))


def slices(
    a: list[str], b: list[str], common: set[int], filtered: Filter
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where two submissions' code matches, as the score counts it: run against run (each
    pair of runs sharing a fingerprint the class does not have in common), copydetect's
    matching slices within them, a run shorter than a k-gram whole.  (start, end) spans in
    each one's text (its runs one after the other)."""
    from copydetect import compare_files

    prints_a, prints_b = _prints(a, common, filtered), _prints(b, common, filtered)
    found: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    for run_a, (start_a, end_a, hashes_a) in zip(a, prints_a):
        for run_b, (start_b, end_b, hashes_b) in zip(b, prints_b):
            if not hashes_a & hashes_b:
                continue
            if min(len(filtered(run_a)), len(filtered(run_b))) < NOISE:  # one fingerprint
                found[0].append((start_a, end_a))
                found[1].append((start_b, end_b))
                continue
            _, _, (sa, sb) = compare_files(fingerprint(run_a, common), fingerprint(run_b, common))
            for spans, at, out in ((sa, start_a, found[0]), (sb, start_b, found[1])):
                if len(spans):
                    out += [(at + int(s), at + int(e)) for s, e in zip(*spans)]
    return found


def _prints(runs: list[str], common: set[int], filtered: Filter) -> list[tuple[int, int, set[int]]]:
    """Each run's (start, end) in the text and its fingerprints the class does not share."""
    out, at = [], 0
    for run, code in zip(runs, filtered.each(runs)):
        found = hashes(code, min(NOISE, len(code))) if len(code) >= SHORTEST_RUN else _NONE
        out.append((at, at + len(run), set(found.tolist()) - common))
        at += len(run)
    return out
